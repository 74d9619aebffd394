/** Backoff: grows by the factor, stays within [half, full] of the step, caps at the ceiling, never gives up. */
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../src-main/audit/shipping/backoff';

const policy = { initialMs: 100, maxMs: 10_000, factor: 2 };

describe('backoffDelay', () => {
  it('doubles per failure, with jitter between half and all of the step', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0)).toBe(200);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
  });

  it('stays at the ceiling however long the outage lasts', () => {
    for (const n of [8, 50, 10_000, Number.MAX_SAFE_INTEGER]) {
      const d = backoffDelay(policy, n, Math.random);
      expect(d).toBeGreaterThanOrEqual(5_000);
      expect(d).toBeLessThanOrEqual(10_000);
    }
  });
});
