/**
 * The verifier: reads an audit database without changing it and names the first bad sequence number.
 * Checks, in order: schema (an allow-list: STRICT tables, append-only triggers with their original text, no
 * trigger, view, index or table that is not ours; WAL; schema version);
 * the chain (sequence numbers 1..n with no gap, each hash = SHA-256(previous hash || stored JSON), JSON canonical
 * and consistent with its row); every checkpoint event (signature, key, covers the event before it with the right
 * head hash); the checkpoint index; and the tail (the log must reach every delivered checkpoint, every queued
 * outbox item, the head file beside the database, and, when given, a checkpoint held by the remote side).
 * A history rewritten and re-chained from some point on cannot be pinned to one row by a hash chain alone: it is
 * reported at the first sequence after the last checkpoint that still verifies.
 */
import { createHash, type KeyObject } from 'node:crypto';
import Database from 'better-sqlite3';
import { canonicalJson } from '../events/canonical';
import { isCheckpointEvent, readCheckpointEvent, type SignedCheckpoint } from '../events/checkpoint';
import { GENESIS_HASH, chainHash } from './chain';
import { headFilePath, readHeadFile, type HeadFileRead } from './head-file';
import { LATEST_VERSION } from './migrations/index';
import { schemaProblems } from './schema-check';
import { keyIdOf, publicKeyFromSpki, verifyStatement } from './workstation-key';

export type ProblemKind = 'schema' | 'sequence' | 'hash' | 'content' | 'checkpoint' | 'truncated';

export interface VerifyProblem {
  kind: ProblemKind;
  /** The first sequence number this problem makes untrustworthy; null for file-wide problems. */
  seq: number | null;
  message: string;
}

export interface VerifyOptions {
  /** The workstation's public key. Without it, checkpoints are checked only against the key they carry. */
  publicKey?: KeyObject;
  /** A checkpoint as the remote side holds it: the log must reach it with the same head hash. */
  remoteCheckpoint?: SignedCheckpoint;
  /**
   * The head file (`head-file.ts`): the log must reach it too. Default: the one beside the database, when there is
   * one; null to leave it out (e.g. a copy of the database taken elsewhere).
   */
  headFile?: string | null;
  /**
   * Start after a prefix verified earlier (seq and its hex hash): only that row's hash is re-read, then the chain
   * is checked from there. For repeated checks of a growing log; a full check omits this.
   */
  since?: { seq: number; hash: string };
}

export interface VerifyReport {
  ok: boolean;
  file: string;
  events: number;
  head: { seq: number; hash: string } | null;
  firstBadSeq: number | null;
  problems: VerifyProblem[];
  journalMode: string;
  userVersion: number;
  checkpoints: {
    count: number;
    lastSeq: number | null;
    keyIds: string[];
    signaturesCheckedAgainst: 'given-key' | 'embedded-key';
    lastDelivered: { eventSeq: number; coversSeq: number; transports: string[] } | null;
    remote: { seq: number; verified: boolean } | null;
    /** The head file found beside the database (or given), its sequence, and whether its signature verified. */
    headFile: { path: string; seq: number; verified: boolean } | null;
  };
}

interface LogRow {
  seq: number;
  uuid: string;
  recorded_at: string;
  json: string;
  hash: Buffer;
}

function asLogRow(r: unknown): LogRow | null {
  if (typeof r !== 'object' || r === null) return null;
  const o = r as Record<string, unknown>;
  if (typeof o['seq'] !== 'number' || !Number.isInteger(o['seq'])) return null;
  if (typeof o['uuid'] !== 'string' || typeof o['recorded_at'] !== 'string' || typeof o['json'] !== 'string')
    return null;
  if (!Buffer.isBuffer(o['hash'])) return null;
  return o as unknown as LogRow;
}

const ints = (rows: unknown[], col: string): number[] =>
  rows.map((r) => (r as Record<string, unknown>)[col]).filter((v): v is number => typeof v === 'number');

export function verifyAuditLog(file: string, options: VerifyOptions = {}): VerifyReport {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return verifyOpen(db, file, options);
  } finally {
    db.close();
  }
}

