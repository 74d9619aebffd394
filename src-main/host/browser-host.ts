/**
 * The browser host: runs the same main-process services and shows the built renderer in Debian's Chromium through
 * playwright-core, for machines without the Electron binary (CI, these test machines).
 *
 * It opens no network port: every request is intercepted; the app's own origin is served from the built renderer
 * folder with the security headers and everything else is aborted. The preload API is recreated in the page from
 * the same `buildApi` the Electron preload uses, over one Playwright binding whose sender is checked like Electron's.
 * Requests, answers and events cross as JSON text: Playwright passes one string far faster than an object tree.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { channelNames, eventNames } from '../../src-shared/ipc/names';
import { buildApi } from '../../src-shared/ipc/build-api';
import type { Workstation } from '../services/workstation';
import { isTrustedSender, originOf } from '../ipc/trusted-sender';
import { HOST_APP_ORIGIN, WINDOW_SIZE } from '../security/baseline';
import { serveRendererFile } from '../security/static-files';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface BrowserHostOptions {
  workstation: Workstation;
  /** Folder of the built renderer (out/renderer). */
  rendererRoot: string;
  /** A fresh, empty folder for Chromium's profile. */
  userDataDir: string;
  headless?: boolean;
  executablePath?: string;
  viewport?: { width: number; height: number };
}

export interface BrowserHost {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Milliseconds from launch start until the renderer reported its first paint of the sign-in screen. */
  close(): Promise<void>;
}

/** Chromium flags: no background traffic on this closed network; --no-sandbox only when running as root. */
function chromiumArgs(): string[] {
  const args = [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}

const BINDING = '__stethoscopeBridge';

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const executablePath = opts.executablePath ?? process.env['CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install Debian's chromium (scripts/setup.sh does).`,
    );
  }
  if (!existsSync(`${opts.rendererRoot}/index.html`)) {
    throw new Error(
      `The renderer is not built (${opts.rendererRoot}/index.html missing): run npm run build.`,
    );
  }
  const { workstation } = opts;
  const context = await chromium.launchPersistentContext(opts.userDataDir, {
    executablePath,
    headless: opts.headless ?? true,
    args: chromiumArgs(),
    viewport: opts.viewport ?? { width: WINDOW_SIZE.width, height: WINDOW_SIZE.height },
    acceptDownloads: false,
    serviceWorkers: 'block',
    permissions: [],
    bypassCSP: false,
  });
  try {
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (originOf(url.href) !== HOST_APP_ORIGIN) return route.abort('blockedbyclient');
      const file = await serveRendererFile(opts.rendererRoot, url.pathname);
      return route.fulfill({ status: file.status, headers: file.headers, body: file.body });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    // New windows are denied: any other page that opens is closed at once.
    context.on('page', (other) => {
      if (other !== page) void other.close();
    });

    await context.exposeBinding(BINDING, async (source, channel: unknown, payload: unknown) => {
      const trusted =
        source.page === page &&
        isTrustedSender(
          { frameUrl: source.frame.url(), isMainFrame: source.frame === page.mainFrame(), knownWindow: true },
          HOST_APP_ORIGIN,
        );
      if (!trusted) {
        workstation.log.warn('ipc: dropped message from untrusted sender', { url: source.frame.url() });
        return JSON.stringify({ ok: false, error: { code: 'untrusted-sender', message: 'Refused.' } });
      }
      // Both ways as JSON text: Playwright passes one string far faster than an object tree (its serialiser walks
      // every field on both sides), and the contract's payloads are plain JSON anyway.
      const request = typeof payload === 'string' ? (JSON.parse(payload) as unknown) : payload;
      return JSON.stringify(await workstation.dispatcher.dispatch(String(channel), request));
    });

    await context.addInitScript({ content: initScript() });

    const detach = workstation.events.attach((name, payload) => {
      if (page.isClosed()) return;
      page
        .evaluate(
          ([n, p]) =>
            (
              globalThis as unknown as { __stethoscopeDeliver?: (n: string, p: unknown) => void }
            ).__stethoscopeDeliver?.(n, JSON.parse(p)),
          [name, JSON.stringify(payload)] as const,
        )
        .catch(() => undefined);
    });

    await page.goto(`${HOST_APP_ORIGIN}/index.html`);
    return {
      page,
      context,
      async close() {
        detach();
        await context.close();
      },
    };
  } catch (err) {
    await context.close().catch(() => undefined);
    throw err;
  }
}

/**
 * The page-side half of the bridge, as source text (no eval: the page's CSP forbids it). It takes the binding
 * off `window`, keeps event listeners in a closure and defines `window.stethoscope` with the same builder as the
 * Electron preload.
 */
function initScript(): string {
  return `(() => {
  const bridge = window[${JSON.stringify(BINDING)}];
  delete window[${JSON.stringify(BINDING)}];
  const listeners = new Map();
  Object.defineProperty(window, '__stethoscopeDeliver', {
    value: (name, payload) => { for (const l of listeners.get(name) || []) l(payload); },
    enumerable: false,
  });
  const buildApi = (${buildApi.toString()});
  const api = buildApi(${JSON.stringify(channelNames)}, ${JSON.stringify(eventNames)},
    (channel, request) => bridge(channel, request === undefined ? undefined : JSON.stringify(request)).then((text) => JSON.parse(text)),
    (event, listener) => {
      let set = listeners.get(event);
      if (!set) { set = new Set(); listeners.set(event, set); }
      set.add(listener);
      return () => set.delete(listener);
    });
  Object.defineProperty(window, 'stethoscope', { value: api, enumerable: true });
  // New windows are denied, as Electron's setWindowOpenHandler does: window.open answers null.
  Object.defineProperty(window, 'open', { value: () => null, writable: false, configurable: false });
})();`;
}
