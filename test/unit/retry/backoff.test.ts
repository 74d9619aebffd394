/**
 * The one backoff: grows by the factor, stays within [half, full] of the step, caps at the ceiling, never gives
 * up, never waits zero, spreads a fleet's retries, and refuses a policy that would break those promises.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../src-main/retry/backoff';

const policy = { initialMs: 100, maxMs: 10_000, factor: 2 };

describe('backoffDelay', () => {
  it('doubles per failure, with jitter between half and all of the step', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0)).toBe(200);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
  });

  it('stays at the ceiling however long the outage lasts', () => {
    for (const n of [8, 50, 10_000, Number.MAX_SAFE_INTEGER, Infinity]) {
      const d = backoffDelay(policy, n, Math.random);
      expect(d).toBeGreaterThanOrEqual(5_000);
      expect(d).toBeLessThanOrEqual(10_000);
    }
    // A flat policy (factor 1) too: 1 ** Infinity is NaN in JavaScript.
    expect(backoffDelay({ initialMs: 300, maxMs: 300, factor: 1 }, Infinity, () => 1)).toBe(300);
  });

  it('never waits zero, even with the smallest policy and the luckiest draw', () => {
    expect(backoffDelay({ initialMs: 1, maxMs: 1, factor: 1 }, 1, () => 0)).toBe(1);
    for (const n of [-3, 0, NaN]) expect(backoffDelay(policy, n, () => 0)).toBe(50);
  });

  it('spreads a fleet: retries after the same failure do not fall in step', () => {
    const draws = Array.from({ length: 1_000 }, () => backoffDelay(policy, 3, Math.random));
    expect(new Set(draws).size).toBeGreaterThan(100);
    expect(Math.min(...draws)).toBeLessThan(240);
    expect(Math.max(...draws)).toBeGreaterThan(360);
  });

  it('refuses a policy that could give up, go to zero or shrink', () => {
    for (const bad of [
      { initialMs: 0, maxMs: 100, factor: 2 },
      { initialMs: 100, maxMs: 50, factor: 2 },
      { initialMs: 100, maxMs: 1_000, factor: 0.5 },
      { initialMs: NaN, maxMs: 1_000, factor: 2 },
      { initialMs: 100, maxMs: Infinity, factor: 2 },
    ]) {
      expect(() => backoffDelay(bad, 1)).toThrow(RangeError);
    }
  });

  it('defaults: 1 s doubling to 5 minutes', () => {
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 1_000, maxMs: 300_000, factor: 2 });
  });
});
