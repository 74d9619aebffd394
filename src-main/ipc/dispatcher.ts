/**
 * The dispatcher every IPC wrapper calls: validates the channel and payload against the contract, runs the handler,
 * and parses the response through the contract so nothing outside the schema reaches the renderer.
 */
import { z } from 'zod';
import { channels, isChannelName, type ChannelName, type Req, type Res } from '../../src-shared/ipc/contract';
import type { IpcResult } from '../../src-shared/ipc/result';
import { INVALID_NHS_NUMBER } from '../../src-shared/domain/records';
import { issuesText } from '../../src-shared/validation/issues';
import { toIpcError } from './errors';
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
        log.warn('ipc: bad request', { channel, issues: z.prettifyError(parsed.error) });
        // The contract's own NHS number rule answers in its own code and words (the renderer can act on it).
        const nhs = parsed.error.issues.find(
          (i) => i.code === 'custom' && i.params?.['marker'] === INVALID_NHS_NUMBER,
        );
        if (nhs) return { ok: false, error: { code: 'invalid-nhs-number', message: nhs.message } };
        return {
          ok: false,
          // In the project's plain words (the place, never the value); the library's own text stays in the log.
          error: {
            code: 'bad-request',
            message: `This request was not accepted: ${issuesText(parsed.error, { whole: 'the request' })}.`,
          },
        };
      }
      try {
        const handler = handlers[channel] as (request: unknown) => Promise<unknown> | unknown;
        const value = await handler(parsed.data);
        const out = def.response.safeParse(value);
        if (!out.success) {
          log.error('ipc: handler answered outside the contract', {
            channel,
            issues: z.prettifyError(out.error),
          });
          return {
            ok: false,
            error: { code: 'internal', message: 'Something went wrong; the request was not completed.' },
          };
        }
        return { ok: true, value: out.data };
      } catch (err) {
        const typed = toIpcError(err);
        if (typed) return { ok: false, error: typed };
        log.error('ipc: handler failed', {
          channel,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
        return {
          ok: false,
          error: { code: 'internal', message: 'Something went wrong; the request was not completed.' },
        };
      }
    },
  };
}
