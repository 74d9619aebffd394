/**
 * Checks the card's answer to the sign-in challenge (GENERAL AUTHENTICATE, key 9A) with node:crypto.
 */
import { createHash, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/**
 * True when `derSig` is the card key's ECDSA signature for `challenge`.
 *
 * Two forms are accepted. The virtual card signs ECDSA-with-SHA-256 over the challenge (node:crypto has no
 * raw-digest signing). A real PIV card signs the 32 challenge bytes as the digest itself; a host that wants to
 * accept those makes the challenge as SHA-256(nonce) and passes `nonce`, so that signature verifies as
 * ECDSA-with-SHA-256 over the nonce.
 */
export function verifyChallengeSignature(
  publicKey: KeyObject,
  challenge: Uint8Array,
  derSig: Uint8Array,
  nonce?: Uint8Array,
): boolean {
  if (derSig.length < 8 || derSig.length > 80) return false;
  try {
    if (verify('sha256', challenge, publicKey, derSig)) return true;
    if (nonce) {
      const digest = createHash('sha256').update(nonce).digest();
      if (
        digest.length === challenge.length &&
        timingSafeEqual(digest, challenge) &&
        verify('sha256', nonce, publicKey, derSig)
      ) {
        return true;
      }
    }
  } catch {
    // A signature that is not DER, or a key of the wrong type: not proven.
  }
  return false;
}
