/**
 * Audit benchmarks (issue 5). The local log (H3): one durable append — event built, canonicalised, chained, queued
 * for two transports and committed with synchronous=FULL — beside a bare better-sqlite3 insert of the same row bytes
 * with the same pragmas (target: p50 ratio <= 2); batched appends (recordMany, one transaction per 100) beside bare
 * batched inserts of the same bytes (target: >= 50 % of the bare rate); and the verifier's speed.
 * Remote delivery (H4) lives in bench/audit-drain.ts and is called at the end (its drainBench is the hook).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildAuditEvent } from '../src-main/audit/events/build';
import { canonicalJson } from '../src-main/audit/events/canonical';
import { chainHash, GENESIS_HASH } from '../src-main/audit/log/chain';
import { openAuditTrail } from '../src-main/audit/log/trail';
import { verifyAuditLog } from '../src-main/audit/log/verify';
import { readEntry } from '../test/support/audit-log/fixtures';
import { drainBench } from './audit-drain';
import { percentile, round, type BenchArea, type BenchRow } from './types';

const WARMUP = 50;
const SINGLE = 600;
const BATCH = 100;
const BATCHES = 60;

/** Bare peer: the same columns, pragmas and bytes as the log row, nothing else. */
function bareDb(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  if (db.pragma('synchronous', { simple: true }) !== 2) throw new Error('bare peer: synchronous is not FULL');
  db.exec(
    'CREATE TABLE t (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, recorded_at TEXT NOT NULL, json TEXT NOT NULL, hash BLOB NOT NULL) STRICT',
  );
  const insert = db.prepare<[number, string, string, string, Buffer]>('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
  return { db, insert };
}

/** Rows exactly as the trail would store them (so both sides write the same bytes). */
function sampleRows(n: number) {
  let prev: Buffer = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const uuid = crypto.randomUUID();
    const recorded = new Date().toISOString();
    const json = canonicalJson(buildAuditEvent(readEntry(i), { uuid, recorded, machineName: 'bench-ws' }));
    prev = chainHash(prev, json);
    return { uuid, recorded, json, hash: prev };
  });
}

const msSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

const run: BenchArea = async (ctx) => {
  const rows: BenchRow[] = [];

  // One durable append, ours and the bare peer alternating sample by sample so load changes hit both alike.
  const trail = openAuditTrail({
    file: join(ctx.tmp, 'single.sqlite'),
    keyFile: join(ctx.tmp, 'workstation-key.pem'),
    workstationId: 'WS-BENCH-01',
    transports: ['atna', 'fhir'],
  });
  const bare = bareDb(join(ctx.tmp, 'bare-single.sqlite'));
  const bareRows = sampleRows(WARMUP + SINGLE);
  const ours: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < WARMUP + SINGLE; i++) {
    let t0 = process.hrtime.bigint();
    trail.record(readEntry(i));
    if (i >= WARMUP) ours.push(msSince(t0));
    const r = bareRows[i];
    if (!r) throw new Error('sample rows ran out');
    t0 = process.hrtime.bigint();
    bare.insert.run(i + 1, r.uuid, r.recorded, r.json, r.hash);
    if (i >= WARMUP) peer.push(msSince(t0));
  }
  trail.close();
  bare.db.close();
  const p50 = percentile(ours, 50);
  const peerP50 = percentile(peer, 50);
  rows.push({
    area: 'audit',
    name: 'durable append (record: build+chain+queue x2+commit FULL) vs bare insert',
    unit: 'ms',
    p50: round(p50),
    p95: round(percentile(ours, 95)),
    peer: round(peerP50),
    ratio: round(p50 / peerP50, 2),
    target: round(2 * peerP50),
  });

  // Batched appends, alternating batch by batch.
  const batchTrail = openAuditTrail({
    file: join(ctx.tmp, 'batch.sqlite'),
    keyFile: join(ctx.tmp, 'workstation-key.pem'),
    workstationId: 'WS-BENCH-01',
    transports: ['atna', 'fhir'],
  });
  const bareBatch = bareDb(join(ctx.tmp, 'bare-batch.sqlite'));
  const sample = sampleRows(BATCH * (BATCHES + 1));
  const insertBatch = bareBatch.db.transaction((from: number) => {
    for (let i = from; i < from + BATCH; i++) {
      const r = sample[i];
      if (r) bareBatch.insert.run(i + 1, r.uuid, r.recorded, r.json, r.hash);
    }
  });
  let oursMs = 0;
  let peerMs = 0;
  for (let b = 0; b <= BATCHES; b++) {
    let t0 = process.hrtime.bigint();
    batchTrail.recordMany(Array.from({ length: BATCH }, (_, i) => readEntry(b * BATCH + i)));
    if (b > 0) oursMs += msSince(t0); // batch 0 warms up
    t0 = process.hrtime.bigint();
    insertBatch(b * BATCH);
    if (b > 0) peerMs += msSince(t0);
  }
  batchTrail.close();
  bareBatch.db.close();
  const oursRate = (BATCH * BATCHES) / (oursMs / 1000);
  const peerRate = (BATCH * BATCHES) / (peerMs / 1000);
  rows.push({
    area: 'audit',
    name: `batched append (recordMany x${BATCH}) vs bare batched insert`,
    unit: 'rows/s',
    value: Math.round(oursRate),
    peer: Math.round(peerRate),
    ratio: round(oursRate / peerRate, 2),
    target: Math.round(0.5 * peerRate),
  });

  // Verifier speed over the batched log (~6,100 events with checkpoints).
  const t0 = process.hrtime.bigint();
  const report = verifyAuditLog(join(ctx.tmp, 'batch.sqlite'));
  const verifyMs = msSince(t0);
  if (!report.ok) throw new Error(`bench log failed verification: ${JSON.stringify(report.problems)}`);
  rows.push({
    area: 'audit',
    name: 'verify (chain + checkpoints)',
    unit: 'rows/s',
    value: Math.round(report.events / (verifyMs / 1000)),
  });

  for (const r of rows) ctx.log(`${r.name}: ${JSON.stringify(r)}`);

  // Remote delivery rows (H4).
  rows.push(...(await drainBench(ctx)));
  return rows;
};
export default run;
