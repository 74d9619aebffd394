/**
 * The new-alert notice (privacy-officer spec, "The queue"): while a reviewer is signed in, the workstation asks
 * every so often how many alerts are new, and tells the screen how many arrived since she last looked at her
 * queue. The notice is a count and nothing else: no patient, no user, no alert.
 */
import type { SessionPort } from '../session/port';

export interface AlertNotice {
  /** The queue was shown with this many new alerts: the notice starts again from here. */
  seen(newAlerts: number): void;
  /** Asks once now (the timer calls it too). */
  check(): Promise<void>;
  close(): void;
}

export function createAlertNotice(o: {
  /** New alerts for the signed-in reviewer, or null when nobody who reviews alerts is signed in. */
  count: () => Promise<number | null>;
  /** Told the number of alerts that arrived since the queue was last shown, whenever that number changes. */
  notify: (newAlerts: number) => void;
  session: SessionPort;
  intervalMs: number;
  onError?: (err: unknown) => void;
}): AlertNotice {
  let baseline: number | null = null;
  let told = 0;
  const reset = () => {
    baseline = null;
    told = 0;
  };
  // A new session, a lock or a sign-out starts again: the count belongs to whoever is signed in.
  const off = o.session.onChange(reset);
  const tell = (n: number) => {
    if (n === told) return;
    told = n;
    o.notify(n);
  };
  const check = async () => {
    try {
      const n = await o.count();
      if (n === null) return;
      if (baseline === null) baseline = n;
      else tell(Math.max(0, n - baseline));
    } catch (err) {
      o.onError?.(err);
    }
  };
  const timer = setInterval(() => void check(), o.intervalMs);
  timer.unref();
  return {
    seen(n) {
      baseline = n;
      tell(0);
    },
    check,
    close() {
      clearInterval(timer);
      off();
    },
  };
}
