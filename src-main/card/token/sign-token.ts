/**
 * Assembles the user's token as a compact JWS (RFC 7515) whose signature the card makes: header
 * { alg: ES256, typ: JWT, x5c: [card certificate, issuing CA certificates] }, the claims, and the card's ECDSA
 * signature over SHA-256 of the signing input, made by GENERAL AUTHENTICATE (the card signs the digest as given)
 * and converted from DER to r || s. The signature is checked with the certificate's key before the token is used.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { CardUnreadableError } from '../piv/errors';
import type { UserTokenClaims } from './claims';
import { derToJoseSignature } from './jose-signature';

export interface TokenKey {
  /** The card's certificate, DER: its key signs. */
  certDer: Buffer;
  /** The CA certificates above it (issuer first), DER. */
  issuersDer: readonly Buffer[];
  publicKey: KeyObject;
}

/** GENERAL AUTHENTICATE over a 32-byte digest; answers the card's DER signature. */
export type SignDigest = (digest: Buffer) => Promise<Buffer>;

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function signUserToken(
  claims: UserTokenClaims,
  key: TokenKey,
  sign: SignDigest,
): Promise<string> {
  const header = {
    alg: 'ES256',
    typ: 'JWT',
    x5c: [key.certDer, ...key.issuersDer].map((der) => der.toString('base64')),
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const digest = createHash('sha256').update(signingInput).digest();
  const signature = derToJoseSignature(await sign(digest));
  if (
    !verify('sha256', Buffer.from(signingInput), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature)
  )
    throw new CardUnreadableError("The card's signature over the token does not match its certificate.");
  return `${signingInput}.${b64url(signature)}`;
}
