/**
 * The local audit trail: FHIR AuditEvents appended to a hash-chained, append-only SQLite log and queued for
 * remote delivery in the same transaction, committed with synchronous=FULL before record() returns. The guard
 * (`guard.ts`) checks before and after every write that the files at the log's paths are still the ones open,
 * keeps the head file, and rescues what it can when the log starts refusing writes. A clean close adds a signed
 * checkpoint, writes the head file and checkpoints the WAL into the database file.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { auditEventJson } from '../events/event-json';
import { priorityOf, priorityOfEvent } from '../events/priority';
import type { AuditEntry, AuditReceipt, LocalAuditTrail, TransportName } from '../types';
import { appendEvents, type AppendContext, type ChainState, type PreparedEvent } from './append';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../retry/backoff';
import { GENESIS_HASH } from './chain';
import { TrailCore } from './core';
import { LogGuard } from './guard';
import { openAuditDatabase } from './open';
import { SqliteOutbox } from './outbox';
import { createRepository, type AuditRepository } from './repository';
import { walCheckpoint } from './rescue';
import { schemaProblems } from './schema-check';
import { loadOrCreateWorkstationKey } from './workstation-key';

export interface AuditTrailOptions {
  /** SQLite file (created with its folder when missing). */
  file: string;
  workstationId: string;
  /** PKCS#8 PEM P-256 key that signs checkpoints; created when missing. */
  keyFile: string;
  /** Transports to queue every event for (the configured shippers). */
  transports: readonly TransportName[];
  /** A signed checkpoint after this many events. */
  checkpointEvery?: number;
  statusThrottleMs?: number;
  probeIntervalMs?: number;
  /** How often the files at the log's paths are checked between writes (ms; every write checks them anyway). */
  fileCheckMs?: number;
  backoff?: BackoffPolicy;
  now?: () => number;
  machineName?: string;
  onError?: (message: string, err: unknown) => void;
}

export const DEFAULT_CHECKPOINT_EVERY = 100;

function loadState(repo: AuditRepository): ChainState {
  const head = repo.head();
  return {
    seq: head?.seq ?? 0,
    hash: head ? Buffer.from(head.hash) : GENESIS_HASH,
    lastCheckpointSeq: repo.lastCheckpointSeq(),
  };
}

/** Queues the existing log for a transport seen for the first time, so enabling one later loses nothing. */
function enableTransports(repo: AuditRepository, transports: readonly TransportName[], at: string): void {
  for (const t of transports) {
    if (repo.transport(t)) continue;
    repo.enableTransport(t, at);
    repo.backfillOutbox(t);
    for (
      let page = repo.eventJsonAfter(0, 1000);
      page.length > 0;
      page = repo.eventJsonAfter(page.at(-1)?.seq ?? 0, 1000)
    ) {
      for (const row of page) {
        const p = priorityOfEvent(JSON.parse(row.json) as unknown);
        if (p !== 0) repo.setPriority(t, row.seq, p);
      }
    }
  }
}

export class SqliteAuditTrail implements LocalAuditTrail {
  readonly outbox: SqliteOutbox;
  private readonly core: TrailCore;
  private readonly guard: LogGuard;
  private readonly ctx: AppendContext;
  private state: ChainState;
  private readonly now: () => number;
  private readonly onError: AuditTrailOptions['onError'];

  constructor(options: AuditTrailOptions) {
    this.onError = options.onError;
    const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    if (!Number.isInteger(every) || every < 1)
      throw new RangeError('checkpointEvery must be a positive integer');
    const transports = [...new Set(options.transports)];
    this.now = options.now ?? Date.now;
    const key = loadOrCreateWorkstationKey(options.keyFile);
    const db = openAuditDatabase(options.file);
    let core: TrailCore | null = null;
    try {
      const repo = createRepository(db);
      const machineName = options.machineName ?? hostname();
      const nowIso = () => new Date(this.now()).toISOString();
      this.guard = new LogGuard({
        file: options.file,
        key,
        workstationId: options.workstationId,
        machineName,
        nowIso,
        onError: options.onError,
      });
      this.state = { seq: 0, hash: GENESIS_HASH, lastCheckpointSeq: 0 };
      core = this.core = new TrailCore({
        db,
        repo,
        transports,
        now: this.now,
        statusThrottleMs: options.statusThrottleMs ?? 250,
        probeIntervalMs: options.probeIntervalMs ?? 5_000,
        probeBytes: 16 * 1024,
        onRecovered: () => {
          this.state = loadState(repo);
        },
        schemaProblems: () => schemaProblems(db),
        filesProblem: () => this.guard.filesProblem(),
        fileCheckMs: options.fileCheckMs,
        onRefused: (reason) => this.core.explainRefusal(this.guard.onRefused(db, this.state, reason)),
        onError: options.onError,
      });
      this.guard.checkHead(repo);
      // Through the core like every other write: its schema check covers the start-up writes too.
      this.core.write('start the log', () => {
        repo.setMetaOnce('workstation_id', options.workstationId);
        repo.setMetaOnce('created_at', new Date(this.now()).toISOString());
        enableTransports(repo, transports, new Date(this.now()).toISOString());
      });
      const storedId = repo.meta('workstation_id');
      if (storedId !== options.workstationId) {
        throw new Error(
          `audit log ${options.file} belongs to workstation ${storedId}, not ${options.workstationId}`,
        );
      }
      this.state = loadState(repo);
      this.ctx = {
        repo,
        key,
        workstationId: options.workstationId,
        machineName,
        transports,
        checkpointEvery: every,
        nowIso,
      };
      this.outbox = new SqliteOutbox(this.core, options.backoff ?? DEFAULT_BACKOFF, this.now);
    } catch (err) {
      if (core) core.close();
      else db.close();
      throw err;
    }
  }

