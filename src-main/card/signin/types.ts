/**
 * What sign-in needs from trust verification, in sign-in's own terms. The card service is built with an
 * implementation backed by src-main/card/verify; keeping the port here lets the flow stay ignorant of PKI.
 */
import type { KeyObject } from 'node:crypto';
import type { CardHolder, CardRefusal } from '../../../src-shared/domain/session';
import type { RoleProfile } from '../../../src-shared/domain/rbac';

/** The card's objects as read, before any of them is trusted. */
export interface CardObjects {
  /** CHUID content (inside tag 53). */
  chuid: Buffer;
  chuidGuidHex: string;
  chuidExpiry: string;
  certDer: Buffer;
  rolesDer: Buffer | null;
}

export interface TrustedCard {
  holder: CardHolder;
  cardGuid: string;
  /** SHA-256 of the certificate DER, hex: identifies "the same card and certificate" at re-insertion. */
  certSha256Hex: string;
  /** The certificate (DER) and the CA certificates of its validated path above it, anchors left out. */
  certDer: Buffer;
  issuersDer: Buffer[];
  publicKey: KeyObject;
  /** At least one: a card without a role profile is refused (no-role-profiles). */
  roles: [RoleProfile, ...RoleProfile[]];
  rolesNotAfter: string;
  /** When the card stops signing in: the earliest end of its certificate path and of the card (CHUID expiry). */
  certNotAfter: string;
}

export type TrustResult =
  | ({ ok: true } & TrustedCard)
  /** `message` in plain words for the person at the reader; `detail`, when there is one, technical, for the log. */
  | { ok: false; reason: CardRefusal; message: string; detail?: string };

export interface CardTrustPort {
  /** Certificate path, role-authority path, CMS signature and binding, at `now`. Never throws for bad cards. */
  verify(objects: CardObjects, now: Date): Promise<TrustResult>;
  /**
   * true when `signature` is the card key's answer to the challenge SHA-256(`nonce`): the card signs the challenge
   * as the digest, so this is ECDSA-with-SHA-256 over `nonce` with the certificate's key.
   */
  verifyChallenge(card: TrustedCard, nonce: Buffer, signature: Buffer): boolean;
}
