/**
 * Exponential backoff with jitter and no give-up: an ambulance laptop may be offline for a whole shift, so the
 * delay grows to a ceiling and stays there; events are never dropped for being old.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Growth per consecutive failure. */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 5 * 60_000, factor: 2 };

/**
 * The wait after the n-th consecutive failure (n >= 1): "equal jitter", half fixed and half random, so many
 * workstations coming back after an outage do not retry in step, yet no wait collapses to zero.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  failures: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, failures - 1));
  const half = exp / 2;
  return Math.round(half + random() * half);
}
