/**
 * The one PIN rule: 6 to 8 ASCII digits, as a predicate and as the schema the IPC contract and the card profile use.
 */
import { describe, expect, it } from 'vitest';
import { isPin, Pin, PIN_RULE } from '../../../src-shared/domain/pin';
import { sessionChannels } from '../../../src-shared/ipc/channels/session';

describe('the PIN rule', () => {
  it('accepts 6 to 8 digits and nothing else', () => {
    for (const ok of ['123456', '1234567', '12345678', '000000']) expect(isPin(ok), ok).toBe(true);
    for (const bad of ['', '12345', '123456789', '12345a', ' 123456', '123456\n', '١٢٣٤٥٦', '12 3456'])
      expect(isPin(bad), JSON.stringify(bad)).toBe(false);
  });

  it('the schema says the rule in words', () => {
    const r = Pin.safeParse('12');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(PIN_RULE);
    expect(PIN_RULE).toBe('A PIN is 6 to 8 digits.');
  });

  it('is the rule of the sign-in channel', () => {
    const request = sessionChannels['session.submitPin'].request;
    expect(request.safeParse({ pin: '123456' }).success).toBe(true);
    expect(request.safeParse({ pin: '12345' }).success).toBe(false);
  });
});
