/**
 * What the rest of main needs from the smartcard session, without knowing about cards: who is signed in with which
 * role profile, a fresh PIN check on the card (for overrides), and notice when the session locks or ends.
 * Implemented by the card service (src-main/card); used by records/encounters and audit.
 */
import type { CardHolder } from '../../src-shared/domain/session';
import type { RoleProfile } from '../../src-shared/domain/rbac';

export interface SignedInUser {
  /** Random id of this session; a re-insert + PIN unlock keeps it, another card gets a new one. */
  sessionId: string;
  holder: CardHolder;
  role: RoleProfile;
}

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong-pin'; triesLeft: number }
  | { ok: false; reason: 'card-blocked' | 'card-removed' | 'card-error' };

export type SessionChange = 'signed-in' | 'role-selected' | 'locked' | 'unlocked' | 'signed-out';

export interface SessionPort {
  /** The signed-in user, or null when signed out or locked. */
  current(): SignedInUser | null;
  /** VERIFY on the card in the reader (the card of the current session only). */
  verifyPin(pin: string): Promise<PinCheck>;
  /** Called synchronously on every change, before the renderer is told. Returns an unsubscribe function. */
  onChange(listener: (change: SessionChange, user: SignedInUser | null) => void): () => void;
}
