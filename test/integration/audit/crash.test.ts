/**
 * Crash safety: a child process appends events and prints each sequence number once record() has returned; it is
 * SIGKILLed at random moments (some while it opens the log, i.e. during WAL recovery; most while it writes).
 * After every kill the log is reopened and must verify, hold every confirmed event (same uuid at the same seq)
 * and have no gaps.
 * The writer is TypeScript. A few runs start it through tsx exactly as written; for the 200 timed kills it is
 * compiled once with esbuild (the compiler tsx itself uses) and started with plain node, because tsx's own start-up
 * (0.6-1 s per process on a 2-core machine) would make 200 kills take minutes. Same code, same process model.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditTrail } from '../../../src-main/audit/log/trail';
import { verifyAuditLog } from '../../../src-main/audit/log/verify';
import { tempDir } from '../../support/audit-log/fixtures';

const here = dirname(fileURLToPath(import.meta.url));
const WRITER = join(here, 'crash-writer.ts');
const KILLS = 200;
const LANES = 3;
const TSX_KILLS = 6;
const ROOT = join(here, '../../..');

interface Launcher {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}
const viaTsx: Launcher = { command: process.execPath, args: ['--import', 'tsx', WRITER], env: process.env };

/** Compiles the writer to one CommonJS file (better-sqlite3 stays external, found through NODE_PATH). */
function compiledWriter(outDir: string): Launcher {
  const esbuild = createRequire(join(ROOT, 'package.json'))('esbuild') as {
    buildSync(o: Record<string, unknown>): unknown;
  };
  const outfile = join(outDir, 'crash-writer.cjs');
  esbuild.buildSync({
    entryPoints: [WRITER],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['better-sqlite3'],
    logLevel: 'error',
  });
  return {
    command: process.execPath,
    args: [outfile],
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
  };
}

const dirs: (() => void)[] = [];
const children = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  dirs.forEach((r) => r());
});

interface RunResult {
  confirmed: Map<number, string>;
  phase: 'opening' | 'writing';
}

/** Starts the writer, kills it at a random moment, returns what it confirmed. */
function runAndKill(
  launcher: Launcher,
  file: string,
  keyFile: string,
  allowKillWhileOpening: boolean,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(launcher.command, [...launcher.args, file, keyFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: ROOT,
      env: launcher.env,
    });
    children.add(child);
    let out = '';
    let err = '';
    let phase: RunResult['phase'] = 'opening';
    let armed = false;
    const killDuringOpen = allowKillWhileOpening && Math.random() < 0.15;
    const arm = (maxDelayMs: number) => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), Math.random() * maxDelayMs);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (killDuringOpen && out.startsWith('opening\n')) arm(25);
      if (out.includes('ready\n')) {
        phase = 'writing';
        arm(25);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited by itself (code ${code}): ${err}`));
        return;
      }
      const confirmed = new Map<number, string>();
      // Only whole lines count: a line cut by the kill was never fully confirmed.
      for (const line of out.split('\n').slice(0, -1)) {
        const m = /^(\d+) ([0-9a-f-]{36})$/.exec(line);
        if (m) confirmed.set(Number(m[1]), m[2] as string);
      }
      resolve({ confirmed, phase });
    });
  });
}

async function lane(
  launcher: Launcher,
  index: number,
  kills: number,
  allowKillWhileOpening = true,
): Promise<{ events: number; killsWhileOpening: number }> {
  const t = tempDir(`crash${index}`);
  dirs.push(t.remove);
  const file = join(t.dir, 'audit.sqlite');
  const keyFile = join(t.dir, 'workstation-key.pem');
  const confirmed = new Map<number, string>();
  let killsWhileOpening = 0;
  // Each check covers what was added since the last one (from its verified head); every 20th and the last one
  // verify the whole log from the start.
  let verified: { seq: number; hash: string } | undefined;
  for (let k = 0; k < kills; k++) {
    const run = await runAndKill(launcher, file, keyFile, allowKillWhileOpening);
    if (process.env['STETH_CRASH_TRACE'])
      process.stderr.write(`[crash] lane ${index} kill ${k + 1} ${Date.now()}\n`);
    if (run.phase === 'opening') killsWhileOpening += 1;
    for (const [seq, uuid] of run.confirmed) confirmed.set(seq, uuid);
    // Reopen as the app would after the crash (WAL recovery), then check.
    openAuditTrail({
      file,
      keyFile,
      workstationId: 'WS-TEST-01',
      transports: ['fhir', 'atna'],
      checkpointEvery: 25,
    }).close();
    const full = k % 20 === 19 || k === kills - 1;
    const report = verifyAuditLog(file, full ? {} : { since: verified });
    expect(report.problems, `lane ${index} after kill ${k + 1}`).toEqual([]);
    verified = report.head ?? undefined;
    const db = new Database(file, { readonly: true });
    const rows = new Map(
      (db.prepare('SELECT seq, uuid FROM audit_log').all() as { seq: number; uuid: string }[]).map((r) => [
        r.seq,
        r.uuid,
      ]),
    );
    db.close();
    for (const [seq, uuid] of run.confirmed) {
      expect(rows.get(seq), `lane ${index} kill ${k + 1}: confirmed seq ${seq} lost`).toBe(uuid);
    }
    if (full)
      for (const [seq, uuid] of confirmed)
        expect(rows.get(seq), `lane ${index}: seq ${seq} lost later`).toBe(uuid);
    expect(rows.size).toBe(report.head?.seq ?? 0);
  }
  return { events: confirmed.size, killsWhileOpening };
}

describe('audit log under kill -9', () => {
  it(`the writer started through tsx survives ${TSX_KILLS} SIGKILLs`, async () => {
    const r = await lane(viaTsx, 99, TSX_KILLS, false);
    expect(r.events).toBeGreaterThan(0);
  }, 60_000);

  it(`survives ${KILLS} SIGKILLs with every confirmed event present and no gaps`, async () => {
    const build = tempDir('crash-build');
    dirs.push(build.remove);
    const launcher = compiledWriter(build.dir);
    const started = Date.now();
    const perLane = Array.from(
      { length: LANES },
      (_, i) => Math.floor(KILLS / LANES) + (i < KILLS % LANES ? 1 : 0),
    );
    const results = await Promise.all(perLane.map((n, i) => lane(launcher, i, n)));
    const events = results.reduce((n, r) => n + r.events, 0);
    const whileOpening = results.reduce((n, r) => n + r.killsWhileOpening, 0);
    // Guard against a test that passes by never writing.
    expect(events).toBeGreaterThan(KILLS * 2);
    process.stderr.write(
      `[crash] ${KILLS} kills (${whileOpening} while opening), ${events} confirmed events, ${Date.now() - started} ms\n`,
    );
  }, 180_000);
});
