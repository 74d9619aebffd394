/**
 * One reader's calls into the PC/SC binding, one at a time, each with the exchange deadline.
 *
 * The binding runs every connect, transmit and disconnect on a libuv pool thread while holding the reader's
 * mutex, and PC/SC offers no way to cancel a transmit: a card (or reader driver) that never answers keeps that call
 * until the card leaves. So a call that misses its deadline is answered with CardTimeoutError at once and left to
 * finish in the background; until it does the lane is stuck, and further calls are refused at once instead of
 * queueing behind it (each queued call would hold another pool thread, and the pool also serves crypto and files).
 * Clean-up calls (`whenFree`) wait for the stuck call instead, so a handle is still released once the card leaves.
 */
import { CardTimeoutError } from './types';

export interface LaneOptions {
  /** Run after a stuck call returns instead of being refused (releasing handles). No deadline then. */
  whenFree?: boolean;
}

export interface NativeLane {
  /**
   * Starts `call` (which must call `done` exactly once, from the binding's callback) after the calls before it.
   * Rejects with CardTimeoutError when it misses the deadline, or at once while the lane is stuck.
   */
  run<T>(call: (done: (result: T) => void) => void, options?: LaneOptions): Promise<T>;
  /** A call missed its deadline and has not returned yet. */
  readonly stuck: boolean;
  /** Resolves once no call is in flight or queued. */
  idle(): Promise<void>;
}

/** "1 second", "5 seconds", "1.5 seconds". */
export function secondsText(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s} second${s === 1 ? '' : 's'}`;
}

interface Job {
  call: (done: (result: unknown) => void) => void;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  whenFree: boolean;
}

export function createNativeLane(timeoutMs: number): NativeLane {
  const queue: Job[] = [];
  let running: Job | null = null;
  let stuck = false;
  let idleWaiters: Array<() => void> = [];

  const missed = () =>
    new CardTimeoutError(`The card did not answer within ${secondsText(timeoutMs)}.`, timeoutMs);
  const stillWaiting = () =>
    new CardTimeoutError(
      `The card did not answer within ${secondsText(timeoutMs)}, and the reader is still waiting for it.`,
      timeoutMs,
    );

  const pump = () => {
    if (running) return;
    const job = queue.shift();
    if (!job) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    running = job;
    let late = false;
    let finished = false;
    const timer = job.whenFree
      ? null
      : setTimeout(() => {
          late = true;
          stuck = true;
          job.reject(missed());
          // Calls waiting behind it would wait without a deadline: refuse them now (clean-up calls stay).
          for (const waiting of queue.splice(0)) {
            if (waiting.whenFree) queue.push(waiting);
            else waiting.reject(stillWaiting());
          }
        }, timeoutMs);
    const done = (result: unknown) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      if (late) stuck = false;
      else job.resolve(result);
      running = null;
      pump();
    };
    try {
      job.call(done);
    } catch (err) {
      // The binding refused the arguments before starting anything.
      finished = true;
      if (timer) clearTimeout(timer);
      job.reject(err instanceof Error ? err : new Error(String(err)));
      running = null;
      pump();
    }
  };

  return {
    get stuck() {
      return stuck;
    },
    run<T>(call: (done: (result: T) => void) => void, options: LaneOptions = {}): Promise<T> {
      if (stuck && !options.whenFree) return Promise.reject(stillWaiting());
      return new Promise<T>((resolve, reject) => {
        queue.push({
          call: call as (done: (result: unknown) => void) => void,
          resolve: resolve as (result: unknown) => void,
          reject,
          whenFree: options.whenFree ?? false,
        });
        pump();
      });
    },
    idle() {
      return !running && queue.length === 0
        ? Promise.resolve()
        : new Promise<void>((r) => idleWaiters.push(r));
    },
  };
}
