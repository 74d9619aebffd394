/**
 * The error a service throws to answer a typed IPC error.
 * Anything else thrown becomes `internal`, with details logged in main and a generic sentence for the renderer.
 */
import type { IpcErrorCode, IpcError } from '../../src-shared/ipc/result';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly detail?: IpcError['detail'],
  ) {
    super(message);
  }
  toIpc(): IpcError {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}
