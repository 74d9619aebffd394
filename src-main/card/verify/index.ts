/**
 * Card trust checks used at sign-in: trust store, the checks themselves, a caching verifier, the challenge check.
 */
export { createTrustStore, type TrustStore, type TrustStoreInput } from './trust-store';
export { verifyCardObjects, type CardObjects, type CardVerdict } from './verify-card';
export { createVerifier, type CardVerifier } from './verifier';
export { verifyChallengeSignature } from './challenge';
