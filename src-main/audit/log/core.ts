/**
 * State shared by the trail and its outbox: the open database, its statements, whether it takes writes, and the
 * throttled status notifier. Every write goes through `write`, which turns a storage failure into
 * AuditUnavailableError and marks the log unwritable until a probe write succeeds.
 *
 * Tampering is different from a full disk: when a write finds the schema changed to something that is not ours,
 * a row that did not land, or (through `refuse`) the files replaced under the open log, the log refuses every
 * write from then on; no probe brings it back, only a restart whose start-up checks pass.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { AuditUnavailableError, type ReportedTransportState, type TransportName } from '../types';
import type { AuditRepository } from './repository';
import { computeStatus } from './status';
import { AuditTamperError } from './tamper';

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
  /** Problems with the open database's schema (none: it is still exactly ours). */
  schemaProblems: () => string[];
  /** Called once when the log starts refusing writes for good, with the reason (e.g. to rescue what it holds). */
  onRefused?: (reason: string) => void;
  /** Whether the files at the log's paths are still the ones open: null when they are, else why not. */
  filesProblem?: () => string | null;
  /** How often the files are also checked between writes (ms). */
  fileCheckMs?: number;
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
  private fileTimer: NodeJS.Timeout | null = null;
  private lastEmitted = '';
  private lastStatus: AuditStatus | null = null;
  private closed = false;
  /** Why the log refuses writes for good (tampering found); null while it does not. */
  private refusedBecause: string | null = null;
  /**
   * A file was swapped under the open connection: what it reads may mix its own files with someone else's (a new
   * -wal indexed by the shared -shm), so nothing is read through it any more either.
   */
  private detached = false;
  /** The schema cookie when the schema was last checked (null: check on the next write). */
  private checkedSchemaVersion: number | null = null;
  private readonly schemaVersion: Statement<[], number>;

  constructor(private readonly o: CoreOptions) {
    this.db = o.db;
    this.repo = o.repo;
    this.transports = o.transports;
    this.schemaVersion = o.db.prepare<[], number>('PRAGMA schema_version').pluck();
    if (o.filesProblem) {
      // Between writes too, so a deleted -wal is rescued within a second even when nobody is recording.
      this.fileTimer = setInterval(() => this.checkFiles(), o.fileCheckMs ?? 1_000);
      this.fileTimer.unref();
    }
  }

  /** Refuses writes for good when a file was deleted or replaced under the open log; true while all is well. */
  checkFiles(): boolean {
    if (this.closed || this.refusedBecause !== null) return this.refusedBecause === null;
    const problem = this.o.filesProblem?.() ?? null;
    if (problem === null) return true;
    this.detached = true;
    this.refuse(problem);
    return false;
  }

  /** The repository for reads; refuses once the files were swapped under the connection. */
  reader(): AuditRepository {
    if (this.closed) throw new AuditUnavailableError('The audit log is closed.');
    if (this.detached) throw this.refusal();
    return this.repo;
  }

  private refusal(cause?: unknown): AuditUnavailableError {
    return new AuditUnavailableError(
      `The audit log refuses writes: ${this.refusedBecause ?? 'unknown reason'}`,
      cause === undefined ? undefined : { cause },
    );
  }

  writable(): boolean {
    return this.ok && !this.closed && this.refusedBecause === null;
  }

  /** The reason the log refuses writes for good, or null. */
  refused(): string | null {
    return this.refusedBecause;
  }

  /**
   * Inside the write transaction, so nobody can change the schema between this check and the inserts: SQLite bumps
   * the schema cookie on every change, so one read of it (page 1, already cached) tells whether to look again.
   */
  private checkSchema(): void {
    const version = this.schemaVersion.get();
    if (version === this.checkedSchemaVersion) return;
    const problems = this.o.schemaProblems();
    if (problems.length > 0) {
      throw new AuditTamperError(
        `the audit database's schema changed while the log was open: ${problems.join('; ')}`,
      );
    }
    this.checkedSchemaVersion = version ?? null;
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction (commit is fsync'd: synchronous=FULL). Refuses while unwritable unless
   * a probe succeeds first.
   */
  write<T>(what: string, fn: () => T): T {
    if (this.closed) throw new AuditUnavailableError('The audit log is closed.');
    // Never write into a file that is no longer at its path; and check again after the commit below.
    if (!this.checkFiles()) throw this.refusal();
    if (!this.ok && !this.probe()) {
      throw new AuditUnavailableError(
        `The audit log cannot be written (${this.writeError ?? 'unknown error'}).`,
      );
    }
    let result: T;
    try {
      result = this.db
        .transaction(() => {
          this.checkSchema();
          return fn();
        })
        .immediate();
    } catch (err) {
      if (err instanceof AuditTamperError) {
        this.refuse(err.message);
        throw this.refusal(err);
      }
      this.fail(what, err);
      throw new AuditUnavailableError(`The audit log could not ${what}: ${describe(err)}`, { cause: err });
    }
    // Committed, but into the file at the path? If the file was swapped during the write, the commit went into one
    // nobody will read: not confirmed (the rescue may still save it).
    if (!this.checkFiles()) throw this.refusal();
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

  /**
   * From now on every write is refused (tampering found); status shows `reason`. Idempotent: the first reason
   * stays.
   */
  refuse(reason: string): void {
    if (this.refusedBecause !== null || this.closed) return;
    this.refusedBecause = reason;
    this.ok = false;
    this.writeError = `refuses writes: ${reason}`;
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.fileTimer) clearInterval(this.fileTimer);
    this.probeTimer = this.fileTimer = null;
    this.o.onError?.(`audit log refuses writes: ${reason}`, new AuditTamperError(reason));
    try {
      this.o.onRefused?.(reason);
    } catch (err) {
      this.o.onError?.('audit log: handling the refusal failed', err);
    }
    this.emitNow();
  }

  /** Changes the status text of a refused log (e.g. to add what was rescued). */
  explainRefusal(text: string): void {
    if (this.refusedBecause === null) return;
    this.writeError = `refuses writes: ${text}`;
    this.emitNow();
  }

  /** A small durable write; on success the log is writable again. Never for a log that refuses writes. */
  probe(): boolean {
    if (this.closed || this.refusedBecause !== null) return false;
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
    this.checkFiles();
    if (this.detached) return this.lastKnown(this.writeError);
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
      return this.lastKnown(`status unavailable: ${describe(err)}`);
    }
    return this.lastStatus;
  }

  /** What was last known, marked unwritable, with `error` as the current error. */
  private lastKnown(error: string | null): AuditStatus {
    const base = this.lastStatus ?? {
      queueDepth: 0,
      oldestUndeliveredAgeMs: null,
      lastDeliveredAt: null,
      lastError: null,
      writable: false,
      transports: [],
    };
    return { ...base, writable: false, lastError: error };
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
    if (this.fileTimer) clearInterval(this.fileTimer);
    this.statusTimer = this.probeTimer = this.fileTimer = null;
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }
}
