/**
 * What the renderer may know about the smartcard session.
 * The main process owns the session; the renderer gets one of these views and redraws from it.
 */
import { z } from 'zod';
import { RoleProfile } from './rbac';

/** Why a card was not accepted. Each refusal has its own code and a sentence for the user. */
export const CardRefusal = z.enum([
  'untrusted-issuer',
  'certificate-expired',
  'certificate-not-yet-valid',
  'certificate-revoked',
  'certificate-invalid',
  'roles-missing',
  'roles-untrusted',
  'roles-signature-invalid',
  'roles-not-bound',
  'roles-expired',
  'roles-malformed',
  'card-expired',
  'card-blocked',
  'key-not-proven',
  'card-unreadable',
  'card-removed',
  'no-role-profiles',
]);
export type CardRefusal = z.infer<typeof CardRefusal>;

export const CardHolder = z.object({
  displayName: z.string(),
  userId: z.string().regex(/^\d{12}$/),
});
export type CardHolder = z.infer<typeof CardHolder>;

export const ReaderInfo = z.object({ name: z.string(), cardPresent: z.boolean() });
export type ReaderInfo = z.infer<typeof ReaderInfo>;

export const SessionView = z.discriminatedUnion('state', [
  /** PC/SC is unavailable or no reader is attached. */
  z.object({ state: z.literal('no-reader'), detail: z.string().optional() }),
  z.object({ state: z.literal('awaiting-card'), readers: z.array(ReaderInfo) }),
  z.object({ state: z.literal('reading-card'), reader: z.string() }),
  z.object({ state: z.literal('card-refused'), reason: CardRefusal, message: z.string() }),
  z.object({
    state: z.literal('pin-required'),
    holder: CardHolder,
    triesLeft: z.number().int().min(0).max(3),
    /** Set after a wrong PIN. */
    lastAttemptFailed: z.boolean(),
  }),
  z.object({ state: z.literal('card-blocked'), holder: CardHolder, message: z.string() }),
  z.object({ state: z.literal('role-select'), holder: CardHolder, roles: z.array(RoleProfile) }),
  z.object({
    state: z.literal('signed-in'),
    holder: CardHolder,
    role: RoleProfile,
    since: z.string(),
  }),
  z.object({
    state: z.literal('locked'),
    holder: CardHolder,
    reason: z.enum(['card-removed', 'idle']),
    /** true once the same card is back in the reader and a PIN unlocks. */
    cardPresent: z.boolean(),
    triesLeft: z.number().int().min(0).max(3).optional(),
  }),
]);
export type SessionView = z.infer<typeof SessionView>;
