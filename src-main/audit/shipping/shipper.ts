/**
 * The shipper for one transport: pulls undelivered events from the outbox (priority first, then sequence),
 * hands them to the transport in batches, marks what the far side confirmed, and retries the rest with backoff
 * for as long as it takes. All delivery state lives in the outbox, so a restart simply carries on; an event is
 * only marked after the far side confirmed it (at-least-once).
 *
 * Events the far side refuses for good (a FHIR 4xx about the event itself) are kept in the outbox, flagged loudly
 * and parked in memory so they do not block the queue or make the shipper spin; they are offered again after
 * parkedRetryMs and after every restart.
 *
 * Until a transport has worked (at start, and after every failure) the shipper sends a single event as a probe
 * (the most urgent one): a server that is down then costs one failed event per retry, not a whole round marked
 * failed and pushed back by the outbox's own per-event retry times.
 *
 * Up to `concurrency` batches are in flight at once, as a sliding window: when one is confirmed (and marked), the
 * next is read at once, skipping the events still in flight, so reading and connection set-up overlap the other
 * batches' transfer and confirmation instead of waiting for a whole round. Each batch is confirmed on its own terms
 * by its transport; nothing is marked delivered before that.
 *
 * With the SQLite outbox (LocalOutbox) the shipper also wakes when events are queued, sleeps until the outbox's
 * own per-event retry time when nothing is due yet, and reports offline/retrying/ok so the trail's status shows it.
 */
import type { TransportStatus } from '../../../src-shared/ipc/channels/audit';
import type { Logger } from '../../services/logger';
import type { LocalOutbox, Outbox, OutboxItem, ReportedTransportState } from '../types';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../../retry/backoff';
import type { Rejection, SendOutcome, Transport } from './transport';

export interface ShipperOptions {
  outbox: Outbox;
  transport: Transport;
  log: Logger;
  batchSize?: number;
  /**
   * Batches in flight at once (each on its own connection or request), as a sliding window: a new batch is read
   * (priority first, in-flight events skipped) as soon as one finishes, so set-up and confirmation waits overlap.
   */
  concurrency?: number;
  backoff?: BackoffPolicy;
  /** With nothing to send, look again at least this often; wake() is immediate. */
  idlePollMs?: number;
  /** How long a refused event waits before it is offered again. */
  parkedRetryMs?: number;
  /** Consecutive failures after which the state reads "offline" rather than "retrying". */
  offlineAfter?: number;
  /** Called when events are refused for good, e.g. to record a delivery-failure audit event. */
  onRejected?: (rejections: readonly Rejection[]) => void;
  random?: () => number;
  now?: () => number;
}

type Listener = (status: TransportStatus) => void;

function isLocalOutbox(o: Outbox): o is LocalOutbox {
  const l = o as Partial<LocalOutbox>;
  return (
    typeof l.nextAttemptAt === 'function' &&
    typeof l.onEnqueued === 'function' &&
    typeof l.reportState === 'function'
  );
}

export class Shipper {
  private readonly o: Required<Omit<ShipperOptions, 'onRejected'>> & Pick<ShipperOptions, 'onRejected'>;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly inflight = new Set<AbortController>();
  /** Seqs of the batches in flight: never offered twice at once. */
  private readonly flying = new Set<number>();
  /** No new batch before this time (epoch ms) after a failure; cleared by a success. */
  private backoffUntil = 0;
  private wakeSleep: (() => void) | null = null;
  private readonly parked = new Map<number, { at: number; error: string }>();
  private readonly listeners = new Set<Listener>();
  private idleWaiters: (() => void)[] = [];
  private failures = 0;
  /** Send one event at a time until the transport has succeeded once (see the file comment). */
  private probing = true;
  private misconfigured = false;
  private lastError: string | null = null;
  private lastDeliveredAt: string | null = null;
  private readonly local: LocalOutbox | null;
  private unsubscribe: (() => void) | null = null;
  private reported: ReportedTransportState | null = null;

