/**
 * State shared by the trail and its outbox: the open database, its statements, whether it takes writes, and the
 * throttled status notifier. Every write goes through `write`, which turns a storage failure into
 * AuditUnavailableError and marks the log unwritable until a probe write succeeds.
 */
import type { Database } from 'better-sqlite3';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { AuditUnavailableError, type ReportedTransportState, type TransportName } from '../types';
import type { AuditRepository } from './repository';
import { computeStatus } from './status';

export interface CoreOptions {
  db: Database;
  repo: AuditRepository;
  transports: readonly TransportName[];
  now: () => number;
  statusThrottleMs: number;
  probeIntervalMs: number;
  /** Size of the probe write; big enough that success means an ordinary event will fit too. */
  probeBytes: number;
  /** Called after a successful probe so the writer can reload its head from the file. */
  onRecovered: () => void;
  onError?: (message: string, err: unknown) => void;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

export class TrailCore {
  readonly db: Database;
  readonly repo: AuditRepository;
  readonly transports: readonly TransportName[];
  readonly reported = new Map<TransportName, ReportedTransportState>();
  private ok = true;
  private writeError: string | null = null;
  private listeners = new Set<(s: AuditStatus) => void>();
  private statusTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private lastEmitted = '';
  private lastStatus: AuditStatus | null = null;
  private closed = false;

  constructor(private readonly o: CoreOptions) {
    this.db = o.db;
    this.repo = o.repo;
    this.transports = o.transports;
  }

  writable(): boolean {
    return this.ok && !this.closed;
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction (commit is fsync'd: synchronous=FULL). Refuses while unwritable unless
   * a probe succeeds first.
   */
  write<T>(what: string, fn: () => T): T {
    if (this.closed) throw new AuditUnavailableError('The audit log is closed.');
    if (!this.ok && !this.probe()) {
      throw new AuditUnavailableError(
        `The audit log cannot be written (${this.writeError ?? 'unknown error'}).`,
      );
    }
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (err) {
      this.fail(what, err);
      throw new AuditUnavailableError(`The audit log could not ${what}: ${describe(err)}`, { cause: err });
    }
    this.changed();
    return result;
  }

  private fail(what: string, err: unknown): void {
    const first = this.ok;
    this.ok = false;
    this.writeError = `could not ${what}: ${describe(err)}`;
    this.o.onError?.(this.writeError, err);
    if (first) this.emitNow();
    if (!this.probeTimer && !this.closed) {
      this.probeTimer = setInterval(() => this.probe(), this.o.probeIntervalMs);
      this.probeTimer.unref();
    }
  }

  /** A small durable write; on success the log is writable again. */
  probe(): boolean {
    if (this.closed) return false;
    try {
      this.o.repo.probe(new Date(this.o.now()).toISOString(), this.o.probeBytes);
      this.o.onRecovered();
    } catch (err) {
      this.writeError = `probe write failed: ${describe(err)}`;
      return false;
    }
    const was = this.ok;
    this.ok = true;
    this.writeError = null;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    if (!was) this.emitNow();
    return true;
  }

  status(): AuditStatus {
    if (this.closed && this.lastStatus) return { ...this.lastStatus, writable: false };
    try {
      this.lastStatus = computeStatus({
        repo: this.repo,
        transports: this.transports,
        reported: this.reported,
        writable: this.writable(),
        writeError: this.writeError,
        now: this.o.now(),
      });
    } catch (err) {
      // Reads can fail too (I/O error); report what we last knew, marked unwritable.
      const base = this.lastStatus ?? {
        queueDepth: 0,
        oldestUndeliveredAgeMs: null,
        lastDeliveredAt: null,
        lastError: null,
        writable: false,
        transports: [],
      };
      return { ...base, writable: false, lastError: `status unavailable: ${describe(err)}` };
    }
    return this.lastStatus;
  }

  onStatus(listener: (s: AuditStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Something changed: emit a status soon (at most one per throttle window). */
  changed(): void {
    if (this.statusTimer || this.listeners.size === 0 || this.closed) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.emitNow();
    }, this.o.statusThrottleMs);
    this.statusTimer.unref();
  }

  emitNow(): void {
    if (this.listeners.size === 0 || this.closed) return;
    const s = this.status();
    // The age of the oldest item grows every millisecond; only changes of substance are worth a message.
    const key = JSON.stringify({
      ...s,
      oldestUndeliveredAgeMs: null,
      transports: s.transports.map((t) => ({ ...t, oldestUndeliveredAgeMs: null })),
    });
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (err) {
        this.o.onError?.('audit status listener failed', err);
      }
    }
  }

  close(): void {
    if (this.closed) return;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.statusTimer = this.probeTimer = null;
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }
}
