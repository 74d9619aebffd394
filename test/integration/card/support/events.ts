/**
 * Waiting on events in tests: resolves with the first event that matches, or fails with what was seen instead.
 */
import { performance } from 'node:perf_hooks';

export interface EventLog<T> {
  readonly seen: T[];
  /** performance.now() when each event in `seen` arrived (same index). */
  readonly times: number[];
  push(event: T): void;
  /** The first event at or after `from` (index into seen) that matches. */
  next(match: (e: T) => boolean, timeoutMs?: number, from?: number): Promise<T>;
  mark(): number;
}

export function eventLog<T>(describe: (e: T) => string = (e) => JSON.stringify(e)): EventLog<T> {
  const seen: T[] = [];
  const times: number[] = [];
  const waiters = new Set<() => void>();
  return {
    seen,
    times,
    push(e) {
      seen.push(e);
      times.push(performance.now());
      for (const w of [...waiters]) w();
    },
    mark: () => seen.length,
    next(match, timeoutMs = 10_000, from = 0) {
      return new Promise<T>((resolve, reject) => {
        let i = from;
        const check = () => {
          for (; i < seen.length; i++) {
            const e = seen[i] as T;
            if (match(e)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(e);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching event within ${timeoutMs} ms; seen: ${seen.slice(from).map(describe).join(' | ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
