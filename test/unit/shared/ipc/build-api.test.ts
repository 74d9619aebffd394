import { describe, expect, it } from 'vitest';
import { buildApi } from '../../../../src-shared/ipc/build-api';
import { channelNames, eventNames } from '../../../../src-shared/ipc/names';
import { channels, events } from '../../../../src-shared/ipc/contract';

describe('the generated preload API', () => {
  it('has one named method per contract channel and one subscription per event, nothing generic', async () => {
    const calls: [string, unknown][] = [];
    const api = buildApi(
      channelNames,
      eventNames,
      async (c, r) => (calls.push([c, r]), 'ok'),
      () => () => undefined,
    ) as Record<string, Record<string, (x?: unknown) => unknown>>;
    for (const name of Object.keys(channels)) {
      const [g, m] = name.split('.') as [string, string];
      expect(typeof api[g]?.[m], name).toBe('function');
    }
    expect(Object.keys(api['events']!).sort()).toEqual(Object.keys(events).sort());
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
    await api['session']!['submitPin']!({ pin: '123456' });
    expect(calls).toEqual([['session.submitPin', { pin: '123456' }]]);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api['session'])).toBe(true);
  });
  it('is self-contained so the browser host can serialise it', () => {
    const rebuilt = new Function(`return (${buildApi.toString()})`)() as typeof buildApi;
    const api = rebuilt(
      ['a.b'],
      ['e'],
      async () => 1,
      () => () => undefined,
    ) as Record<string, Record<string, unknown>>;
    expect(typeof api['a']!['b']).toBe('function');
  });
  it('subscriptions return an unsubscribe function and reject non-functions', () => {
    let unsubscribed = false;
    const api = buildApi(
      [],
      ['e'],
      async () => 1,
      () => () => {
        unsubscribed = true;
      },
    ) as { events: Record<string, (l: unknown) => () => void> };
    const off = api.events['e']!(() => undefined);
    off();
    expect(unsubscribed).toBe(true);
    expect(() => api.events['e']!('nope')).toThrow(TypeError);
  });
});
