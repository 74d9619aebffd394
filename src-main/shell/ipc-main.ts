/**
 * The only module that touches ipcMain. It registers one handler per contract channel, checks the sender
 * (own origin, main frame, known window) and hands the untrusted payload to the dispatcher.
 */
import { ipcMain, BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { channelNames, IPC_PREFIX } from '../../src-shared/ipc/names';
import type { Dispatcher } from '../ipc/dispatcher';
import type { EventBus } from '../services/event-bus';
import type { Logger } from '../services/logger';
import { isTrustedSender } from '../ipc/trusted-sender';
import { ELECTRON_APP_ORIGIN } from '../security/baseline';

export function bindIpc(
  dispatcher: Dispatcher,
  events: EventBus,
  windows: Set<BrowserWindow>,
  log: Logger,
): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    const win = BrowserWindow.fromWebContents(event.sender);
    return isTrustedSender(
      {
        frameUrl: frame?.url ?? '',
        isMainFrame: frame !== null && frame === event.sender.mainFrame,
        knownWindow: win !== null && windows.has(win),
      },
      ELECTRON_APP_ORIGIN,
    );
  };
  for (const name of channelNames) {
    ipcMain.handle(IPC_PREFIX + name, async (event, payload: unknown) => {
      if (!trusted(event)) {
        log.warn('ipc: dropped message from untrusted sender', {
          channel: name,
          url: event.senderFrame?.url,
        });
        return { ok: false, error: { code: 'untrusted-sender', message: 'Refused.' } };
      }
      return dispatcher.dispatch(name, payload);
    });
  }
  const detach = events.attach((name, payload) => {
    for (const win of windows) if (!win.isDestroyed()) win.webContents.send(IPC_PREFIX + name, payload);
  });
  return () => {
    detach();
    for (const name of channelNames) ipcMain.removeHandler(IPC_PREFIX + name);
  };
}
