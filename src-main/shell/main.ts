/**
 * The thin Electron shell: registers the app scheme, builds the workstation (plain Node services), creates the
 * window and binds IPC. Everything of substance lives below src-main/services and never imports electron.
 */
import { app, BrowserWindow, protocol } from 'electron';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { buildWorkstation } from '../services/workstation';
import { resolveStartupConfig } from '../config/startup';
import { createWindow, lockDownSession } from './create-window';
import { bindIpc } from './ipc-main';
import { serveRendererFile } from '../security/static-files';

const here = dirname(fileURLToPath(import.meta.url));
const rendererRoot = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
]);
app.enableSandbox();

async function main(): Promise<void> {
  await app.whenReady();
  lockDownSession();
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'stethoscope') return new Response('Not found', { status: 404 });
    const file = await serveRendererFile(rendererRoot, url.pathname);
    return new Response(new Uint8Array(file.body), { status: file.status, headers: file.headers });
  });
  const config = resolveStartupConfig(process.argv.slice(1));
  const workstation = await buildWorkstation(config, { host: 'electron' });
  const windows = new Set<BrowserWindow>();
  const unbind = bindIpc(workstation.dispatcher, workstation.events, windows, workstation.log);
  const win = createWindow({
    preloadPath,
    devTools: !app.isPackaged && process.env['NODE_ENV'] === 'development',
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => {
    unbind();
    void workstation.close().finally(() => app.quit());
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Stethoscope could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  app.exit(1);
});