function verifyOpen(db: Database.Database, file: string, options: VerifyOptions): VerifyReport {
  const problems: VerifyProblem[] = [];
  const add = (kind: ProblemKind, seq: number | null, message: string) =>
    problems.push({ kind, seq, message });

  const journalMode = String(db.pragma('journal_mode', { simple: true }));
  if (journalMode !== 'wal') add('schema', null, `journal_mode is ${journalMode}, not wal`);
  const userVersion = Number(db.pragma('user_version', { simple: true }));
  if (userVersion !== LATEST_VERSION)
    add('schema', null, `schema version is ${userVersion}, expected ${LATEST_VERSION}`);
  // Against the schema of the file's own version (an older file is reported once above, not object by object).
  for (const p of schemaProblems(db, Math.min(Math.max(0, userVersion), LATEST_VERSION)))
    add('schema', null, p);

  const metaRow = db.prepare("SELECT value FROM meta WHERE key = 'workstation_id'").get() as
    { value?: unknown } | undefined;
  const workstationId = typeof metaRow?.value === 'string' ? metaRow.value : null;
  if (workstationId === null) add('schema', null, 'workstation id missing from meta');

  const givenKeyId = options.publicKey ? keyIdOf(options.publicKey).keyId : null;
  const keyIds = new Set<string>();
  const checkpointEvents = new Map<number, { covers: number; hash: string }>();
  const hashAt = new Map<number, string>();
  const headPath = options.headFile === undefined ? headFilePath(file) : options.headFile;
  const headRead: HeadFileRead = headPath === null ? { state: 'absent' } : readHeadFile(headPath);
  const wantHashAt = new Set<number>();
  if (options.remoteCheckpoint) wantHashAt.add(options.remoteCheckpoint.statement.seq);
  if (headRead.state === 'ok') wantHashAt.add(headRead.checkpoint.statement.seq);
  let lastGoodCheckpointCovers = 0;

  // Checkpoints usually all carry the same key: parse each distinct one once.
  const embeddedKeys = new Map<string, KeyObject | null>();
  const embeddedKey = (spki: string): KeyObject | null => {
    if (!embeddedKeys.has(spki)) {
      try {
        embeddedKeys.set(spki, publicKeyFromSpki(spki));
      } catch {
        embeddedKeys.set(spki, null);
      }
    }
    return embeddedKeys.get(spki) ?? null;
  };

  /** Checks one signed checkpoint; returns a reason it fails, or null. */
  const checkSigned = (cp: SignedCheckpoint): string | null => {
    const embedded = embeddedKey(cp.publicKey);
    if (!embedded) return 'carries an unreadable public key';
    const embeddedId = createHash('sha256').update(Buffer.from(cp.publicKey, 'base64')).digest('hex');
    if (embeddedId !== cp.keyId) return 'key id does not match the key it carries';
    if (givenKeyId !== null && cp.keyId !== givenKeyId)
      return `signed by key ${cp.keyId.slice(0, 16)}…, not the workstation key`;
    const key = options.publicKey ?? embedded;
    if (!verifyStatement(key, cp.statementJson, cp.signature)) return 'signature does not verify';
    if (workstationId !== null && cp.statement.workstationId !== workstationId) {
      return `names workstation ${cp.statement.workstationId}, the log belongs to ${workstationId}`;
    }
    return null;
  };

  let expected = 1;
  let prev: Buffer = GENESIS_HASH;
  const since = options.since && options.since.seq > 0 ? options.since : null;
  if (since) {
    const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(since.seq) as
      { hash?: unknown } | undefined;
    if (!row || !Buffer.isBuffer(row.hash) || row.hash.toString('hex') !== since.hash) {
      add('hash', since.seq, `sequence ${since.seq} no longer has the hash verified earlier`);
    } else {
      expected = since.seq + 1;
      prev = row.hash;
    }
  }
  const prefixEnd = expected - 1;
  lastGoodCheckpointCovers = prefixEnd;
  let chainBroken = problems.some((p) => p.kind === 'hash');
  let events = prefixEnd;
  for (const raw of db
    .prepare('SELECT seq, uuid, recorded_at, json, hash FROM audit_log WHERE seq > ? ORDER BY seq')
    .iterate(prefixEnd)) {
    events += 1;
    if (chainBroken) continue;
    const row = asLogRow(raw);
    if (!row) {
      add('content', expected, `row at position ${expected} has wrongly typed columns`);
      chainBroken = true;
      continue;
    }
    if (row.seq !== expected) {
      add(
        'sequence',
        expected,
        row.seq > expected
          ? `sequence ${expected} is missing (next row is ${row.seq})`
          : `sequence ${row.seq} out of order`,
      );
      chainBroken = true;
      continue;
    }
    const computed = chainHash(prev, row.json);
    if (!computed.equals(row.hash)) {
      add('hash', row.seq, `hash of sequence ${row.seq} does not match its content and the previous hash`);
      chainBroken = true;
      continue;
    }
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(row.json);
      if (canonicalJson(parsed) !== row.json) parsed = null;
    } catch {
      parsed = null;
    }
    if (parsed === null) add('content', row.seq, `sequence ${row.seq} is not canonical JSON`);
    else {
      const ev = parsed as { resourceType?: unknown; id?: unknown; recorded?: unknown };
      if (ev.resourceType !== 'AuditEvent')
        add('content', row.seq, `sequence ${row.seq} is not an AuditEvent`);
      if (ev.id !== row.uuid)
        add('content', row.seq, `sequence ${row.seq}: uuid column differs from the event id`);
      if (ev.recorded !== row.recorded_at)
        add('content', row.seq, `sequence ${row.seq}: recorded_at differs from the event`);
    }
    if (parsed !== null && isCheckpointEvent(parsed)) {
      const read = readCheckpointEvent(parsed);
      if (!read.ok) add('checkpoint', row.seq, `checkpoint at ${row.seq}: ${read.error}`);
      else {
        const cp = read.checkpoint;
        keyIds.add(cp.keyId);
        const bad = checkSigned(cp);
        if (bad) add('checkpoint', row.seq, `checkpoint at ${row.seq} ${bad}`);
        else if (cp.statement.seq !== row.seq - 1 || cp.statement.headHash !== prev.toString('hex')) {
          // Signed, but the chain before it differs from what was signed: re-chained history.
          add(
            'hash',
            lastGoodCheckpointCovers + 1,
            `checkpoint at ${row.seq} signed a different history: events ${lastGoodCheckpointCovers + 1}..${row.seq - 1} were rewritten`,
          );
          chainBroken = true;
        } else {
          lastGoodCheckpointCovers = cp.statement.seq;
          checkpointEvents.set(row.seq, { covers: cp.statement.seq, hash: cp.statement.headHash });
        }
      }
    }
    if (wantHashAt.has(row.seq)) hashAt.set(row.seq, computed.toString('hex'));
    prev = computed;
    expected += 1;
  }
  const lastSeq = expected - 1;
  // Checkpoints held elsewhere may point into the prefix verified earlier (`since`): take its stored hashes.
  for (const seq of wantHashAt) {
    if (hashAt.has(seq) || seq > prefixEnd) continue;
    const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as
      { hash?: unknown } | undefined;
    if (row && Buffer.isBuffer(row.hash)) hashAt.set(seq, row.hash.toString('hex'));
  }
  const head = lastSeq > 0 ? { seq: lastSeq, hash: prev.toString('hex') } : null;

  if (!options.publicKey && keyIds.size > 1) {
    add('checkpoint', null, `checkpoints are signed by ${keyIds.size} different keys`);
  }

  // The checkpoint index must agree with the signed events (only for the part of the log that verified).
  const indexRows = db
    .prepare('SELECT event_seq, covers_seq, head_hash FROM checkpoint ORDER BY event_seq')
    .all();
  for (const r of indexRows) {
    const o = r as { event_seq: unknown; covers_seq: unknown; head_hash: unknown };
    if (typeof o.event_seq !== 'number') continue;
    if (o.event_seq > lastSeq || o.event_seq <= prefixEnd) continue; // truncation is reported below
    const ev = checkpointEvents.get(o.event_seq);
    const hash = Buffer.isBuffer(o.head_hash) ? o.head_hash.toString('hex') : '';
    if (!chainBroken && (!ev || ev.covers !== o.covers_seq || ev.hash !== hash)) {
      add('checkpoint', o.event_seq, `checkpoint index row ${o.event_seq} does not match the log`);
    }
  }
  if (!chainBroken) {
    for (const seq of checkpointEvents.keys()) {
      if (!indexRows.some((r) => (r as { event_seq: unknown }).event_seq === seq)) {
        add('checkpoint', seq, `checkpoint at ${seq} is missing from the checkpoint index`);
      }
    }
  }

  // The tail: anything that proves the log once reached further than it does now.
  const delivered = db
    .prepare(
      `SELECT d.event_seq AS event_seq, c.covers_seq AS covers_seq, group_concat(d.transport) AS transports
         FROM checkpoint_delivery d LEFT JOIN checkpoint c ON c.event_seq = d.event_seq
        GROUP BY d.event_seq ORDER BY d.event_seq DESC LIMIT 1`,
    )
    .get() as { event_seq?: unknown; covers_seq?: unknown; transports?: unknown } | undefined;
  let lastDelivered: VerifyReport['checkpoints']['lastDelivered'] = null;
  if (delivered && typeof delivered.event_seq === 'number') {
    lastDelivered = {
      eventSeq: delivered.event_seq,
      coversSeq: typeof delivered.covers_seq === 'number' ? delivered.covers_seq : delivered.event_seq - 1,
      transports: typeof delivered.transports === 'string' ? delivered.transports.split(',') : [],
    };
  }
  const truncated = (reach: number, why: string) => {
    if (!chainBroken && reach > lastSeq)
      add('truncated', lastSeq + 1, `log ends at ${lastSeq} but ${why} (tail cut off)`);
  };
  if (lastDelivered) truncated(lastDelivered.eventSeq, `checkpoint ${lastDelivered.eventSeq} was delivered`);
  const maxOf = (sql: string, col: string) => Math.max(0, ...ints(db.prepare(sql).all(), col));
  truncated(maxOf('SELECT max(seq) AS m FROM outbox', 'm'), 'the outbox still queues later events');
  truncated(
    maxOf('SELECT max(event_seq) AS m FROM checkpoint', 'm'),
    'the checkpoint index lists later checkpoints',
  );
  truncated(
    maxOf('SELECT max(event_seq) AS m FROM checkpoint_delivery', 'm'),
    'a later checkpoint was delivered',
  );

  /** The log must reach `cp` (held elsewhere) with the same head hash; `where` names the holder in messages. */
  const checkReach = (cp: SignedCheckpoint, where: { what: string; holds: string; why: string }): boolean => {
    const bad = checkSigned(cp);
    if (bad) {
      add('checkpoint', null, `${where.what} ${bad}`);
      return false;
    }
    if (chainBroken) return true;
    if (cp.statement.seq > lastSeq) {
      add(
        'truncated',
        lastSeq + 1,
        `log ends at ${lastSeq} but ${where.holds} a checkpoint at ${cp.statement.seq} (${where.why})`,
      );
    } else if (cp.statement.seq > 0 && hashAt.get(cp.statement.seq) !== cp.statement.headHash) {
      const from =
        Math.max(
          ...[0, ...[...checkpointEvents.values()].map((c) => c.covers).filter((c) => c < cp.statement.seq)],
        ) + 1;
      add(
        'hash',
        from,
        `the log differs from ${where.what} at ${cp.statement.seq}: events ${from}..${cp.statement.seq} were rewritten`,
      );
    }
    return true;
  };

  let remote: VerifyReport['checkpoints']['remote'] = null;
  if (options.remoteCheckpoint) {
    const cp = options.remoteCheckpoint;
    const verified = checkReach(cp, {
      what: 'the remote checkpoint',
      holds: 'the remote side holds',
      why: 'tail cut off',
    });
    remote = { seq: cp.statement.seq, verified };
  }

  let headFile: VerifyReport['checkpoints']['headFile'] = null;
  if (headPath !== null) {
    if (headRead.state === 'unreadable')
      add('checkpoint', null, `the head file ${headPath} is unreadable: ${headRead.error}`);
    else if (headRead.state === 'ok') {
      const verified = checkReach(headRead.checkpoint, {
        what: `the head file ${headPath}`,
        holds: `its head file ${headPath} records`,
        why: 'confirmed events lost, or the database replaced by an older copy',
      });
      headFile = { path: headPath, seq: headRead.checkpoint.statement.seq, verified };
    }
  }

  const seqs = problems.map((p) => p.seq).filter((s): s is number => s !== null);
  return {
    ok: problems.length === 0,
    file,
    events,
    head,
    firstBadSeq: seqs.length > 0 ? Math.min(...seqs) : null,
    problems,
    journalMode,
    userVersion,
    checkpoints: {
      count: checkpointEvents.size,
      lastSeq: checkpointEvents.size > 0 ? Math.max(...checkpointEvents.keys()) : null,
      keyIds: [...keyIds],
      signaturesCheckedAgainst: options.publicKey ? 'given-key' : 'embedded-key',
      lastDelivered,
      remote,
      headFile,
    },
  };
}
