/**
 * The one Playwright fixture: each test gets a fresh data folder and browser profile, the real main-process
 * services, and the UI in Electron (when its binary is installed) or in Chromium through the browser host.
 * Tests wait on events the app emits (session changes, DOM states), never on sleeps.
 */
import { test as base, expect, _electron, type Page, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorkstation, type Workstation } from '../../src-main/services/workstation';
import { startBrowserHost, type BrowserHost } from '../../src-main/host/browser-host';
import { parseConfig } from '../../src-main/config/load';
import type { AppConfigInput } from '../../src-main/config/schema';
import type { SessionView } from '../../src-shared/domain/session';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererRoot = join(root, 'out/renderer');
export const screenshotDir = join(root, 'test-results/screens');

/** The Electron binary, if `npm ci` could download it on this machine. */
export function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

export interface AppHandle {
  page: Page;
  /** The main-process services; only in the browser host (Electron runs them in its own process). */
  workstation: Workstation | null;
  kind: 'electron' | 'browser-host';
  dataDir: string;
  /** Saves a screenshot of the current screen as a test artifact (test-results/screens/NAME.png). */
  screenshot(name: string): Promise<string>;
  /** Resolves with the first session view matching `predicate` emitted by main (or the current one). */
  waitForSession(predicate: (s: SessionView) => boolean, timeoutMs?: number): Promise<SessionView>;
}

export interface AppOptions {
  /** Extra configuration merged over the demo defaults for this test. */
  config: Partial<AppConfigInput>;
}

export const test = base.extend<AppOptions & { app: AppHandle }>({
  config: [{}, { option: true }],
  app: async ({ config }, use, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'steth-e2e-'));
    const profileDir = mkdtempSync(join(tmpdir(), 'steth-e2e-profile-'));
    mkdirSync(screenshotDir, { recursive: true });
    const screenshotFor = (page: Page) => async (name: string) => {
      const file = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(name, { path: file, contentType: 'image/png' });
      return file;
    };
    const electron = electronBinary();
    let electronApp: ElectronApplication | null = null;
    let host: BrowserHost | null = null;
    let workstation: Workstation | null = null;
    try {
      if (electron) {
        // The same per-test configuration the browser host gets, handed to Electron's main as a file.
        const configFile = join(profileDir, 'config.json');
        writeFileSync(
          configFile,
          JSON.stringify(parseConfig({ mode: 'demo', dataDir, ...config }, 'test configuration')),
        );
        electronApp = await _electron.launch({
          executablePath: electron,
          args: [join(root, 'out/main/index.js'), '--config', configFile],
        });
        const page = await electronApp.firstWindow();
        await use({
          page,
          workstation: null,
          kind: 'electron',
          dataDir,
          screenshot: screenshotFor(page),
          waitForSession: (predicate, timeoutMs = 10_000) => waitForSessionInPage(page, predicate, timeoutMs),
        });
      } else {
        const cfg = parseConfig({ mode: 'demo', dataDir, ...config }, 'test configuration');
        workstation = await buildWorkstation(cfg, { host: 'browser-host' });
        host = await startBrowserHost({ workstation, rendererRoot, userDataDir: profileDir });
        const ws = workstation;
        await use({
          page: host.page,
          workstation: ws,
          kind: 'browser-host',
          dataDir,
          screenshot: screenshotFor(host.page),
          waitForSession: (predicate, timeoutMs = 10_000) => waitForSessionInMain(ws, predicate, timeoutMs),
        });
      }
    } finally {
      await host?.close().catch(() => undefined);
      await electronApp?.close().catch(() => undefined);
      await workstation?.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profileDir, { recursive: true, force: true });
    }
  },
});

async function waitForSessionInMain(
  ws: Workstation,
  predicate: (s: SessionView) => boolean,
  timeoutMs: number,
): Promise<SessionView> {
  return new Promise<SessionView>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching session state within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = ws.events.on('sessionChanged', (s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
    void ws.dispatcher.dispatch('session.get', {}).then((r) => {
      if (r.ok && predicate(r.value as SessionView)) {
        clearTimeout(timer);
        off();
        resolve(r.value as SessionView);
      }
    });
  });
}

/** In Electron, main's events are only visible through the page: wait in the renderer on the same API. */
async function waitForSessionInPage(
  page: Page,
  predicate: (s: SessionView) => boolean,
  timeoutMs: number,
): Promise<SessionView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await page.evaluate(async () => {
      const r = await window.stethoscope.session.get({});
      return r.ok ? r.value : null;
    });
    if (view && predicate(view)) return view;
    if (Date.now() > deadline) throw new Error(`no matching session state within ${timeoutMs} ms`);
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const off = window.stethoscope.events.sessionChanged(() => {
            off();
            resolve();
          });
          setTimeout(() => {
            off();
            resolve();
          }, 500);
        }),
    );
  }
}

export { expect };
