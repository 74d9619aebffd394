/**
 * The one retry backoff of the workstation: how long to wait after the n-th consecutive failure.
 *
 * - Grows by `factor` from `initialMs` to the ceiling `maxMs` and stays there: it never gives up, because an
 *   ambulance laptop may be offline for a whole shift and audit events are never dropped for being old.
 * - "Equal jitter": half of the step is fixed and half is random, so a fleet of workstations coming back after
 *   an outage does not retry in step, yet no wait collapses to zero (the least is half the step, and 1 ms).
 *
 * Used by the audit outbox (per-event retry times) and the audit shipper (per-transport pause after a failure).
 */

export interface BackoffPolicy {
  /** The step after the first failure (ms, >= 1). */
  initialMs: number;
  /** The ceiling every later step stays at (ms, >= initialMs). */
  maxMs: number;
  /** Growth per consecutive failure (>= 1). */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 5 * 60_000, factor: 2 };

function checkPolicy(p: BackoffPolicy): void {
  const ok =
    Number.isFinite(p.initialMs) &&
    p.initialMs >= 1 &&
    Number.isFinite(p.maxMs) &&
    p.maxMs >= p.initialMs &&
    Number.isFinite(p.factor) &&
    p.factor >= 1;
  if (!ok)
    throw new RangeError(
      `backoff policy needs 1 <= initialMs <= maxMs and factor >= 1 (got ${JSON.stringify(p)})`,
    );
}

/**
 * The wait (ms) after `failures` consecutive failures (counted from 1; anything below 1 or not a number counts
 * as 1, Infinity as a long outage). `random` returns [0, 1); tests pass a fixed one.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  failures: number,
  random: () => number = Math.random,
): number {
  checkPolicy(policy);
  const n = failures > 1 ? Math.floor(failures) - 1 : 0; // NaN counts as the first failure
  // factor ** n overflows to Infinity for a long outage and min() brings that back to the ceiling; 1 ** Infinity
  // would be NaN, so a flat policy is special-cased.
  const growth = policy.factor === 1 ? 1 : policy.factor ** n;
  const step = Math.min(policy.maxMs, policy.initialMs * growth);
  const half = step / 2;
  const r = Math.min(1, Math.max(0, random()));
  return Math.max(1, Math.round(half + r * half));
}
