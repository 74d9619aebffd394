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

/** The card's certificate or its roles expire soon: said at sign-in, with what to do (src-renderer words it). */
export const ExpiryWarning = z.object({
  what: z.enum(['certificate', 'roles']),
  notAfter: z.string(),
  days: z.number().int().min(0),
  /** warning: within 90 days; urgent: within 14. */
  level: z.enum(['warning', 'urgent']),
});
export type ExpiryWarning = z.infer<typeof ExpiryWarning>;

/**
 * Shared workstations hold one locked session per card: every view but a signed-in one names the other sessions
 * locked here (display names only, nothing else of theirs).
 */
const here = { lockedSessions: z.array(z.string().max(200)).max(64).optional() };

export const SessionView = z.discriminatedUnion('state', [
  /** PC/SC is unavailable or no reader is attached. */
  z.object({ state: z.literal('no-reader'), detail: z.string().optional(), ...here }),
  z.object({ state: z.literal('awaiting-card'), readers: z.array(ReaderInfo), ...here }),
  z.object({ state: z.literal('reading-card'), reader: z.string(), ...here }),
  z.object({ state: z.literal('card-refused'), reason: CardRefusal, message: z.string(), ...here }),
  z.object({
    state: z.literal('pin-required'),
    holder: CardHolder,
    triesLeft: z.number().int().min(0).max(3),
    /** Set after a wrong PIN. */
    lastAttemptFailed: z.boolean(),
    ...here,
  }),
  z.object({ state: z.literal('card-blocked'), holder: CardHolder, message: z.string(), ...here }),
  z.object({
    state: z.literal('role-select'),
    holder: CardHolder,
    roles: z.array(RoleProfile),
    /** Set when a signed-in user is changing role: the role in use until now. */
    current: z.string().optional(),
    ...here,
  }),
  z.object({
    state: z.literal('signed-in'),
    holder: CardHolder,
    role: RoleProfile,
    since: z.string(),
    /** The session resumed after its card and PIN with an encounter open: the workspace reopens it (encounter.current). */
    resumed: z.boolean().optional(),
    /** The card carries more than one role profile: the user may change role without removing it. */
    canChangeRole: z.boolean().optional(),
    /** The card's certificate or roles expire within 90 days. */
    expiry: ExpiryWarning.optional(),
  }),
  z.object({
    state: z.literal('locked'),
    holder: CardHolder,
    reason: z.enum(['card-removed', 'idle']),
    /** true once the same card is back in the reader and a PIN unlocks. */
    cardPresent: z.boolean(),
    triesLeft: z.number().int().min(0).max(3).optional(),
    ...here,
  }),
]);
export type SessionView = z.infer<typeof SessionView>;
