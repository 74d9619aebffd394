import { describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../../../src-main/ipc/dispatcher';
import { Refusal } from '../../../../src-main/domain/errors';
import { createMemoryLogger } from '../../../../src-main/services/logger';
import { channelNames } from '../../../../src-shared/ipc/names';

function handlers(overrides: Partial<Handlers>): Handlers {
  const all = Object.fromEntries(
    channelNames.map((n) => [
      n,
      () => {
        throw new Refusal('unavailable', `${n} not under test`);
      },
    ]),
  ) as unknown as Handlers;
  return { ...all, ...overrides };
}

describe('dispatcher', () => {
  it('answers a valid call with the handler value', async () => {
    const d = createDispatcher(
      handlers({
        'app.info': () => ({ version: '1', mode: 'demo', workstationId: 'W', host: 'browser-host' }),
      }),
      createMemoryLogger(),
    );
    expect(await d.dispatch('app.info', {})).toEqual({
      ok: true,
      value: { version: '1', mode: 'demo', workstationId: 'W', host: 'browser-host' },
    });
  });

  it('refuses unknown channels, including prototype keys', async () => {
    const d = createDispatcher(handlers({}), createMemoryLogger());
    for (const ch of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await d.dispatch(ch, {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('refuses payloads outside the schema, naming the field, without calling the handler', async () => {
    let called = false;
    const d = createDispatcher(
      handlers({
        'session.submitPin': () => {
          called = true;
          return { state: 'no-reader' };
        },
      }),
      createMemoryLogger(),
    );
    for (const bad of [
      null,
      'x',
      { pin: 1234 },
      { pin: '12ab56' },
      { pin: '123456', extra: true },
      { pin: '1'.repeat(9) },
    ]) {
      const r = await d.dispatch('session.submitPin', bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-request');
    }
    const r = await d.dispatch('session.submitPin', { pin: 'abcdef' });
    expect(!r.ok && r.error.message).toMatch(/pin/);
    expect(called).toBe(false);
  });

  it('tells a refused request in plain words, never the validation library’s own text', async () => {
    const d = createDispatcher(handlers({}), createMemoryLogger());
    for (const bad of [{ pin: 'abcdef' }, { pin: 1234 }, { pin: '123456', extra: true }, null]) {
      const r = await d.dispatch('session.submitPin', bad);
      if (r.ok) throw new Error('accepted a bad request');
      expect(r.error.message).toMatch(/^This request was not accepted: /);
      // zod's prettifyError marks and default wording ("✖", "→ at", "Invalid input: expected ...").
      expect(r.error.message).not.toMatch(/✖|→|Invalid input|expected|received|Unrecognized key/);
      expect(r.error.message).not.toContain('abcdef');
    }
  });

  it('turns a domain refusal into its typed error and anything else into internal without details', async () => {
    const log = createMemoryLogger();
    const d = createDispatcher(
      handlers({
        'session.get': () => {
          throw new Refusal('locked', 'The session is locked.', { triesLeft: 2 });
        },
        'audit.status': () => {
          throw new Error('secret stack detail');
        },
      }),
      log,
    );
    expect(await d.dispatch('session.get', {})).toEqual({
      ok: false,
      error: { code: 'locked', message: 'The session is locked.', detail: { triesLeft: 2 } },
    });
    const r = await d.dispatch('audit.status', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(log.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('parses responses through the contract: extra fields are stripped, wrong shapes refused', async () => {
    const d = createDispatcher(
      handlers({
        'app.info': () =>
          ({ version: '1', mode: 'demo', workstationId: 'W', host: 'electron', secret: 'leak' }) as never,
        'session.get': () => ({ state: 'nonsense' }) as never,
      }),
      createMemoryLogger(),
    );
    const r = await d.dispatch('app.info', {});
    expect(r.ok && JSON.stringify(r.value)).not.toContain('leak');
    expect(await d.dispatch('session.get', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
