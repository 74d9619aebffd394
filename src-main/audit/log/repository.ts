/**
 * Every query the writer runs, prepared once and reused (record() is on the path between a click and the data
 * appearing). Values are always bound, never spliced into SQL.
 */
import type { Database, RunResult } from 'better-sqlite3';
import type { TransportName } from '../types';

export interface HeadRow {
  seq: number;
  hash: Buffer;
}

/**
 * A queued item as the outbox query returns it, as an array (raw mode: no object per row on 5,000-row pages):
 * seq, uuid, priority, recorded_at, and the event's canonical JSON as its stored UTF-8 bytes (CAST AS BLOB: not
 * decoded into a JS string).
 */
export type OutboxRow = [seq: number, uuid: string, priority: number, recordedAt: string, json: Buffer];

export interface TransportRow {
  name: TransportName;
  last_delivered_at: string | null;
  last_delivered_seq: number | null;
  last_error: string | null;
  last_error_at: string | null;
}

export type AuditRepository = ReturnType<typeof createRepository>;

export function createRepository(db: Database) {
  const s = {
    head: db.prepare<[], HeadRow>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
    insertEvent: db.prepare<[number, string, string, string, Buffer]>(
      'INSERT INTO audit_log (seq, uuid, recorded_at, json, hash) VALUES (?, ?, ?, ?, ?)',
    ),
    insertOutbox: db.prepare<[string, number, number]>(
      'INSERT INTO outbox (transport, seq, priority) VALUES (?, ?, ?)',
    ),
    insertCheckpoint: db.prepare<[number, number, Buffer]>(
      'INSERT INTO checkpoint (event_seq, covers_seq, head_hash) VALUES (?, ?, ?)',
    ),
    lastCheckpoint: db.prepare<[], { event_seq: number }>(
      'SELECT max(event_seq) AS event_seq FROM checkpoint',
    ),
    metaGet: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    metaInsert: db.prepare<[string, string]>('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
    transportGet: db.prepare<[string], TransportRow>(
      'SELECT name, last_delivered_at, last_delivered_seq, last_error, last_error_at FROM transport WHERE name = ?',
    ),
    transports: db.prepare<[], { name: string }>('SELECT name FROM transport ORDER BY name'),
    transportInsert: db.prepare<[string, string]>('INSERT INTO transport (name, enabled_at) VALUES (?, ?)'),
    backfill: db.prepare<[string]>(
      'INSERT OR IGNORE INTO outbox (transport, seq, priority) SELECT ?, seq, 0 FROM audit_log',
    ),
    setPriority: db.prepare<[number, string, number]>(
      'UPDATE outbox SET priority = ? WHERE transport = ? AND seq = ?',
    ),
    eventJsonAfter: db.prepare<[number, number], { seq: number; json: string }>(
      'SELECT seq, json FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    // Delivery order is priority first, then sequence: urgent items through the partial index, then routine ones
    // in primary-key order. Two index-backed queries instead of one sort over the whole queue. The seqs to skip
    // (batches in flight) come as a JSON array, materialised once per query.
    outboxNextUrgent: db
      .prepare<[string, number, string, number], OutboxRow>(
        `SELECT o.seq AS seq, l.uuid AS uuid, o.priority AS priority, l.recorded_at AS recorded_at,
              CAST(l.json AS BLOB) AS json
         FROM outbox o JOIN audit_log l ON l.seq = o.seq
        WHERE o.transport = ? AND o.priority > 0 AND o.next_attempt_at <= ?
          AND o.seq NOT IN (SELECT value FROM json_each(?))
        ORDER BY o.priority DESC, o.seq
        LIMIT ?`,
      )
      .raw(true),
    outboxNextRoutine: db
      .prepare<[string, number, string, number], OutboxRow>(
        `SELECT o.seq AS seq, l.uuid AS uuid, o.priority AS priority, l.recorded_at AS recorded_at,
              CAST(l.json AS BLOB) AS json
         FROM outbox o JOIN audit_log l ON l.seq = o.seq
        WHERE o.transport = ? AND o.priority = 0 AND o.next_attempt_at <= ?
          AND o.seq NOT IN (SELECT value FROM json_each(?))
        ORDER BY o.seq
        LIMIT ?`,
      )
      .raw(true),
    // A delivery of many items is three set statements over a JSON array of seqs, not two statements per item.
    // Only items still pending count (a repeated confirmation changes nothing), hence the join on outbox.
    deliveredCheckpoints: db.prepare<[string, string, string]>(
      `INSERT OR IGNORE INTO checkpoint_delivery (event_seq, transport, delivered_at)
       SELECT c.event_seq, o.transport, ?
         FROM checkpoint c JOIN outbox o ON o.transport = ? AND o.seq = c.event_seq
        WHERE c.event_seq IN (SELECT value FROM json_each(?))`,
    ),
    deliveredMax: db.prepare<[string, string], { max_seq: number | null }>(
      `SELECT max(seq) AS max_seq FROM outbox
        WHERE transport = ? AND seq IN (SELECT value FROM json_each(?))`,
    ),
    outboxDeleteMany: db.prepare<[string, string]>(
      'DELETE FROM outbox WHERE transport = ? AND seq IN (SELECT value FROM json_each(?))',
    ),
    /** Whether one event is still queued for a transport (the primary key answers it). */
    outboxPending: db.prepare<[string, number], { one: number }>(
      'SELECT 1 AS one FROM outbox WHERE transport = ? AND seq = ?',
    ),
    outboxAttempts: db.prepare<[string, number], { attempts: number }>(
      'SELECT attempts FROM outbox WHERE transport = ? AND seq = ?',
    ),
    outboxFail: db.prepare<[number, string, string, number]>(
      'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE transport = ? AND seq = ?',
    ),
    transportDelivered: db.prepare<[string, number, string]>(
      'UPDATE transport SET last_delivered_at = ?, last_delivered_seq = max(coalesce(last_delivered_seq, 0), ?) WHERE name = ?',
    ),
    transportFailed: db.prepare<[string, string, string]>(
      'UPDATE transport SET last_error = ?, last_error_at = ? WHERE name = ?',
    ),
    depth: db.prepare<[string], { count: number; oldest_seq: number | null }>(
      'SELECT count(*) AS count, min(seq) AS oldest_seq FROM outbox WHERE transport = ?',
    ),
    nextAttempt: db.prepare<[string], { at: number | null }>(
      'SELECT min(next_attempt_at) AS at FROM outbox WHERE transport = ?',
    ),
    /** Distinct events pending on any of the transports given as a JSON array. */
    pendingAny: db.prepare<[string], { count: number; oldest_seq: number | null }>(
      `SELECT count(DISTINCT seq) AS count, min(seq) AS oldest_seq
         FROM outbox WHERE transport IN (SELECT value FROM json_each(?))`,
    ),
    hashAt: db.prepare<[number], { hash: Buffer }>('SELECT hash FROM audit_log WHERE seq = ?'),
    recordedAt: db.prepare<[number], { recorded_at: string }>(
      'SELECT recorded_at FROM audit_log WHERE seq = ?',
    ),
    probe: db.prepare<[string, number]>(
      'INSERT OR REPLACE INTO probe (id, at, pad) VALUES (1, ?, zeroblob(?))',
    ),
  };

  // One statement queues an event for every transport (one round trip per event, not one per transport). The SQL
  // differs only in its number of placeholder groups; values are always bound.
  const queueStatements = new Map<number, ReturnType<typeof db.prepare>>();
  const queueFor = (count: number) => {
    let st = queueStatements.get(count);
    if (!st) {
      const groups = Array.from({ length: count }, () => '(?, ?, ?)').join(', ');
      st = db.prepare(`INSERT INTO outbox (transport, seq, priority) VALUES ${groups}`);
      queueStatements.set(count, st);
    }
    return st;
  };

  return {
    head: (): HeadRow | null => s.head.get() ?? null,
    /** The statement's own result: the writer checks the row landed (rows changed, rowid = seq). */
    insertEvent: (seq: number, uuid: string, recordedAt: string, json: string, hash: Buffer): RunResult =>
      s.insertEvent.run(seq, uuid, recordedAt, json, hash),
    insertOutbox: (transport: TransportName, seq: number, priority: number) =>
      void s.insertOutbox.run(transport, seq, priority),
    /** Queues event `seq` for each of `transports` in one statement; returns the rows written. */
    queueForAll: (transports: readonly TransportName[], seq: number, priority: number): number => {
      if (transports.length === 0) return 0;
      const params: (string | number)[] = [];
      for (const t of transports) params.push(t, seq, priority);
      return queueFor(transports.length).run(params).changes;
    },
    /** Returns the rows written (1 unless something in the database dropped it). */
    insertCheckpoint: (eventSeq: number, coversSeq: number, headHash: Buffer): number =>
      s.insertCheckpoint.run(eventSeq, coversSeq, headHash).changes,
    lastCheckpointSeq: (): number => s.lastCheckpoint.get()?.event_seq ?? 0,
    meta: (key: string): string | null => s.metaGet.get(key)?.value ?? null,
    setMetaOnce: (key: string, value: string) => void s.metaInsert.run(key, value),
    transport: (name: TransportName): TransportRow | null => s.transportGet.get(name) ?? null,
    enabledTransports: (): TransportName[] =>
      s.transports
        .all()
        .map((r) => r.name)
        .filter((n): n is TransportName => n === 'atna' || n === 'fhir' || n === 'scr'),
    enableTransport: (name: TransportName, at: string) => void s.transportInsert.run(name, at),
    backfillOutbox: (name: TransportName) => void s.backfill.run(name),
    setPriority: (name: TransportName, seq: number, priority: number) =>
      void s.setPriority.run(priority, name, seq),
    /** A page of stored events after `seq` (paged so the caller may write between pages). */
    eventJsonAfter: (seq: number, limit: number) => s.eventJsonAfter.all(seq, limit),
    outboxNext: (
      transport: TransportName,
      now: number,
      limit: number,
      skip: ReadonlySet<number>,
    ): OutboxRow[] => {
      const skipJson = skip.size === 0 ? '[]' : JSON.stringify([...skip]);
      const urgent = s.outboxNextUrgent.all(transport, now, skipJson, limit);
      return urgent.length >= limit
        ? urgent
        : urgent.concat(s.outboxNextRoutine.all(transport, now, skipJson, limit - urgent.length));
    },
    /**
     * Removes the given items of a transport from the outbox and records the delivered checkpoints among them.
     * Returns the highest seq that was still pending (null when none was).
     */
    outboxDeliver: (transport: TransportName, seqs: readonly number[], at: string): number | null => {
      const list = JSON.stringify(seqs);
      s.deliveredCheckpoints.run(at, transport, list);
      const max = s.deliveredMax.get(transport, list)?.max_seq ?? null;
      s.outboxDeleteMany.run(transport, list);
      return max;
    },
    outboxPending: (transport: TransportName, seq: number): boolean =>
      s.outboxPending.get(transport, seq) !== undefined,
    outboxAttempts: (transport: TransportName, seq: number): number | null =>
      s.outboxAttempts.get(transport, seq)?.attempts ?? null,
    outboxFail: (transport: TransportName, seq: number, error: string, nextAttemptAt: number) =>
      void s.outboxFail.run(nextAttemptAt, error, transport, seq),
    transportDelivered: (transport: TransportName, maxSeq: number, at: string) =>
      void s.transportDelivered.run(at, maxSeq, transport),
    transportFailed: (transport: TransportName, error: string, at: string) =>
      void s.transportFailed.run(error, at, transport),
    depth: (transport: TransportName) => s.depth.get(transport) ?? { count: 0, oldest_seq: null },
    nextAttemptAt: (transport: TransportName): number | null => s.nextAttempt.get(transport)?.at ?? null,
    pendingAny: (transports: readonly TransportName[]) =>
      s.pendingAny.get(JSON.stringify(transports)) ?? { count: 0, oldest_seq: null },
    recordedAt: (seq: number): string | null => s.recordedAt.get(seq)?.recorded_at ?? null,
    hashAt: (seq: number): Buffer | null => s.hashAt.get(seq)?.hash ?? null,
    probe: (at: string, padBytes: number) => void s.probe.run(at, padBytes),
  };
}
