/**
 * Turns an IPC error into a sentence for the screen. Main's message is written for users; a few codes get
 * extra guidance.
 */
import type { IpcError } from '../../../src-shared/ipc/result';

export function errorText(error: IpcError): string {
  switch (error.code) {
    case 'audit-unavailable':
      return `${error.message} Nothing has been shown because the access could not be logged.`;
    case 'unavailable':
    case 'internal':
      return `${error.message} Try again; if it keeps happening, tell your IT service desk.`;
    default:
      return error.message;
  }
}
