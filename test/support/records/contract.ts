/**
 * Calls handlers the way the renderer reaches them: through the real dispatcher, so the contract's schemas (the
 * NHS number rule, dates, PINs) apply before any handler runs. Channels not given answer 'unavailable'.
 */
import { createDispatcher, type Handlers } from '../../../src-main/ipc/dispatcher';
import { Refusal } from '../../../src-main/domain/errors';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { channelNames } from '../../../src-shared/ipc/names';

export function viaContract(handlers: Partial<Handlers>) {
  const stubs = Object.fromEntries(
    channelNames.map((n) => [
      n,
      () => {
        throw new Refusal('unavailable', `${n} not under test`);
      },
    ]),
  ) as unknown as Handlers;
  const d = createDispatcher({ ...stubs, ...handlers }, createMemoryLogger());
  return {
    /** The error code the call is answered with, or 'ok'. */
    async code(channel: string, payload: unknown): Promise<string> {
      const r = await d.dispatch(channel, payload);
      return r.ok ? 'ok' : r.error.code;
    },
    /** The value of a call that must succeed. */
    async value<T>(channel: string, payload: unknown): Promise<T> {
      const r = await d.dispatch(channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    },
  };
}
