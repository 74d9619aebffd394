/**
 * The only module that touches ipcRenderer: invoke one contract channel, subscribe to one contract event.
 */
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_PREFIX } from '../src-shared/ipc/names';

export function invoke(channel: string, request: unknown): Promise<unknown> {
  return ipcRenderer.invoke(IPC_PREFIX + channel, request);
}

export function subscribe(event: string, listener: (payload: unknown) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(IPC_PREFIX + event, wrapped);
  return () => {
    ipcRenderer.removeListener(IPC_PREFIX + event, wrapped);
  };
}
