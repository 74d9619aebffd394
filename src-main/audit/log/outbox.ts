/**
 * The store-and-forward queue the shippers drain: pending items per transport, priority first, then sequence;
 * deliveries delete the item (and record a delivered checkpoint), failures count attempts and set the next
 * attempt time. Nothing here ever drops an item for being old.
 */
import type { LocalOutbox, OutboxItem, ReportedTransportState, TransportName } from '../types';
import { backoffDelay, type BackoffPolicy } from '../../retry/backoff';
import type { TrailCore } from './core';

const EMPTY: ReadonlySet<number> = new Set();

/**
 * A queued event as read from the log: the JSON arrives as its stored bytes (the ATNA path frames them as they
 * are) and is decoded to text only when a transport asks for it (FHIR parses it).
 */
class StoredItem implements OutboxItem {
  private text: string | null = null;
  constructor(
    readonly seq: number,
    readonly uuid: string,
    readonly priority: number,
    readonly recordedAt: string,
    readonly jsonBytes: Buffer,
  ) {}

  get json(): string {
    return (this.text ??= this.jsonBytes.toString('utf8'));
  }
}

export class SqliteOutbox implements LocalOutbox {
  private enqueuedListeners = new Set<() => void>();

  constructor(
    private readonly core: TrailCore,
    private readonly backoff: BackoffPolicy,
    private readonly now: () => number,
  ) {}

  get transports(): readonly TransportName[] {
    return this.core.transports;
  }

  next(transport: TransportName, limit: number, skip?: ReadonlySet<number>): OutboxItem[] {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    return this.core
      .reader()
      .outboxNext(transport, this.now(), limit, skip ?? EMPTY)
      .map(
        ([seq, uuid, priority, recordedAt, json]) => new StoredItem(seq, uuid, priority, recordedAt, json),
      );
  }

  markDelivered(transport: TransportName, seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    const at = new Date(this.now()).toISOString();
    this.core.write('record a delivery', () => {
      const max = this.core.repo.outboxDeliver(transport, seqs, at);
      if (max !== null) this.core.repo.transportDelivered(transport, max, at);
    });
    if (this.core.reported.get(transport) !== undefined) this.core.reported.delete(transport);
  }

  markFailed(transport: TransportName, seqs: readonly number[], error: string): void {
    if (seqs.length === 0) return;
    const now = this.now();
    const at = new Date(now).toISOString();
    this.core.write('record a delivery failure', () => {
      for (const seq of seqs) {
        const attempts = this.core.repo.outboxAttempts(transport, seq);
        if (attempts === null) continue;
        this.core.repo.outboxFail(transport, seq, error, now + backoffDelay(this.backoff, attempts + 1));
      }
      this.core.repo.transportFailed(transport, error, at);
    });
  }

  depth(transport: TransportName): { count: number; oldestRecordedAt: string | null } {
    const repo = this.core.reader();
    const d = repo.depth(transport);
    return {
      count: d.count,
      oldestRecordedAt: d.oldest_seq === null ? null : repo.recordedAt(d.oldest_seq),
    };
  }

  pendingOn(seq: number): TransportName[] {
    const repo = this.core.reader();
    return this.core.transports.filter((t) => repo.outboxPending(t, seq));
  }

  nextAttemptAt(transport: TransportName): number | null {
    return this.core.reader().nextAttemptAt(transport);
  }

  onEnqueued(listener: () => void): () => void {
    this.enqueuedListeners.add(listener);
    return () => this.enqueuedListeners.delete(listener);
  }

  reportState(transport: TransportName, state: ReportedTransportState): void {
    if (state === 'ok') this.core.reported.delete(transport);
    else this.core.reported.set(transport, state);
    this.core.changed();
  }

  /** Called by the trail after a commit that queued items. */
  notifyEnqueued(): void {
    if (this.core.transports.length === 0) return;
    for (const l of this.enqueuedListeners) {
      try {
        l();
      } catch {
        // A shipper's wake-up must never fail a record() that already committed.
      }
    }
  }
}
