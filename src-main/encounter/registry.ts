/**
 * The current encounter of the signed-in session: which patient, its permission-to-view state and any self-claimed
 * legitimate relationship. One encounter at a time; it ends when the user changes patient or closes it, and on
 * every session change that could mean a different person or role at the keyboard (lock/card removal, sign-out,
 * sign-in, role selection). Unlocking does not bring it back: permission is asked again.
 */
import type { SessionPort, SignedInUser } from '../session/port';
import { NOT_ASKED, type PtvState } from './ptv-state';

export class EncounterEndedError extends Error {
  override readonly name = 'EncounterEndedError';
  constructor() {
    super('The encounter ended while the request was in progress.');
  }
}

export interface SelfClaim {
  reason: string;
  text: string;
}

export interface Encounter {
  readonly sessionId: string;
  readonly urid: string;
  readonly nhsNumber: string;
  readonly ptv: PtvState;
  readonly selfClaim: SelfClaim | null;
}

export interface EncounterRegistry {
  /** The encounter for this user and patient, or null (different patient, session or role, or none open). */
  current(user: SignedInUser, nhsNumber: string): Encounter | null;
  /** Opens (or keeps, if it is the same patient for the same session and role) the encounter. */
  open(user: SignedInUser, nhsNumber: string): Encounter;
  close(): void;
  /**
   * Replaces the encounter's state, only if it is still the active one (a session change while a PIN was being
   * checked or an audit written must not be undone); throws otherwise.
   */
  update(encounter: Encounter, change: { ptv?: PtvState; selfClaim?: SelfClaim }): Encounter;
  /** Stops listening to the session. */
  dispose(): void;
}

export function createEncounterRegistry(session: SessionPort): EncounterRegistry {
  let active: Encounter | null = null;
  const unsubscribe = session.onChange((change) => {
    if (change !== 'unlocked') active = null;
  });
  const matches = (e: Encounter | null, user: SignedInUser, nhs: string): e is Encounter =>
    e !== null && e.sessionId === user.sessionId && e.urid === user.role.urid && e.nhsNumber === nhs;

  return {
    current: (user, nhs) => (matches(active, user, nhs) ? active : null),
    open(user, nhs) {
      if (matches(active, user, nhs)) return active;
      active = {
        sessionId: user.sessionId,
        urid: user.role.urid,
        nhsNumber: nhs,
        ptv: NOT_ASKED,
        selfClaim: null,
      };
      return active;
    },
    close() {
      active = null;
    },
    update(e, change) {
      if (active !== e) throw new EncounterEndedError();
      active = { ...e, ...change };
      return active;
    },
    dispose: unsubscribe,
  };
}
