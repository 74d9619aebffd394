/**
 * Files deleted or replaced under an open log (in process; test/integration/audit/files-swapped.test.ts does it to
 * a separate writer process). SQLite goes on writing into the files it has open, so without a check every later
 * "confirmed" event goes where nobody will find it. Each append must fail closed (AuditUnavailableError, log
 * unwritable, status says why), and what the connection still holds must be rescued:
 * - -wal (or -shm) deleted: a checkpoint copies its frames into the database file: nothing confirmed is lost;
 * - database file replaced: the log as the connection holds it goes to a rescue copy, and the file now at the path
 *   fails verification against the head file.
 * Also: a clean close adds a signed checkpoint, writes the head file and leaves the whole log in the database file;
 * start-up refuses a log that does not reach its head file. And what the per-append checks cost.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { headFilePath, readHeadFile } from '../../../../src-main/audit/log/head-file';
import { AuditOpenError } from '../../../../src-main/audit/log/open';
import { openFilesProblem, recordOpenFiles } from '../../../../src-main/audit/log/open-files';
import {
  openAuditTrail,
  type AuditTrailOptions,
  type SqliteAuditTrail,
} from '../../../../src-main/audit/log/trail';
import { verifyAuditLog } from '../../../../src-main/audit/log/verify';
import { AuditUnavailableError, type AuditReceipt } from '../../../../src-main/audit/types';
import { readEntry, tempDir } from '../../../support/audit-log/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function setup(over: Partial<AuditTrailOptions> = {}) {
  const t = tempDir('swapped');
  cleanups.push(t.remove);
  const options: AuditTrailOptions = {
    file: join(t.dir, 'audit.sqlite'),
    keyFile: join(t.dir, 'workstation-key.pem'),
    workstationId: 'WS-TEST-01',
    transports: ['fhir'],
    checkpointEvery: 25,
    ...over,
  };
  const open = (o: Partial<AuditTrailOptions> = {}): SqliteAuditTrail => {
    const trail = openAuditTrail({ ...options, ...o });
    cleanups.push(() => trail.close());
    return trail;
  };
  return { dir: t.dir, file: options.file, options, open };
}

/** uuid by seq, read from the file at `file` (a fresh read-only connection). */
function rows(file: string): Map<number, string> {
  const db = new Database(file, { readonly: true });
  try {
    const all = db.prepare('SELECT seq, uuid FROM audit_log').all() as { seq: number; uuid: string }[];
    return new Map(all.map((r) => [r.seq, r.uuid]));
  } finally {
    db.close();
  }
}

function appendSome(trail: SqliteAuditTrail, n: number, from = 0): AuditReceipt[] {
  const out: AuditReceipt[] = [];
  for (let i = 0; i < n; i++) out.push(trail.record(readEntry(from + i)));
  return out;
}

function expectAllPresent(file: string, confirmed: readonly AuditReceipt[]): void {
  const have = rows(file);
  for (const r of confirmed) expect(have.get(r.seq), `confirmed seq ${r.seq}`).toBe(r.uuid);
}

describe('the -wal deleted under an open log', () => {
  it('the next record() fails closed, and every confirmed event is rescued into the database file', () => {
    const { file, open, options } = setup();
    const trail = open();
    const confirmed = appendSome(trail, 60);
    unlinkSync(`${file}-wal`);
    expect(() => trail.record(readEntry(100))).toThrow(AuditUnavailableError);
    expect(() => trail.recordMany([readEntry(101)])).toThrow(
      /-wal file .* was removed while the log was open/,
    );
    expect(trail.writable()).toBe(false);
    const s = trail.status();
    expect(s.writable).toBe(false);
    expect(s.lastError).toMatch(/-wal file .* was removed while the log was open/);
    expect(s.lastError).toMatch(/rescue: all \d+ WAL frames this connection held were copied into/);
    // Nothing is read through the detached connection either (a shipper backs off instead).
    expect(() => trail.outbox.next('fhir', 10)).toThrow(AuditUnavailableError);
    trail.close();
    // The file at the path on its own now holds everything that was confirmed, and it verifies.
    expectAllPresent(file, confirmed);
    const report = verifyAuditLog(file);
    expect(report.problems).toEqual([]);
    expect(report.checkpoints.headFile?.seq).toBeGreaterThanOrEqual(confirmed.at(-1)!.seq);
    // And the workstation starts again on it.
    expect(open(options).record(readEntry(200)).seq).toBeGreaterThan(confirmed.at(-1)!.seq);
  });

  it('replaced by an empty file of the same name: refused the same way, nothing confirmed lost', () => {
    const { file, open } = setup();
    const trail = open();
    const confirmed = appendSome(trail, 30);
    unlinkSync(`${file}-wal`);
    writeFileSync(`${file}-wal`, '');
    expect(() => trail.record(readEntry(100))).toThrow(/-wal file .* was replaced by another file/);
    trail.close();
    expectAllPresent(file, confirmed);
  });

  it('noticed between writes too (the check runs on a timer), before anyone records', async () => {
    const { file, open } = setup({ fileCheckMs: 20 });
    const trail = open();
    const confirmed = appendSome(trail, 10);
    unlinkSync(`${file}-wal`);
    await new Promise((r) => setTimeout(r, 200));
    expect(trail.writable()).toBe(false);
    // Already rescued: the database file holds the confirmed events while the writer still runs.
    expectAllPresent(file, confirmed);
  });
});

