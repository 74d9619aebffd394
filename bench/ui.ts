/**
 * UI benchmarks, through the browser host with the real main-process services:
 * - first paint of the sign-in screen after the host is launched (target 1 s; the renderer marks 'signin-painted');
 * - the lock screen replacing the record after main's lock event (target 50 ms; mark 'lock-shown'; demo mode);
 * - permission click to the first clinical content on screen: in demo mode the allergies (target 100 ms, issue 14),
 *   in live mode against the sandbox the SCR (target 100 ms, issue 12);
 * - the renderer's JavaScript, gzipped (target 250 KB).
 *
 * The permission journeys: a GP signs in with the card, then each round finds the end-of-life demo patient by NHS
 * number, selects her, answers "Yes, the patient gave permission" and clicks "Record permission and view record";
 * the card is then pulled (the lock) and put back, and the PIN unlocks, so every round starts from a fresh session
 * (new card-signed tokens, new encounter) as after a real unlock. WARMUP_RUNS rounds first are not counted (first
 * JIT of main's and the page's code, first SQLite pages, first TLS connections), then JOURNEY_RUNS counted rounds.
 * A round's time runs from the click (a capturing listener on document marks it) to the first frame painted with
 * the content: a MutationObserver sees the section in the DOM, then a task posted from the next animation frame
 * marks it, so layout and paint are included. Two parts are reported beside it: the time main spent answering the
 * screen's calls in that span (ptv.record with its audit, then encounter.open beside record.scr with the SCR read
 * and its audit; overlapping calls counted once), and from main returning the SCR to the content painted (the
 * answer's way back to the page, React render, layout, paint).
 *
 * Live mode: the sandbox runs in its own process as `stethoscope sandbox --out DIR` (the four services over mutual
 * TLS on loopback, the live.json it writes, its cards), and the workstation, its private pcscd with the sandbox's GP
 * card in a vpcd reader, and the browser host run in a second process (bench/ui-live-worker.ts).
 * Times compare main's clock with the page's (both wall-clock based, same machine): epoch = timeOrigin + now.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { buildWorkstation, type Workstation } from '../src-main/services/workstation';
import { startBrowserHost, type BrowserHost } from '../src-main/host/browser-host';
import { parseConfig } from '../src-main/config/load';
import { DEMO_CARDS } from '../src-main/card/demo/catalogue';
import { demoPatient } from '../src-main/records/demo-data/fixed-patients';
import type { SessionView } from '../src-shared/domain/session';
import { percentile, round, type BenchArea, type BenchContext, type BenchRow } from './types';
import type { LiveWorkerInput } from './ui-live-worker';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const rendererRoot = join(root, 'out/renderer');
const PAINT_RUNS = 5;
/** Permission journeys not counted, then counted (see the header). */
const WARMUP_RUNS = 3;
const JOURNEY_RUNS = 25;
/** Loopback ports for the live half (the sandbox's services, the private pcscd's vpcd reader). */
const SANDBOX_PORT = 46_914;
const VPCD_PORT = 40_914;

const nowEpoch = () => performance.timeOrigin + performance.now();

/** Epoch time (ms) of the latest performance mark `name` in the page, waiting for it to exist. */
async function markEpoch(page: Page, name: string): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName(n, 'mark').length > 0, name);
  return page.evaluate((n) => {
    const marks = performance.getEntriesByName(n, 'mark');
    const last = marks[marks.length - 1];
    if (!last) throw new Error(`mark ${n} missing`);
    return performance.timeOrigin + last.startTime;
  }, name);
}

async function launch(
  ctx: BenchContext,
  label: string,
): Promise<{ ws: Workstation; host: BrowserHost; startedAt: number }> {
  const dataDir = mkdtempSync(join(ctx.tmp, `${label}-data-`));
  const profile = mkdtempSync(join(ctx.tmp, `${label}-profile-`));
  const ws = await buildWorkstation(parseConfig({ mode: 'demo', dataDir }, 'bench configuration'), {
    host: 'browser-host',
  });
  const startedAt = nowEpoch();
  try {
    const host = await startBrowserHost({ workstation: ws, rendererRoot, userDataDir: profile });
    return { ws, host, startedAt };
  } catch (err) {
    await ws.close();
    throw err;
  }
}