  /** ISO time of `ms`; events recorded in a batch mostly share their millisecond, so the last one is kept. */
  private iso(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }
  private lastMs = NaN;
  private lastIso = '';

  private prepare(entry: AuditEntry): PreparedEvent {
    const uuid = randomUUID();
    const recorded = this.iso(this.now());
    const json = auditEventJson(entry, { uuid, recorded, machineName: this.ctx.machineName });
    return { uuid, recorded, json, priority: priorityOf(entry.kind) };
  }

  private append(events: PreparedEvent[], forceCheckpoint: boolean, what: string): AuditReceipt[] {
    const { state, receipts, checkpointJson } = this.core.write(what, () =>
      appendEvents(this.ctx, this.state, events, forceCheckpoint),
    );
    this.state = state;
    // After the commit (durable): the head file never runs ahead of the log. Written after this task.
    if (checkpointJson !== null) this.guard.queueHead(checkpointJson);
    this.outbox.notifyEnqueued();
    return receipts;
  }

  record(entry: AuditEntry): AuditReceipt {
    // Building happens before the transaction: a malformed entry is a programming error, not an unwritable log.
    const receipt = this.append([this.prepare(entry)], false, 'record an event')[0];
    if (!receipt) throw new Error('append returned no receipt');
    return receipt;
  }

  recordMany(entries: readonly AuditEntry[]): AuditReceipt[] {
    if (entries.length === 0) return [];
    return this.append(
      entries.map((e) => this.prepare(e)),
      false,
      'record events',
    );
  }

  checkpoint(): AuditReceipt {
    const receipt = this.append([], true, 'record a checkpoint')[0];
    if (!receipt) throw new Error('append returned no receipt');
    return receipt;
  }

  probe(): boolean {
    return this.core.probe();
  }

  writable(): boolean {
    return this.core.writable();
  }

  status(): AuditStatus {
    return this.core.status();
  }

  onStatus(listener: (status: AuditStatus) => void): () => void {
    return this.core.onStatus(listener);
  }

  /** Head of the chain (for tests and the CLI). */
  head(): { seq: number; hash: string } {
    return { seq: this.state.seq, hash: this.state.hash.toString('hex') };
  }

  /**
   * A clean close: a signed checkpoint over the events since the last one (or a fresh head file when there were
   * none), then the WAL copied into the database file and truncated, so the file on its own holds the whole log.
   * Skipped, but the database still closed, when the log does not take writes.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.core.writable()) {
      try {
        if (this.state.seq > this.state.lastCheckpointSeq) this.checkpoint();
        else this.guard.writeHeadFor(this.state);
      } catch (err) {
        this.onError?.('audit log: no checkpoint at close', err);
      }
      try {
        // A reader (stethoscope audit verify) may hold a snapshot: wait for it a little, not 5 s.
        this.core.db.pragma('busy_timeout = 1000');
        if (walCheckpoint(this.core.db, 'TRUNCATE')?.busy !== false)
          this.onError?.('audit log: the WAL was not fully checkpointed at close (a reader)', null);
      } catch (err) {
        this.onError?.('audit log: WAL checkpoint at close failed', err);
      }
    }
    // The newest head file, whatever state the log is in (it only ever describes durable commits).
    this.guard.flushHead();
    this.core.close();
  }
  private closed = false;
}

export function openAuditTrail(options: AuditTrailOptions): SqliteAuditTrail {
  return new SqliteAuditTrail(options);
}
