/**
 * The one place a BrowserWindow is made, with the security baseline. Tests that run real Electron use it too.
 */
import { BrowserWindow, session, type WebContents } from 'electron';
import { ELECTRON_APP_ORIGIN, WINDOW_SIZE } from '../security/baseline';
import { originOf } from '../ipc/trusted-sender';

export interface CreateWindowOptions {
  preloadPath: string;
  devTools: boolean;
}

export function createWindow(opts: CreateWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...WINDOW_SIZE,
    show: false,
    title: 'Stethoscope',
    backgroundColor: '#f0f4f5',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would open links in new windows; off, like every other way out of the page.
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: opts.devTools,
    },
  });
  guardContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${ELECTRON_APP_ORIGIN}/index.html`);
  return win;
}

/** New windows denied, navigation and webviews refused: the renderer can only ever show our own page. */
function guardContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (originOf(url) !== ELECTRON_APP_ORIGIN) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (originOf(url) !== ELECTRON_APP_ORIGIN) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Applies to the default session: every permission request and check is refused; no remote requests; downloads
 * only of our own page's blobs.
 */
export function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed =
      details.url.startsWith(`${ELECTRON_APP_ORIGIN}/`) || details.url.startsWith('devtools://');
    callback({ cancel: !allowed });
  });
  // The review screens save reports and extracts from text already on screen, as a blob: URL of our own page
  // (Electron then asks where to save it); every other download is refused.
  ses.on('will-download', (event, item) => {
    if (!item.getURL().startsWith(`blob:${ELECTRON_APP_ORIGIN}/`)) event.preventDefault();
  });
}