function jsSizeRow(): BenchRow {
  const dir = join(rendererRoot, 'assets');
  const bytes = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
  return { area: 'ui', name: 'renderer JS gzipped', unit: 'KB', value: round(bytes / 1024, 1), target: 250 };
}

async function firstPaint(ctx: BenchContext): Promise<BenchRow[]> {
  const total: number[] = [];
  const chromium: number[] = [];
  const page: number[] = [];
  for (let i = 0; i < PAINT_RUNS; i++) {
    const { ws, host, startedAt } = await launch(ctx, `paint${i}`);
    try {
      const painted = await markEpoch(host.page, 'signin-painted');
      const navigationStart = await host.page.evaluate(() => performance.timeOrigin);
      total.push(painted - startedAt);
      chromium.push(navigationStart - startedAt);
      page.push(painted - navigationStart);
    } finally {
      await host.close();
      await ws.close();
    }
  }
  ctx.log(`sign-in first paint after launch (ms): ${total.map((s) => round(s, 1)).join(', ')}`);
  const row = (name: string, samples: number[], target?: number): BenchRow => ({
    area: 'ui',
    name,
    unit: 'ms',
    p50: round(percentile(samples, 50), 1),
    p95: round(percentile(samples, 95), 1),
    ...(target !== undefined ? { target } : {}),
  });
  return [
    row('sign-in first paint after host launch', total, 1000),
    // The two parts: starting Chromium and wiring the host, then the page itself (load, parse, first render).
    row('  of which host launch to navigation start', chromium),
    row('  of which navigation start to sign-in paint', page),
  ];
}

function waitForSession(
  ws: Workstation,
  predicate: (s: SessionView) => boolean,
  what: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`bench: no ${what} session event within 10 s`));
    }, 10_000);
    const off = ws.events.on('sessionChanged', (s) => {
      if (!predicate(s)) return;
      const at = nowEpoch();
      clearTimeout(timer);
      off();
      resolve(at);
    });
  });
}

async function dispatchOk(ws: Workstation, channel: string, payload: unknown): Promise<void> {
  const r = await ws.dispatcher.dispatch(channel, payload);
  if (!r.ok) throw new Error(`bench: ${channel} failed: ${r.error.code} ${r.error.message}`);
}

/** What a journey needs from its mode: the page, main's services, and the card going in and out. */
export interface JourneyRig {
  page: Page;
  ws: Workstation;
  pin: string;
  insert(): Promise<void>;
  remove(): Promise<void>;
}

export interface JourneyOptions {
  nhsNumber: string;
  /** A family name shown for the patient: must not be left on the lock screen. */
  family: string;
  /** The element whose first paint ends a round. */
  shown: string;
  warmup: number;
  runs: number;
  log: (line: string) => void;
}

export interface JourneySamples {
  /** Permission click to `shown` painted. */
  clickToShown: number[];
  /** Main's time answering the page's calls between the click and `shown` (overlaps counted once). */
  main: number[];
  /** Main returning record.scr to `shown` painted. */
  answerToShown: number[];
  /** The lock screen after main's lock event. */
  lock: number[];
}

/** How long at least one of `calls` was running between `from` and `to` (overlaps counted once). */
function busy(calls: readonly { start: number; end: number }[], from: number, to: number): number {
  let total = 0;
  let reached = from;
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    const start = Math.max(c.start, reached);
    const end = Math.min(c.end, to);
    if (end > start) total += end - start;
    reached = Math.max(reached, Math.min(c.end, to));
  }
  return total;
}

