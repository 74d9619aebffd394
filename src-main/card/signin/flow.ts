/**
 * The sign-in steps of the card profile, in order: read the card (SELECT, CHUID, certificate, care roles), verify
 * trust, and only then PIN state; later VERIFY and GENERAL AUTHENTICATE over a fresh challenge. Each failure
 * becomes a refusal with its own CardRefusal code; nothing a card answers can make these functions throw.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CardRefusal } from '../../../src-shared/domain/session';
import { CardUnreadableError } from '../piv/errors';
import { PivClient, type PinState } from '../piv/client';
import { CardRemovedError, CardTimeoutError, TransportError } from '../transport/types';
import { refusalWords } from '../verify/refusal-words';
import type { CardObjects, CardTrustPort, TrustedCard } from './types';

/** `message` in plain words for the person at the reader; `detail`, when there is one, technical, for the log. */
export type Refusal = { ok: false; reason: CardRefusal; message: string; detail?: string };

export type VetResult = { ok: true; card: TrustedCard; objects: CardObjects; pin: PinState } | Refusal;

export type ProveResult =
  | { ok: true }
  | { ok: false; kind: 'wrong-pin'; triesLeft: number }
  | { ok: false; kind: 'blocked' }
  | ({ kind: 'refused' } & Refusal);

/** Turns whatever a card step threw into a refusal; programming errors are rethrown. */
export function refusalFrom(err: unknown): Refusal {
  if (err instanceof CardRemovedError)
    return { ok: false, reason: 'card-removed', message: refusalWords('card-removed') };
  if (err instanceof CardTimeoutError) return { ok: false, reason: 'card-unreadable', message: err.message };
  if (err instanceof CardUnreadableError)
    return { ok: false, reason: 'card-unreadable', message: `The card could not be read: ${err.message}` };
  if (err instanceof TransportError) {
    const code = err.code === undefined ? '' : ` (PC/SC error 0x${err.code.toString(16).padStart(8, '0')})`;
    return {
      ok: false,
      reason: 'card-unreadable',
      message: `The card reader failed${code}.`,
      detail: err.message,
    };
  }
  throw err;
}

/** Step 2: SELECT PIV and read the three objects. */
export async function readCardObjects(piv: PivClient): Promise<CardObjects> {
  await piv.selectPiv();
  const chuid = await piv.readChuid();
  const certDer = await piv.readAuthCertificate();
  const rolesDer = await piv.readCareRoles();
  return { chuid: chuid.raw, chuidGuidHex: chuid.guidHex, chuidExpiry: chuid.expiry, certDer, rolesDer };
}

/** Steps 2 and 3, then the PIN state (no try spent). No PIN is asked of a card that fails here. */
export async function vetCard(piv: PivClient, trust: CardTrustPort, now: Date): Promise<VetResult> {
  let objects: CardObjects;
  try {
    objects = await readCardObjects(piv);
  } catch (err) {
    return refusalFrom(err);
  }
  let verdict;
  try {
    verdict = await trust.verify(objects, now);
  } catch (err) {
    // The checks refuse bad cards with a verdict; a throw means bytes they could not even decode.
    return {
      ok: false,
      reason: 'card-unreadable',
      message: refusalWords('card-unreadable'),
      detail: `decoding the card's objects failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  if (!verdict.ok) return verdict;
  const { ok: _ok, ...card } = verdict;
  try {
    const pin = await piv.pinState();
    return { ok: true, card, objects, pin };
  } catch (err) {
    return refusalFrom(err);
  }
}

/** Steps 4 and 5: VERIFY the PIN, then GENERAL AUTHENTICATE over a fresh 32-byte challenge and check it. */
export async function proveCard(
  piv: PivClient,
  trust: CardTrustPort,
  card: TrustedCard,
  pin: string,
  nonce: Buffer = randomBytes(32),
): Promise<ProveResult> {
  // A fresh 32-byte challenge per attempt: the hash of a fresh nonce, which the card signs as the digest.
  const challenge = createHash('sha256').update(nonce).digest();
  try {
    const v = await piv.verifyPin(pin);
    if (!v.ok)
      return v.blocked
        ? { ok: false, kind: 'blocked' }
        : { ok: false, kind: 'wrong-pin', triesLeft: v.triesLeft };
    const signature = await piv.generalAuthenticate(challenge);
    if (!trust.verifyChallenge(card, nonce, signature)) {
      return {
        ok: false,
        kind: 'refused',
        reason: 'key-not-proven',
        message: refusalWords('key-not-proven'),
      };
    }
    return { ok: true };
  } catch (err) {
    return { kind: 'refused', ...refusalFrom(err) };
  }
}
