/**
 * Checks the card's answer to a GENERAL AUTHENTICATE (key 9A) with node:crypto.
 */
import { verify, type KeyObject } from 'node:crypto';

/**
 * True when `derSig` is the card key's ECDSA signature over SHA-256(`nonce`). The host sends SHA-256(nonce) as
 * the 32-byte challenge; a PIV card signs it as the digest, which is exactly ECDSA-with-SHA-256 over the nonce.
 */
export function verifyChallengeSignature(
  publicKey: KeyObject,
  nonce: Uint8Array,
  derSig: Uint8Array,
): boolean {
  if (derSig.length < 8 || derSig.length > 80) return false;
  try {
    return verify('sha256', nonce, publicKey, derSig);
  } catch {
    // A signature that is not DER, or a key of the wrong type: not proven.
    return false;
  }
}