/** The permission journeys of the header, on any mode's rig. */
export async function permissionJourneys(rig: JourneyRig, o: JourneyOptions): Promise<JourneySamples> {
  const { page, ws } = rig;
  const out: JourneySamples = { clickToShown: [], main: [], answerToShown: [], lock: [] };
  // Main's own time for the page's calls, taken around the dispatcher every host calls (epoch ms, as the marks).
  const dispatch = ws.dispatcher.dispatch.bind(ws.dispatcher);
  let calls: { channel: string; start: number; end: number }[] = [];
  ws.dispatcher.dispatch = async (channel, payload) => {
    const start = nowEpoch();
    try {
      return await dispatch(channel, payload);
    } finally {
      calls.push({ channel, start, end: nowEpoch() });
    }
  };
  try {
    await page.locator('main[data-screen="sign-in"]').waitFor();
    await rig.insert();
    await page.getByLabel('Enter your PIN').fill(rig.pin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (let i = 0; i < o.warmup + o.runs; i++) {
      await page.getByRole('heading', { level: 1, name: 'Find a patient' }).waitFor();
      await page.getByLabel('NHS number', { exact: true }).fill(o.nhsNumber);
      await page.getByRole('button', { name: 'Search by NHS number' }).click();
      await page.getByRole('button', { name: /^Select/ }).click();
      await page.getByLabel('Yes, the patient gave permission').check();
      calls = [];
      await page.evaluate((selector) => {
        performance.clearMarks('bench-click');
        performance.clearMarks('bench-shown');
        document.addEventListener('click', () => performance.mark('bench-click'), {
          capture: true,
          once: true,
        });
        const seen = new MutationObserver(() => {
          if (!document.querySelector(selector)) return;
          seen.disconnect();
          requestAnimationFrame(() => setTimeout(() => performance.mark('bench-shown'), 0));
        });
        seen.observe(document.body, { childList: true, subtree: true });
      }, o.shown);
      await page.getByRole('button', { name: 'Record permission and view record' }).click();
      const [click, shown] = await Promise.all([
        markEpoch(page, 'bench-click'),
        markEpoch(page, 'bench-shown'),
      ]);
      const scr = calls.find((c) => c.channel === 'record.scr');
      if (!scr) throw new Error('bench: the screen did not ask for the SCR');
      const counted = i >= o.warmup;
      if (counted) {
        out.clickToShown.push(shown - click);
        out.main.push(busy(calls, click, shown));
        out.answerToShown.push(shown - scr.end);
      }

      // The encounter ends in main (the record stays on screen): a resumed session would otherwise reopen it, and the
      // next round starts from the search. Then pull the card (main side, as the reader would report it) and time
      // the lock screen against main's event.
      await dispatchOk(ws, 'encounter.close', {});
      const locked = waitForSession(ws, (s) => s.state === 'locked', 'locked');
      await page.evaluate(() => performance.clearMarks('lock-shown'));
      await rig.remove();
      const lockedAt = await locked;
      const lockMs = (await markEpoch(page, 'lock-shown')) - lockedAt;
      if (counted) out.lock.push(lockMs);
      const leftover = await page.evaluate((f) => document.body.innerText.includes(f), o.family);
      if (leftover) throw new Error('bench: patient data left on the lock screen');

      await rig.insert();
      await page.getByLabel('Enter your PIN').fill(rig.pin);
      await page.getByRole('button', { name: 'Unlock' }).click();
    }
  } finally {
    ws.dispatcher.dispatch = dispatch;
  }
  o.log(`permission click to content painted (ms): ${out.clickToShown.map((s) => round(s, 1)).join(', ')}`);
  o.log(`  main's share (ms): ${out.main.map((s) => round(s, 1)).join(', ')}`);
  return out;
}

const msRow = (name: string, samples: number[], target?: number): BenchRow => ({
  area: 'ui',
  name,
  unit: 'ms',
  p50: round(percentile(samples, 50), 1),
  p95: round(percentile(samples, 95), 1),
  ...(target !== undefined ? { target } : {}),
});

const journeyOptions = (log: (l: string) => void, shown: string): JourneyOptions => {
  const p = demoPatient('end-of-life');
  return {
    nhsNumber: p.nhsNumber,
    family: (p.name.split(' ').at(-1) ?? p.name).toUpperCase(),
    shown,
    warmup: WARMUP_RUNS,
    runs: JOURNEY_RUNS,
    log,
  };
};

async function demoJourneys(ctx: BenchContext): Promise<BenchRow[]> {
  const gp = DEMO_CARDS.find((c) => c.id === 'gp');
  if (!gp) throw new Error('bench: the demo card set has no GP card');
  const { ws, host } = await launch(ctx, 'journey');
  let samples: JourneySamples;
  try {
    samples = await permissionJourneys(
      {
        page: host.page,
        ws,
        pin: gp.pin,
        insert: () => dispatchOk(ws, 'demo.insert', { cardId: gp.id }),
        remove: () => dispatchOk(ws, 'demo.remove', {}),
      },
      journeyOptions((l) => ctx.log(`demo: ${l}`), '[data-section="allergies"]'),
    );
  } finally {
    await host.close();
    await ws.close();
  }
  ctx.log(`lock (ms): ${samples.lock.map((s) => round(s, 1)).join(', ')}`);
  return [
    msRow('lock screen after main lock event', samples.lock, 50),
    msRow('permission click to allergies on screen (demo)', samples.clickToShown, 100),
    msRow('  of which main answering (permission, encounter, SCR read, audits) (demo)', samples.main),
    msRow('  of which SCR answered to allergies on screen (demo)', samples.answerToShown),
  ];
}

/** Starts `stethoscope sandbox --out DIR` and resolves with its ready line (and the child, to stop it). */
async function startSandboxProcess(
  out: string,
): Promise<{ child: ChildProcess; ready: { config: string; cards: { id: string; file: string }[] } }> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin/stethoscope.mjs'), 'sandbox', '--out', out, '--port', String(SANDBOX_PORT)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ config: string; cards: { id: string; file: string }[] }>(
    (resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('bench: the sandbox was not ready within 60 s')),
        60_000,
      );
      child.once('exit', (code) =>
        reject(new Error(`bench: the sandbox exited (${code}) before it was ready`)),
      );
      lines.on('line', (line) => {
        const msg = JSON.parse(line) as { event?: string };
        if (msg.event !== 'ready') return;
        clearTimeout(timer);
        resolve(msg as unknown as { config: string; cards: { id: string; file: string }[] });
      });
    },
  );
  return { child, ready };
}

