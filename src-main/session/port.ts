/**
 * What the rest of main needs from the smartcard session, without knowing about cards: who is signed in with which
 * role profile, a fresh PIN check on the card (for overrides), notice when the session locks or ends, and the
 * user's token for record services. Implemented by the card service (src-main/card); used by records/encounters
 * and audit.
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

/**
 * What happened to a session. A workstation holds one session per card (shared workstations): at most one is
 * unlocked at a time, the others wait locked for their card and PIN.
 * - signed-in: a new session opened (its user is now at the keyboard);
 * - role-selected: the session's role profile changed (or a change of role began: no user until it is chosen);
 * - locked: the session locked (card removed, or idle); its encounter is kept, out of reach, for its resumption;
 * - unlocked: the session resumed after its card and PIN;
 * - signed-out: the session ended (sign-out, removal policy, limit, time, blocked card).
 */
export type SessionChange = 'signed-in' | 'role-selected' | 'locked' | 'unlocked' | 'signed-out';

export interface SessionPort {
  /** The signed-in user, or null when signed out or locked. */
  current(): SignedInUser | null;
  /** VERIFY on the card in the reader (the card of the current session only). */
  verifyPin(pin: string): Promise<PinCheck>;
  /**
   * Called synchronously on every change, before the renderer is told. `user` is who is signed in and unlocked
   * after the change (null when nobody is); `sessionId` is the session the change is about. Returns an
   * unsubscribe function.
   */
  onChange(
    listener: (change: SessionChange, user: SignedInUser | null, sessionId: string) => void,
  ): () => void;
}

/** Why no token can be had right now. */
export type TokenUnavailableReason =
  /** Nobody is signed in. */
  | 'signed-out'
  /** The session is locked (card removed, or idle): a token is signed again after the PIN. */
  | 'locked'
  /** The session's card is not in the reader. */
  | 'card-removed'
  /** The card did not sign (it refused, stalled past its deadline, or answered something unusable). */
  | 'card-error'
  /** The caller's signal was aborted. */
  | 'aborted';

/** The user's token could not be had; `message` is a plain sentence. */
export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError';
  constructor(
    readonly reason: TokenUnavailableReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The signed-in user's token for a record service (docs/specs/record-services.md, "The user's token"): a short-lived
 * JWT that the session's card signs (ES256, certificate chain in x5c). Implemented by the card service.
 */
export interface UserTokenPort {
  /**
   * A compact JWS for `audience` (the service's base URL, exactly), for the current signed-in session. Held in
   * memory only, per audience, re-signed before it expires while the card is present, and dropped at once on lock,
   * removal, sign-out or a new session. Rejects with TokenUnavailableError when locked or signed out, when the card
   * fails, or when `signal` aborts.
   */
  token(audience: string, signal?: AbortSignal): Promise<string>;
}
