/**
 * Retry delay after a failed delivery: doubling from `baseMs` up to `maxMs`, with ±20 % jitter so a fleet of
 * laptops coming back online does not retry in step. Never gives up: old events are retried as long as it takes.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/** Delay before attempt number `attempts + 1`, given `attempts` failures so far (>= 1). */
export function retryDelayMs(
  policy: BackoffPolicy,
  attempts: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
  return Math.round(exp * (0.8 + 0.4 * random()));
}
