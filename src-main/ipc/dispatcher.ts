/**
 * The dispatcher every IPC wrapper calls: validates the channel and payload against the contract, runs the handler,
 * and parses the response through the contract so nothing outside the schema reaches the renderer.
 */
import {
  channels,
  isChannelName,
  type ChannelName,
  type Req,
  type Res,
} from '../../src-shared/ipc/contract';
import type { IpcResult } from '../../src-shared/ipc/result';
import { describeIssues } from '../config/load';
import { AppError } from './errors';
import type { Logger } from '../services/logger';

export type Handler<K extends ChannelName> = (request: Req<K>) => Promise<Res<K>> | Res<K>;
export type Handlers = { [K in ChannelName]: Handler<K> };

export interface Dispatcher {
  /** Handles one call from the renderer. `payload` is untrusted. Never throws. */
  dispatch(channel: string, payload: unknown): Promise<IpcResult<unknown>>;
}

export function createDispatcher(handlers: Handlers, log: Logger): Dispatcher {
  return {
    async dispatch(channel, payload) {
      if (typeof channel !== 'string' || !isChannelName(channel)) {
        log.warn('ipc: unknown channel', { channel: String(channel).slice(0, 64) });
        return { ok: false, error: { code: 'unknown-channel', message: 'Unknown request.' } };
      }
      const def = channels[channel];
      const parsed = def.request.safeParse(payload);
      if (!parsed.success) {
        log.warn('ipc: bad request', { channel, issues: describeIssues(parsed.error.issues) });
        return {
          ok: false,
          error: { code: 'bad-request', message: `Request not accepted: ${describeIssues(parsed.error.issues)}` },
        };
      }
      try {
        const handler = handlers[channel] as (request: unknown) => Promise<unknown> | unknown;
        const value = await handler(parsed.data);
        const out = def.response.safeParse(value);
        if (!out.success) {
          log.error('ipc: handler answered outside the contract', { channel, issues: describeIssues(out.error.issues) });
          return { ok: false, error: { code: 'internal', message: 'Something went wrong; the request was not completed.' } };
        }
        return { ok: true, value: out.data };
      } catch (err) {
        if (err instanceof AppError) return { ok: false, error: err.toIpc() };
        log.error('ipc: handler failed', { channel, error: err instanceof Error ? err.stack ?? err.message : String(err) });
        return { ok: false, error: { code: 'internal', message: 'Something went wrong; the request was not completed.' } };
      }
    },
  };
}
