/** The SQLite audit trail: durable chained appends, outbox per transport, checkpoints, status and recovery. */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openAuditTrail,
  type AuditTrailOptions,
  type SqliteAuditTrail,
} from '../../../../src-main/audit/log/trail';
import { verifyAuditLog } from '../../../../src-main/audit/log/verify';
import { AuditUnavailableError } from '../../../../src-main/audit/types';
import type { AuditStatus } from '../../../../src-shared/ipc/channels/audit';
import { entriesByKind, readEntry, tempDir } from '../../../support/audit-log/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function setup(over: Partial<AuditTrailOptions> = {}) {
  const t = tempDir('trail');
  cleanups.push(t.remove);
  const options: AuditTrailOptions = {
    file: `${t.dir}/audit.sqlite`,
    keyFile: `${t.dir}/workstation-key.pem`,
    workstationId: 'WS-TEST-01',
    transports: ['fhir', 'atna'],
    checkpointEvery: 1000,
    ...over,
  };
  const open = (o: Partial<AuditTrailOptions> = {}): SqliteAuditTrail => {
    const trail = openAuditTrail({ ...options, ...o });
    cleanups.push(() => trail.close());
    return trail;
  };
  return { dir: t.dir, options, open };
}

describe('SqliteAuditTrail', () => {
  it('appends with consecutive sequence numbers, queues for every transport, and the log verifies', () => {
    const { open, options } = setup();
    const trail = open();
    const receipts = [0, 1, 2].map((i) => trail.record(readEntry(i)));
    expect(receipts.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(new Set(receipts.map((r) => r.uuid)).size).toBe(3);
    expect(trail.outbox.depth('fhir').count).toBe(3);
    expect(trail.outbox.depth('atna').count).toBe(3);
    const item = trail.outbox.next('fhir', 1)[0];
    expect(JSON.parse(item?.json ?? '{}').id).toBe(receipts[0]?.uuid);
    expect(verifyAuditLog(options.file)).toMatchObject({ ok: true, events: 3, firstBadSeq: null });
  });

  it('creates the workstation key (mode 0600) once and reuses it', () => {
    const { open, options } = setup();
    open().checkpoint();
    const mode = statSync(options.keyFile).mode & 0o777;
    expect(mode).toBe(0o600);
    const report1 = verifyAuditLog(options.file);
    open().checkpoint();
    expect(verifyAuditLog(options.file).checkpoints.keyIds).toEqual(report1.checkpoints.keyIds);
  });

  it('creates the key whole (temp file linked into place, none left over); refuses an unreadable one in plain words', () => {
    const { open, options, dir } = setup();
    open().close();
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const t = tempDir('empty-key');
    cleanups.push(t.remove);
    writeFileSync(`${t.dir}/workstation-key.pem`, '');
    expect(() => open({ keyFile: `${t.dir}/workstation-key.pem`, file: `${t.dir}/audit.sqlite` })).toThrow(
      /the workstation key .*workstation-key\.pem is not a readable PEM private key/,
    );
    expect(statSync(options.keyFile).size).toBeGreaterThan(0);
  });

  it('adds a signed checkpoint every N events and on demand', () => {
    const { open, options } = setup({ checkpointEvery: 5 });
    const trail = open();
    const seqs = trail.recordMany(Array.from({ length: 12 }, (_, i) => readEntry(i))).map((r) => r.seq);
    // Checkpoints take seq 6 and 12 (each covering the five events before it).
    expect(seqs).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 14]);
    expect(trail.checkpoint().seq).toBe(15);
    const report = verifyAuditLog(options.file);
    expect(report).toMatchObject({ ok: true, checkpoints: { count: 3, lastSeq: 15 } });
  });

  it('continues the chain after reopening', () => {
    const { open, options } = setup();
    const a = open();
    a.record(readEntry(1));
    a.close();
    const b = open();
    // seq 2 is the signed checkpoint the clean close added.
    expect(b.record(readEntry(2)).seq).toBe(3);
    expect(verifyAuditLog(options.file).ok).toBe(true);
  });

  it('refuses a log that belongs to another workstation', () => {
    const { open } = setup();
    open().record(readEntry(1));
    expect(() => open({ workstationId: 'WS-OTHER' })).toThrow(/belongs to workstation WS-TEST-01/);
  });

  it('outbox: overrides first, then checkpoints, then routine, each by sequence', () => {
    const { open } = setup();
    const trail = open();
    trail.record(readEntry(1));
    const alert = trail.record(entriesByKind['emergency-override']);
    const cp = trail.checkpoint();
    trail.record(readEntry(2));
    expect(trail.outbox.next('fhir', 10).map((i) => i.seq)).toEqual([alert.seq, cp.seq, 1, 4]);
    expect(trail.outbox.next('fhir', 2).map((i) => i.priority)).toEqual([10, 5]);
    // Seqs in flight are skipped, urgent and routine alike, and the limit counts what is returned.
    expect(trail.outbox.next('fhir', 2, new Set([alert.seq, 1])).map((i) => i.seq)).toEqual([cp.seq, 4]);
    expect(trail.outbox.next('fhir', 10, new Set([alert.seq, cp.seq, 1, 4]))).toEqual([]);
  });

  it('outbox items carry the stored JSON bytes, and the same text', () => {
    const { open } = setup();
    const trail = open();
    trail.record(entriesByKind['preference-changed']);
    const [item] = trail.outbox.next('atna', 1);
    expect(item?.jsonBytes).toBeInstanceOf(Buffer);
    expect(item?.jsonBytes?.toString('utf8')).toBe(item?.json);
    expect(JSON.parse(item?.json ?? '{}')).toMatchObject({ resourceType: 'AuditEvent', id: item?.uuid });
  });

  it('markDelivered removes items and records delivered checkpoints; markFailed backs off', () => {
    let now = Date.parse('2026-11-24T10:00:00.000Z');
    const { open, options } = setup({ now: () => now, backoff: { initialMs: 1000, maxMs: 8000, factor: 2 } });
    const trail = open();
    trail.recordMany([readEntry(1), readEntry(2)]);
    const cp = trail.checkpoint();
    trail.outbox.markDelivered('fhir', [1, cp.seq]);
    expect(trail.outbox.next('fhir', 10).map((i) => i.seq)).toEqual([2]);
    expect(verifyAuditLog(options.file).checkpoints.lastDelivered).toEqual({
      eventSeq: cp.seq,
      coversSeq: 2,
      transports: ['fhir'],
    });

    trail.outbox.markFailed('atna', [1, 2], 'ECONNREFUSED');
    // Not due yet: the first wait is half to all of 1 s (src-main/retry/backoff.ts).
    expect(trail.outbox.next('atna', 10).map((i) => i.seq)).toEqual([cp.seq]);
    const due = trail.outbox.nextAttemptAt('atna');
    expect(due).toBeLessThanOrEqual(now); // the checkpoint never failed: due now
    now += 1300;
    expect(
      trail.outbox
        .next('atna', 10)
        .map((i) => i.seq)
        .sort(),
    ).toEqual([1, 2, cp.seq].sort());
    // Attempts grow the delay: after 4 failures the step is 8 s (capped), waited half to all of; never dropped.
    for (let i = 0; i < 3; i++) trail.outbox.markFailed('atna', [1], 'ECONNREFUSED');
    const db = new Database(options.file, { readonly: true });
    const row = db
      .prepare("SELECT attempts, next_attempt_at FROM outbox WHERE transport = 'atna' AND seq = 1")
      .get() as {
      attempts: number;
      next_attempt_at: number;
    };
    db.close();
    expect(row.attempts).toBe(4);
    expect(row.next_attempt_at - now).toBeGreaterThanOrEqual(4000);
    expect(row.next_attempt_at - now).toBeLessThanOrEqual(8000);
    expect(trail.outbox.depth('atna')).toMatchObject({ count: 3 });
  });

  it('status: depth over transports, oldest age, last delivery, current error, per-transport state', () => {
    let now = Date.parse('2026-11-24T10:00:00.000Z');
    const { open } = setup({ now: () => now });
    const trail = open();
    trail.record(readEntry(1));
    now += 1000;
    trail.record(readEntry(2));
    now += 500;
    trail.outbox.markDelivered('fhir', [1, 2]);
    trail.outbox.markFailed('atna', [1], 'TLS handshake failed');
    const s = trail.status();
    expect(s).toMatchObject({
      queueDepth: 2,
      oldestUndeliveredAgeMs: 1500,
      writable: true,
      lastError: 'atna: TLS handshake failed',
    });
    expect(s.lastDeliveredAt).toBe(new Date(now).toISOString());
    expect(s.transports.find((t) => t.name === 'fhir')).toMatchObject({
      state: 'ok',
      queueDepth: 0,
      oldestUndeliveredAgeMs: null,
    });
    expect(s.transports.find((t) => t.name === 'atna')).toMatchObject({ state: 'retrying', queueDepth: 2 });
    trail.outbox.reportState('fhir', 'offline');
    expect(trail.status().transports.find((t) => t.name === 'fhir')?.state).toBe('offline');
    now += 10;
    trail.outbox.markDelivered('atna', [1, 2]);
    expect(trail.status()).toMatchObject({ queueDepth: 0, lastError: null });
  });

  it('onStatus coalesces a burst of changes into one message', async () => {
    const { open } = setup({ statusThrottleMs: 30 });
    const trail = open();
    const seen: AuditStatus[] = [];
    const first = new Promise<void>((resolve) =>
      trail.onStatus((s) => {
        seen.push(s);
        resolve();
      }),
    );
    trail.recordMany([readEntry(0)]);
    for (let i = 1; i < 20; i++) trail.record(readEntry(i));
    await first;
    expect(seen).toHaveLength(1);
    expect(seen[0]?.queueDepth).toBe(20);
  });

  it('a transport enabled later gets the whole backlog, alerts first', () => {
    const { open } = setup({ transports: [] });
    const a = open();
    a.record(readEntry(1));
    a.record(entriesByKind['legal-override']);
    a.close();
    const b = open({ transports: ['fhir'] });
    // seq 3 is the checkpoint of the clean close (priority 5).
    expect(b.outbox.next('fhir', 10).map((i) => [i.seq, i.priority])).toEqual([
      [2, 10],
      [3, 5],
      [1, 0],
    ]);
  });

  it('a failed write throws AuditUnavailableError, writes nothing, refuses until a probe succeeds', () => {
    const { open, options } = setup();
    const trail = open();
    trail.record(readEntry(0));
    // Another connection makes the third outbox insert fail, in the middle of a batch: a row already in the way
    // (a trigger would do it too, but a trigger that is not ours is tampering and refused for good).
    const other = new Database(options.file);
    other.pragma('foreign_keys = OFF');
    other.prepare("INSERT INTO outbox (transport, seq, priority) VALUES ('fhir', 3, 0)").run();
    expect(() => trail.recordMany([readEntry(1), readEntry(2), readEntry(3)])).toThrow(AuditUnavailableError);
    expect(trail.writable()).toBe(false);
    expect(trail.status()).toMatchObject({ writable: false });
    expect(other.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    other.prepare("DELETE FROM outbox WHERE transport = 'fhir' AND seq = 3").run();
    other.close();
    expect(trail.probe()).toBe(true);
    expect(trail.writable()).toBe(true);
    expect(trail.recordMany([readEntry(1), readEntry(2)]).map((r) => r.seq)).toEqual([2, 3]);
    expect(verifyAuditLog(options.file).ok).toBe(true);
  });

  it('record() after close refuses', () => {
    const { open } = setup();
    const trail = open();
    trail.close();
    expect(() => trail.record(readEntry(1))).toThrow(AuditUnavailableError);
    expect(trail.writable()).toBe(false);
  });
});
