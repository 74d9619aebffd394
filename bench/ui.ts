/**
 * UI benchmarks, through the browser host with the real main-process services and the demo (virtual) cards:
 * - first paint of the sign-in screen after the host is launched (target 1 s; the renderer marks 'signin-painted');
 * - the lock screen replacing the record after main's lock event (target 50 ms; mark 'lock-shown');
 * - the SCR on screen after the permission is recorded (target 100 ms; marks 'ptv-recorded' → 'scr-shown'), and the
 *   whole click-to-record time for reference;
 * - the renderer's JavaScript, gzipped (target 250 KB).
 * Times compare main's clock with the page's (both wall-clock based, same machine): epoch = timeOrigin + now.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rendererRoot = join(root, 'out/renderer');
const PAINT_RUNS = 5;
const JOURNEY_RUNS = 15;

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

async function journeys(ctx: BenchContext): Promise<BenchRow[]> {
  const gp = DEMO_CARDS.find((c) => c.id === 'gp');
  if (!gp) throw new Error('bench: the demo card set has no GP card');
  const patientNhs = demoPatient('end-of-life').nhsNumber;
  const { ws, host } = await launch(ctx, 'journey');
  const page = host.page;
  const lock: number[] = [];
  const scrAfterPtv: number[] = [];
  const clickToScr: number[] = [];
  try {
    await page.locator('main[data-screen="sign-in"]').waitFor();
    await dispatchOk(ws, 'demo.insert', { cardId: gp.id });
    await page.getByLabel('Enter your PIN').fill(gp.pin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (let i = 0; i < JOURNEY_RUNS; i++) {
      await page.getByRole('heading', { level: 1, name: 'Find a patient' }).waitFor();
      await page.getByLabel('NHS number', { exact: true }).fill(patientNhs);
      await page.getByRole('button', { name: 'Search by NHS number' }).click();
      await page.getByRole('button', { name: /^Select/ }).click();
      await page.getByLabel('Yes, the patient gave permission').check();
      await page.evaluate(() =>
        document.addEventListener('click', () => performance.mark('bench-click'), {
          capture: true,
          once: true,
        }),
      );
      await page.getByRole('button', { name: 'Record permission and view record' }).click();
      await page.locator('[data-testid="record-scr"]').waitFor();
      const [click, ptv, scr] = await Promise.all([
        markEpoch(page, 'bench-click'),
        markEpoch(page, 'ptv-recorded'),
        markEpoch(page, 'scr-shown'),
      ]);
      scrAfterPtv.push(scr - ptv);
      clickToScr.push(scr - click);

      // Pull the card (main side, as the reader would report it) and time the lock screen against main's event.
      const locked = waitForSession(ws, (s) => s.state === 'locked', 'locked');
      await page.evaluate(() => performance.clearMarks('lock-shown'));
      await dispatchOk(ws, 'demo.remove', {});
      const lockedAt = await locked;
      lock.push((await markEpoch(page, 'lock-shown')) - lockedAt);
      const leftover = await page.evaluate(() => document.body.innerText.includes('CROWTHER'));
      if (leftover) throw new Error('bench: patient data left on the lock screen');

      await dispatchOk(ws, 'demo.insert', { cardId: gp.id });
      await page.getByLabel('Enter your PIN').fill(gp.pin);
      await page.getByRole('button', { name: 'Unlock' }).click();
    }
  } finally {
    await host.close();
    await ws.close();
  }
  ctx.log(`lock (ms): ${lock.map((s) => round(s, 1)).join(', ')}`);
  ctx.log(`SCR after permission (ms): ${scrAfterPtv.map((s) => round(s, 1)).join(', ')}`);
  const row = (name: string, samples: number[], target?: number): BenchRow => ({
    area: 'ui',
    name,
    unit: 'ms',
    p50: round(percentile(samples, 50), 1),
    p95: round(percentile(samples, 95), 1),
    ...(target !== undefined ? { target } : {}),
  });
  return [
    row('lock screen after main lock event', lock, 50),
    row('SCR on screen after permission recorded', scrAfterPtv, 100),
    row('permission click to SCR on screen (incl. recording and audit)', clickToScr),
  ];
}

const run: BenchArea = async (ctx) => {
  if (!existsSync(join(rendererRoot, 'index.html'))) {
    throw new Error(
      `the renderer is not built (${rendererRoot}/index.html missing): run npx electron-vite build`,
    );
  }
  const rows: BenchRow[] = [jsSizeRow()];
  rows.push(...(await firstPaint(ctx)));
  rows.push(...(await journeys(ctx)));
  return rows;
};
export default run;