  constructor(options: ShipperOptions) {
    this.o = {
      batchSize: 500,
      concurrency: 1,
      backoff: DEFAULT_BACKOFF,
      idlePollMs: 5_000,
      parkedRetryMs: 60 * 60_000,
      offlineAfter: 3,
      random: Math.random,
      now: Date.now,
      ...options,
    };
    this.local = isLocalOutbox(options.outbox) ? options.outbox : null;
  }

  get name() {
    return this.o.transport.name;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.local?.onEnqueued(() => this.wake()) ?? null;
    this.loop = this.run();
  }

  /** Ends the loop; a batch in flight is abandoned unconfirmed (it stays in the outbox). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const ac of this.inflight) ac.abort();
    this.wakeSleep?.();
    await this.loop;
    this.loop = null;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** New events were queued: stop idling. Does not cut a backoff short (no hammering a server that is down). */
  wake(): void {
    if (this.failures === 0) this.wakeSleep?.();
  }

  /** Resolves the next time the shipper finds nothing left to send (parked events aside), or when stopped. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  onStatus(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): TransportStatus {
    const depth = this.o.outbox.depth(this.name);
    const oldest = depth.oldestRecordedAt === null ? NaN : Date.parse(depth.oldestRecordedAt);
    let state: TransportStatus['state'] = 'ok';
    if (this.failures > 0)
      state = this.misconfigured || this.failures >= this.o.offlineAfter ? 'offline' : 'retrying';
    return {
      name: this.name,
      state,
      queueDepth: depth.count,
      oldestUndeliveredAgeMs: Number.isNaN(oldest) ? null : Math.max(0, this.o.now() - oldest),
      lastDeliveredAt: this.lastDeliveredAt,
      lastError: this.lastError ?? this.parkedError(),
    };
  }

  private parkedError(): string | null {
    if (this.parked.size === 0) return null;
    const first = this.parked.values().next().value;
    return `${this.parked.size} event(s) refused by the server and kept for review: ${first?.error ?? ''}`;
  }

  private emit(): void {
    if (this.local) {
      const state: ReportedTransportState =
        this.failures === 0
          ? 'ok'
          : this.misconfigured || this.failures >= this.o.offlineAfter
            ? 'offline'
            : 'retrying';
      if (state !== this.reported) {
        this.reported = state;
        this.local.reportState(this.name, state);
      }
    }
    if (this.listeners.size === 0) return;
    const s = this.status();
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (e) {
        this.o.log.warn('audit status listener threw', { error: (e as Error).message });
      }
    }
  }

  private take(): OutboxItem[] {
    const now = this.o.now();
    for (const [seq, p] of this.parked) if (now - p.at >= this.o.parkedRetryMs) this.parked.delete(seq);
    const want = this.probing ? 1 : this.o.batchSize;
    const skip = new Set<number>(this.flying);
    for (const seq of this.parked.keys()) skip.add(seq);
    const items = this.o.outbox.next(this.name, want, skip);
    const out: OutboxItem[] = [];
    for (const it of items) {
      if (skip.has(it.seq)) continue;
      out.push(it);
      if (out.length === want) break;
    }
    return out;
  }

  /** Nothing due: sleep until the outbox says something will be (never longer than idlePollMs). */
  private idleWait(): number {
    const due = this.local?.nextAttemptAt(this.name) ?? null;
    if (due === null) return this.o.idlePollMs;
    return Math.min(this.o.idlePollMs, Math.max(1, due - this.o.now()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeSleep === done) this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }

  /** Batches allowed in flight now: one while probing (see the file comment). */
  private window(): number {
    return this.probing ? 1 : this.o.concurrency;
  }

  private async run(): Promise<void> {
    const batches = new Set<Promise<void>>();
    while (this.running) {
      try {
        // Fill the window, unless backing off after a failure.
        while (this.running && batches.size < this.window() && this.o.now() >= this.backoffUntil) {
          const items = this.take();
          if (items.length === 0) break;
          const flight: Promise<void> = this.ship(items).finally(() => batches.delete(flight));
          batches.add(flight);
        }
        if (batches.size > 0) {
          await Promise.race(batches);
          continue;
        }
        const backoff = this.backoffUntil - this.o.now();
        if (backoff > 0) {
          await this.sleep(backoff);
          continue;
        }
        for (const w of this.idleWaiters.splice(0)) w();
        await this.sleep(this.idleWait());
      } catch (e) {
        this.outboxFailed(e);
      }
    }
    // stop() aborted what is in flight; let those batches record their outcome before the loop ends.
    await Promise.all(batches);
  }

  /** The outbox itself failed (database closed or broken): report and back off; the loop keeps trying. */
  private outboxFailed(e: unknown): void {
    this.failures++;
    this.lastError = `${this.name}: audit outbox error: ${(e as Error).message}`;
    this.o.log.error('audit shipper outbox error', { transport: this.name, error: (e as Error).message });
    this.emit();
    this.backoffUntil = this.o.now() + backoffDelay(this.o.backoff, this.failures, this.o.random);
  }

  /** Sends one batch and records its outcome. Never rejects: an outbox failure is reported and backed off. */
  private async ship(items: OutboxItem[]): Promise<void> {
    for (const it of items) this.flying.add(it.seq);
    const ac = new AbortController();
    this.inflight.add(ac);
    try {
      const outcome = await this.o.transport.send(items, ac.signal);
      this.record(items, outcome);
    } catch (e) {
      this.outboxFailed(e);
    } finally {
      this.inflight.delete(ac);
      for (const it of items) this.flying.delete(it.seq);
    }
  }

  /** Marks what the transport confirmed, parks what it refused, schedules the rest for retry with backoff. */
  private record(items: readonly OutboxItem[], out: SendOutcome): void {
    const { confirmed, rejected, retryError } = out;
    if (confirmed.length > 0) {
      this.o.outbox.markDelivered(this.name, confirmed);
      this.lastDeliveredAt = new Date(this.o.now()).toISOString();
    }
    if (rejected.length > 0) this.park(rejected);

    const done = new Set<number>(confirmed);
    for (const r of rejected) done.add(r.seq);
    const unconfirmed = items.filter((i) => !done.has(i.seq)).map((i) => i.seq);

    if (retryError !== null && unconfirmed.length > 0) {
      const misconfigured = out.misconfigured === true;
      this.failures++;
      this.probing = true;
      this.misconfigured = misconfigured;
      this.lastError = retryError;
      this.o.outbox.markFailed(this.name, unconfirmed, retryError);
      const delay = backoffDelay(
        this.o.backoff,
        misconfigured ? Number.MAX_SAFE_INTEGER : this.failures,
        this.o.random,
      );
      this.backoffUntil = Math.max(this.backoffUntil, this.o.now() + delay);
      this.o.log.warn('audit delivery failed; will retry', {
        transport: this.name,
        events: unconfirmed.length,
        failures: this.failures,
        retryInMs: delay,
        error: retryError,
      });
      this.emit();
      return;
    }
    this.failures = 0;
    this.backoffUntil = 0;
    this.probing = confirmed.length === 0 && this.probing;
    this.misconfigured = false;
    this.lastError = null;
    this.emit();
  }

  private park(rejections: readonly Rejection[]): void {
    const at = this.o.now();
    for (const r of rejections) {
      this.parked.set(r.seq, { at, error: r.error });
      this.o.outbox.markFailed(this.name, [r.seq], r.error);
    }
    this.o.log.error('audit events refused by the server; kept in the outbox for review', {
      transport: this.name,
      seqs: rejections.map((r) => r.seq),
      error: rejections[0]?.error,
    });
    try {
      this.o.onRejected?.(rejections);
    } catch (e) {
      this.o.log.error('audit onRejected hook failed', { error: (e as Error).message });
    }
  }
}
