/**
 * The current encounter of the signed-in session: which patient, its id (which correlates every request and audit
 * event of the encounter), the facts fetched when it opened, its permission-to-view state and any self-claimed
 * legitimate relationship. One encounter open at a time; it ends when the user changes patient or closes it, and
 * on every session change that could mean a different person or role at the keyboard (sign-out, a new sign-in, a
 * change of role).
 *
 * Shared workstations: when a session locks, its encounter is set aside for that session alone (everything in
 * flight for it is aborted, and no request can reach it while another user, or nobody, is signed in); when the
 * same session resumes after its card and PIN, the encounter comes back as it was, its permission still bounded by
 * its own expiry. A set-aside encounter ends with its session.
 *
 * Each encounter owns an AbortController: ending or setting it aside aborts what is in flight for it. Requests
 * outside an encounter (search, preferences) use `requestSignal()`, aborted on the next session change.
 */
import { randomUUID } from 'node:crypto';
import type { PatientSummary, SharingPreferences } from '../../src-shared/domain/records';
import type { CareOrganisations } from '../domain/record-items';
import type { AuditReceipt } from '../audit/types';
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

/** The audit receipts of the encounter's privacy officer alerts, to follow their delivery. */
export interface EncounterAlerts {
  selfClaim: AuditReceipt | null;
  /** The override in force (emergency or legal); replaced by a later override. */
  override: AuditReceipt | null;
}

/** What the encounter needs to know of the patient, fetched once when it opens. */
export interface EncounterFacts {
  patient: PatientSummary;
  care: CareOrganisations;
  preferences: SharingPreferences;
}

export interface Encounter {
  /** Random id: the X-Correlation-ID of its requests and the link between its audit events. */
  readonly id: string;
  readonly sessionId: string;
  readonly urid: string;
  readonly nhsNumber: string;
  readonly ptv: PtvState;
  readonly selfClaim: SelfClaim | null;
  readonly alerts: EncounterAlerts;
  /** null until the facts have been fetched. */
  readonly facts: EncounterFacts | null;
  /** Aborted when the encounter ends. */
  readonly signal: AbortSignal;
}

export type EncounterChange = Partial<Pick<Encounter, 'ptv' | 'selfClaim' | 'alerts' | 'facts'>>;

export interface EncounterRegistry {
  /** The encounter for this user and patient, or null (different patient, session or role, or none open). */
  current(user: SignedInUser, nhsNumber: string): Encounter | null;
  /** The open encounter, whoever it is for (to follow its alerts' delivery). */
  active(): Encounter | null;
  /** Opens (or keeps, if it is the same patient for the same session and role) the encounter. */
  open(user: SignedInUser, nhsNumber: string): Encounter;
  close(): void;
  /**
   * Replaces the encounter's state, only if it is still the active one (a session change while a PIN was being
   * checked or an audit written must not be undone); throws EncounterEndedError otherwise.
   */
  update(encounter: Encounter, change: EncounterChange): Encounter;
  /** A signal for a request outside an encounter: aborted on the next session change. */
  requestSignal(): AbortSignal;
  /** Stops listening to the session and aborts everything in flight. */
  dispose(): void;
}

export function createEncounterRegistry(session: SessionPort): EncounterRegistry {
  let active: Encounter | null = null;
  let controller: AbortController | null = null;
  let sessionRequests = new AbortController();
  /** Encounters of locked sessions, by session id, without their (aborted) signals. */
  const setAside = new Map<string, Omit<Encounter, 'signal'>>();

  const end = () => {
    controller?.abort(new EncounterEndedError());
    controller = null;
    active = null;
  };
  const unsubscribe = session.onChange((change, user, sessionId) => {
    sessionRequests.abort(new EncounterEndedError());
    sessionRequests = new AbortController();
    if (change === 'locked') {
      if (active && active.sessionId === sessionId) {
        const { signal: _aborted, ...kept } = active;
        setAside.set(sessionId, kept);
      }
      end();
    } else if (change === 'unlocked') {
      end();
      const kept = setAside.get(sessionId);
      setAside.delete(sessionId);
      if (kept && user && user.sessionId === sessionId && user.role.urid === kept.urid) {
        controller = new AbortController();
        active = { ...kept, signal: controller.signal };
      }
    } else {
      // signed-in, role-selected, signed-out: the encounter of the session concerned ends for good.
      setAside.delete(sessionId);
      end();
    }
  });
  const matches = (e: Encounter | null, user: SignedInUser, nhs: string): e is Encounter =>
    e !== null && e.sessionId === user.sessionId && e.urid === user.role.urid && e.nhsNumber === nhs;

  return {
    current: (user, nhs) => (matches(active, user, nhs) ? active : null),
    active: () => active,
    open(user, nhs) {
      if (matches(active, user, nhs)) return active;
      end();
      controller = new AbortController();
      active = {
        id: randomUUID(),
        sessionId: user.sessionId,
        urid: user.role.urid,
        nhsNumber: nhs,
        ptv: NOT_ASKED,
        selfClaim: null,
        alerts: { selfClaim: null, override: null },
        facts: null,
        signal: controller.signal,
      };
      return active;
    },
    close: end,
    update(e, change) {
      if (active !== e) throw new EncounterEndedError();
      active = { ...e, ...change };
      return active;
    },
    requestSignal: () => sessionRequests.signal,
    dispose() {
      unsubscribe();
      setAside.clear();
      end();
      sessionRequests.abort(new EncounterEndedError());
    },
  };
}