async function liveJourneys(ctx: BenchContext): Promise<BenchRow[]> {
  const gp = DEMO_CARDS.find((c) => c.id === 'gp');
  if (!gp) throw new Error('bench: the demo card set has no GP card');
  const { child: sandbox, ready } = await startSandboxProcess(mkdtempSync(join(ctx.tmp, 'sandbox-')));
  try {
    const cardFile = ready.cards.find((c) => c.id === 'gp')?.file;
    if (!cardFile) throw new Error('bench: the sandbox wrote no GP card');
    const { log: _log, ...journey } = journeyOptions(() => undefined, '[data-testid="record-scr"]');
    const input: LiveWorkerInput = {
      configFile: ready.config,
      cardFile,
      pin: gp.pin,
      vpcdPort: VPCD_PORT,
      journey,
    };
    const worker = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench/ui-live-worker.ts'), JSON.stringify(input)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stdout: string[] = [];
    worker.stdout.on('data', (d: Buffer) => stdout.push(d.toString()));
    worker.stderr.on('data', (d: Buffer) => {
      for (const l of d.toString().split('\n')) if (l && !l.startsWith('{')) ctx.log(`live: ${l}`);
    });
    const code = await new Promise<number | null>((resolve) => worker.once('exit', resolve));
    if (code !== 0) throw new Error(`bench: the live worker failed (exit ${code})`);
    const samples = JSON.parse(stdout.join('').trim()) as JourneySamples;
    return [
      msRow('permission click to SCR on screen (live, sandbox)', samples.clickToShown, 100),
      msRow('  of which main answering (permission, encounter, SCR over HTTPS, audits) (live)', samples.main),
      msRow('  of which SCR answered to SCR on screen (live)', samples.answerToShown),
    ];
  } finally {
    sandbox.kill('SIGTERM');
    await new Promise((resolve) =>
      sandbox.exitCode !== null ? resolve(null) : sandbox.once('exit', resolve),
    );
  }
}

const run: BenchArea = async (ctx) => {
  if (!existsSync(join(rendererRoot, 'index.html'))) {
    throw new Error(
      `the renderer is not built (${rendererRoot}/index.html missing): run npx electron-vite build`,
    );
  }
  const rows: BenchRow[] = [jsSizeRow()];
  rows.push(...(await firstPaint(ctx)));
  rows.push(...(await demoJourneys(ctx)));
  rows.push(...(await liveJourneys(ctx)));
  return rows;
};
export default run;
