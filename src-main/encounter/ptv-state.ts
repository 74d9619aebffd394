/**
 * Permission to view as an explicit state machine, one per (user session, patient) encounter.
 *
 *   not-asked ──given──▶ given ─┐
 *       │ ├─refused──▶ refused  │   any state ──reset (patient change, card removed/locked, sign-out)──▶ not-asked
 *       │ ├─emergency─▶ emergency   (not from refused: the patient was able to answer)
 *       │ └─legal─────▶ legal
 *   granted states expire (permissionHours for given, overrideHours for overrides) and then read as not-asked.
 *
 * A new recording replaces the current one (a patient may change their mind; a clinician may escalate to a legal
 * override), except that emergency access is refused after the patient refused in the same encounter.
 * Times are epoch milliseconds.
 */
import type { PtvView } from '../../src-shared/domain/records';
import type { Basis, PtvFact } from '../policy/engine';

export type EmergencyCode = 4 | 5;
export type LegalCode = 1 | 2 | 3 | 6;

export type PtvState =
  | { state: 'not-asked' }
  | { state: 'refused'; at: number }
  | { state: 'given'; at: number; expiresAt: number }
  | { state: 'emergency'; at: number; expiresAt: number; reasonCode: EmergencyCode }
  | { state: 'legal'; at: number; expiresAt: number; reasonCode: LegalCode };

export type PtvEvent =
  | { type: 'given'; at: number }
  | { type: 'refused'; at: number }
  | { type: 'emergency'; at: number; reasonCode: EmergencyCode }
  | { type: 'legal'; at: number; reasonCode: LegalCode }
  | { type: 'reset' };

export interface PtvDurations {
  permissionHours: number;
  overrideHours: number;
}

export const NOT_ASKED: PtvState = { state: 'not-asked' };

export class PtvTransitionError extends Error {
  override readonly name = 'PtvTransitionError';
}

const HOUR = 3_600_000;

/** Applies an event; throws PtvTransitionError for a transition the machine does not allow. */
export function transition(current: PtvState, event: PtvEvent, d: PtvDurations): PtvState {
  switch (event.type) {
    case 'reset':
      return NOT_ASKED;
    case 'given':
      return { state: 'given', at: event.at, expiresAt: event.at + d.permissionHours * HOUR };
    case 'refused':
      return { state: 'refused', at: event.at };
    case 'emergency':
      if (current.state === 'refused') {
        throw new PtvTransitionError(
          'The patient refused permission in this encounter, so emergency access (for a patient who cannot be asked) does not apply.',
        );
      }
      return {
        state: 'emergency',
        at: event.at,
        expiresAt: event.at + d.overrideHours * HOUR,
        reasonCode: event.reasonCode,
      };
    case 'legal':
      return {
        state: 'legal',
        at: event.at,
        expiresAt: event.at + d.overrideHours * HOUR,
        reasonCode: event.reasonCode,
      };
  }
}

/** The state as of `now`: an expired grant reads as not-asked (ask again). */
export function effective(s: PtvState, now: number): PtvState {
  if ((s.state === 'given' || s.state === 'emergency' || s.state === 'legal') && now >= s.expiresAt)
    return NOT_ASKED;
  return s;
}

const BASIS: Record<'given' | 'emergency' | 'legal', Basis> = {
  given: 'permission',
  emergency: 'emergency',
  legal: 'legal',
};

export function toFact(s: PtvState, now: number): PtvFact {
  const e = effective(s, now);
  if (e.state === 'not-asked') return { state: 'not-asked' };
  if (e.state === 'refused') return { state: 'refused' };
  return { state: 'granted', basis: BASIS[e.state] };
}

export function toView(s: PtvState, now: number): PtvView {
  const e = effective(s, now);
  const iso = (ms: number) => new Date(ms).toISOString();
  switch (e.state) {
    case 'not-asked':
      return { state: 'not-asked' };
    case 'refused':
      return { state: 'refused', at: iso(e.at) };
    case 'given':
      return { state: 'granted', basis: 'permission', at: iso(e.at), expiresAt: iso(e.expiresAt) };
    case 'emergency':
    case 'legal':
      return {
        state: 'granted',
        basis: BASIS[e.state],
        at: iso(e.at),
        expiresAt: iso(e.expiresAt),
        reasonCode: e.reasonCode,
      };
  }
}