describe('the -shm deleted under an open log', () => {
  it('the next record() fails closed; nothing confirmed lost', () => {
    const { file, open } = setup();
    const trail = open();
    const confirmed = appendSome(trail, 20);
    unlinkSync(`${file}-shm`);
    expect(() => trail.record(readEntry(100))).toThrow(/-shm file .* was removed while the log was open/);
    trail.close();
    expectAllPresent(file, confirmed);
  });
});

describe('the database file replaced under an open log', () => {
  it('appends fail closed, a rescue copy holds every confirmed event, the file at the path fails verification', () => {
    const { dir, file, open, options } = setup();
    const first = open();
    appendSome(first, 30);
    first.close();
    // The attacker's older copy, taken by another process while nothing had the file open.
    const older = join(dir, 'older.sqlite');
    execFileSync('cp', [file, older]);
    const trail = open();
    const confirmed = appendSome(trail, 60, 30);
    renameSync(older, file);
    expect(() => trail.record(readEntry(500))).toThrow(
      /database file .* was replaced by another file while the log was open/,
    );
    const status = trail.status().lastError ?? '';
    expect(status).toMatch(/the log as this connection holds it was saved to .*\.rescued-.*\.sqlite/);
    trail.close();

    const copies = readdirSync(dir).filter((n) => /^audit\.sqlite\.rescued-.*\.sqlite$/.test(n));
    expect(copies).toHaveLength(1);
    const copy = join(dir, copies[0]!);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expectAllPresent(copy, confirmed);
    expect(verifyAuditLog(copy).problems).toEqual([]);
    expect(verifyAuditLog(copy).checkpoints.headFile?.seq).toBe(confirmed.at(-1)!.seq);

    // The file now at the path is the older copy: the head file shows the confirmed events it lacks.
    const report = verifyAuditLog(file);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message).join('\n')).toMatch(
      /log ends at \d+ but its head file .*audit\.sqlite\.head\.json records a checkpoint at \d+/,
    );
    // And the workstation does not start on it.
    expect(() => open(options)).toThrow(AuditOpenError);
    expect(() => open(options)).toThrow(
      /its head file .* records that it reached \d+: confirmed events were lost/,
    );
  });
});

describe('clean close', () => {
  it('adds a signed checkpoint, writes the head file, and leaves the whole log in the database file', () => {
    const { dir, file, open } = setup({ checkpointEvery: 1000 });
    const trail = open();
    const confirmed = appendSome(trail, 40);
    trail.close();
    const head = readHeadFile(headFilePath(file));
    expect(head.state).toBe('ok');
    if (head.state !== 'ok') return;
    expect(head.checkpoint.statement.seq).toBe(confirmed.at(-1)!.seq);
    expect(statSync(headFilePath(file)).mode & 0o777).toBe(0o600);
    // The checkpoint is the last event of the log.
    expect(Math.max(...rows(file).keys())).toBe(confirmed.at(-1)!.seq + 1);
    // No WAL content left: the database file alone (copied by another process, no -wal) holds everything.
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    const alone = join(dir, 'alone.sqlite');
    execFileSync('cp', [file, alone]);
    expectAllPresent(alone, confirmed);
    expect(verifyAuditLog(alone, { headFile: null }).problems).toEqual([]);
  });

  it('a close with nothing new since the last checkpoint adds no event', () => {
    const { file, open } = setup();
    open().close();
    const a = open();
    appendSome(a, 3);
    a.close();
    const n = rows(file).size;
    open().close();
    expect(rows(file).size).toBe(n);
  });
});

describe('start-up against the head file', () => {
  it('refuses a log that does not reach its head file (an older copy put in place while closed)', () => {
    const { dir, file, open } = setup();
    const a = open();
    appendSome(a, 10);
    a.close();
    execFileSync('cp', [file, join(dir, 'old.sqlite')]);
    const b = open();
    appendSome(b, 10, 10);
    b.close();
    renameSync(join(dir, 'old.sqlite'), file);
    expect(() => open()).toThrow(/its head file .* records that it reached \d+: confirmed events were lost/);
  });

  it('refuses a head file that is not readable or not signed by this workstation', () => {
    const { file, open } = setup();
    const a = open();
    appendSome(a, 3);
    a.close();
    writeFileSync(headFilePath(file), '{"not":"a checkpoint"}');
    expect(() => open()).toThrow(/the head file .* is unreadable/);
  });
});

describe('what the per-append checks cost', () => {
  it('the file check is a few stat() calls: well under a millisecond (an fsync is milliseconds)', () => {
    const { file, open } = setup();
    const trail = open();
    appendSome(trail, 5);
    const files = recordOpenFiles(file);
    const cookie = new Database(file).prepare('PRAGMA schema_version').pluck();
    const n = 5_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      // What each append adds: the file check before and after the commit, and the schema cookie read.
      openFilesProblem(files);
      openFilesProblem(files);
      cookie.get();
    }
    const perAppendUs = Number(process.hrtime.bigint() - t0) / n / 1_000;
    process.stderr.write(
      `[audit] per-append integrity checks: ${perAppendUs.toFixed(1)} µs (${basename(dirname(file))})\n`,
    );
    expect(perAppendUs).toBeLessThan(500);
  });
});
