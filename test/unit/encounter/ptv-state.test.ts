/** The permission-to-view state machine on its own: transitions, expiry and views. */
import { describe, expect, it } from 'vitest';
import {
  NOT_ASKED,
  PtvTransitionError,
  effective,
  toFact,
  toView,
  transition,
} from '../../../src-main/encounter/ptv-state';

const d = { permissionHours: 8, overrideHours: 4 };
const H = 3_600_000;

describe('PTV state machine', () => {
  it('grants permission for permissionHours and overrides for overrideHours', () => {
    const given = transition(NOT_ASKED, { type: 'given', at: 0 }, d);
    expect(toFact(given, 8 * H - 1)).toEqual({ state: 'granted', basis: 'permission' });
    expect(toFact(given, 8 * H)).toEqual({ state: 'not-asked' });
    const em = transition(NOT_ASKED, { type: 'emergency', at: 0, reasonCode: 5 }, d);
    expect(toFact(em, 4 * H - 1)).toEqual({ state: 'granted', basis: 'emergency' });
    expect(effective(em, 4 * H)).toEqual(NOT_ASKED);
    const legal = transition(
      NOT_ASKED,
      { type: 'legal', at: 0, reasonCode: 3 },
      { permissionHours: 8, overrideHours: 1 },
    );
    expect(toFact(legal, H)).toEqual({ state: 'not-asked' });
  });

  it('does not allow emergency access after the patient refused, but allows a legal override or a change of mind', () => {
    const refused = transition(NOT_ASKED, { type: 'refused', at: 0 }, d);
    expect(() => transition(refused, { type: 'emergency', at: 1, reasonCode: 5 }, d)).toThrow(
      PtvTransitionError,
    );
    expect(transition(refused, { type: 'legal', at: 1, reasonCode: 2 }, d).state).toBe('legal');
    expect(transition(refused, { type: 'given', at: 1 }, d).state).toBe('given');
  });

  it('a refusal does not expire into a grant, and reset returns to not-asked', () => {
    const refused = transition(NOT_ASKED, { type: 'refused', at: 0 }, d);
    expect(toFact(refused, 100 * H)).toEqual({ state: 'refused' });
    expect(transition(refused, { type: 'reset' }, d)).toEqual(NOT_ASKED);
  });

  it('views carry the basis, expiry and reason code', () => {
    const em = transition(
      NOT_ASKED,
      { type: 'emergency', at: Date.parse('2026-11-24T10:00:00Z'), reasonCode: 4 },
      d,
    );
    expect(toView(em, Date.parse('2026-11-24T11:00:00Z'))).toEqual({
      state: 'granted',
      basis: 'emergency',
      at: '2026-11-24T10:00:00.000Z',
      expiresAt: '2026-11-24T14:00:00.000Z',
      reasonCode: 4,
    });
  });
});
