/**
 * Files deleted or replaced under a running writer process (test/integration/audit/swap-writer.ts), as the
 * outside attack run did it: the -wal deleted while the writer appends, the same with the writer killed before it
 * notices, and the database file replaced by an older copy. In each case appends must fail closed, and
 * `stethoscope audit verify` must either find every confirmed event (rescued) or not report ok.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditTrail } from '../../../src-main/audit/log/trail';
import { readEntry, tempDir } from '../../support/audit-log/fixtures';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '../../..');
const WRITER = join(here, 'swap-writer.ts');
const BIN = join(ROOT, 'bin/stethoscope.mjs');

const dirs: (() => void)[] = [];
const children = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  dirs.forEach((r) => r());
});

function paths() {
  const t = tempDir('swap');
  dirs.push(t.remove);
  return { dir: t.dir, file: join(t.dir, 'audit.sqlite'), keyFile: join(t.dir, 'workstation-key.pem') };
}

/** A first session, closed cleanly, so the database file holds a log of its own. */
function firstSession(file: string, keyFile: string, events: number): void {
  const trail = openAuditTrail({ file, keyFile, workstationId: 'WS-TEST-01', transports: ['fhir', 'atna'] });
  for (let i = 0; i < events; i++) trail.record(readEntry(1000 + i));
  trail.close();
}

interface Writer {
  confirmed: Map<number, string>;
  lines: string[];
  /** Resolves when a line matching `re` has been printed (rejects after `ms`). */
  waitFor(re: RegExp, ms: number): Promise<string>;
  /** Resolves when `n` events have been confirmed. */
  waitForConfirmed(n: number, ms: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(): void;
}

function startWriter(file: string, keyFile: string, mode: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, keyFile, mode], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const confirmed = new Map<number, string>();
  const lines: string[] = [];
  let buffer = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      const m = /^(\d+) ([0-9a-f-]{36})$/.exec(line);
      if (m) confirmed.set(Number(m[1]), m[2]!);
    }
    for (const w of waiters) w();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) =>
      child.on('exit', (code, signal) => {
        children.delete(child);
        for (const w of waiters) w();
        resolve({ code, signal, stderr });
      }),
  );
  const until = (done: () => boolean, what: string, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`writer exited before ${what}: ${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within ${ms} ms (last lines: ${lines.slice(-3).join(' | ')})`));
      }, ms);
      waiters.add(check);
      check();
    });
  return {
    confirmed,
    lines,
    async waitFor(re, ms) {
      await until(() => lines.some((l) => re.test(l)), `line ${re}`, ms);
      return lines.find((l) => re.test(l)) ?? '';
    },
    waitForConfirmed: (n, ms) => until(() => confirmed.size >= n, `${n} confirmed events`, ms),
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}

function rows(file: string): Map<number, string> {
  const db = new Database(file, { readonly: true });
  try {
    const all = db.prepare('SELECT seq, uuid FROM audit_log').all() as { seq: number; uuid: string }[];
    return new Map(all.map((r) => [r.seq, r.uuid]));
  } finally {
    db.close();
  }
}

function verifyCli(file: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--db', file], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('audit log files swapped under a running writer process', () => {
  it('the -wal deleted while it appends: the next append fails closed, and every confirmed event is rescued', async () => {
    const { file, keyFile } = paths();
    const w = startWriter(file, keyFile, 'run');
    await w.waitForConfirmed(150, 30_000);
    unlinkSync(`${file}-wal`);
    const refused = await w.waitFor(/^refused /, 10_000);
    expect(refused).toMatch(/-wal file .* was removed while the log was open/);
    const status = JSON.parse((await w.waitFor(/^status /, 5_000)).slice('status '.length));
    expect(status).toMatchObject({ writable: false });
    expect(status.lastError).toMatch(/rescue: all \d+ WAL frames this connection held were copied into/);
    await w.waitFor(/^closed$/, 10_000);
    expect((await w.exited).code).toBe(0);

    const have = rows(file);
    for (const [seq, uuid] of w.confirmed) expect(have.get(seq), `confirmed seq ${seq}`).toBe(uuid);
    const r = verifyCli(file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.checkpoints.headFile.seq).toBeGreaterThanOrEqual(Math.max(...w.confirmed.keys()));
  }, 60_000);

  it('the -wal deleted and the writer killed before it notices: events are lost, and verify does not say ok', async () => {
    const { file, keyFile } = paths();
    firstSession(file, keyFile, 20);
    const w = startWriter(file, keyFile, 'idle:80');
    await w.waitFor(/^idle$/, 30_000);
    unlinkSync(`${file}-wal`);
    w.kill();
    expect((await w.exited).signal).toBe('SIGKILL');

    // What this attack costs: the events only the deleted -wal held are gone.
    const have = rows(file);
    const lost = [...w.confirmed].filter(([seq, uuid]) => have.get(seq) !== uuid);
    expect(lost.length).toBeGreaterThan(0);
    // The head file, written after each checkpoint's commit, still says how far the log had come.
    const r = verifyCli(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /log ends at \d+ but its head file .*audit\.sqlite\.head\.json records a checkpoint at \d+ \(confirmed events lost/,
    );
    // And the workstation does not start on the cut log.
    expect(() =>
      openAuditTrail({ file, keyFile, workstationId: 'WS-TEST-01', transports: ['fhir', 'atna'] }),
    ).toThrow(/confirmed events were lost or the database was replaced/);
  }, 60_000);

  it('the database file replaced by an older copy: appends fail closed, the rescue copy holds everything', async () => {
    const { dir, file, keyFile } = paths();
    firstSession(file, keyFile, 20);
    const older = join(dir, 'older.sqlite');
    execFileSync('cp', [file, older]);
    const w = startWriter(file, keyFile, 'run');
    await w.waitForConfirmed(100, 30_000);
    renameSync(older, file);
    const refused = await w.waitFor(/^refused /, 10_000);
    expect(refused).toMatch(/database file .* was replaced by another file while the log was open/);
    await w.waitFor(/^closed$/, 10_000);
    expect((await w.exited).code).toBe(0);

    const copies = readdirSync(dir).filter((n) => /^audit\.sqlite\.rescued-.*\.sqlite$/.test(n));
    expect(copies).toHaveLength(1);
    const copy = join(dir, copies[0]!);
    const have = rows(copy);
    for (const [seq, uuid] of w.confirmed)
      expect(have.get(seq), `confirmed seq ${seq} in the copy`).toBe(uuid);
    const ok = verifyCli(copy);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);

    const bad = verifyCli(file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/log ends at \d+ but its head file .* records a checkpoint at \d+/);
  }, 60_000);
});
