/**
 * Reading card capabilities from an ATR: our issued cards announce extended length and chaining; ATRs with plain
 * ASCII historical bytes, other categories or broken framing mean "short APDUs only".
 */
import { describe, expect, it } from 'vitest';
import { makeAtr } from '../../../../src-main/card/issue/atr';
import { cardCapabilities, historicalBytes } from '../../../../src-main/card/piv/atr';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('cardCapabilities', () => {
  it('our issued ATR: compact-TLV capabilities with extended length and chaining, a valid TCK', () => {
    const atr = makeAtr('STETHPIV');
    expect(cardCapabilities(atr)).toEqual({ extendedLength: true, commandChaining: true });
    expect(
      Buffer.from(historicalBytes(atr) ?? [])
        .subarray(-8)
        .toString('ascii'),
    ).toBe('STETHPIV');
    expect(atr.subarray(1).reduce((x, b) => x ^ b, 0)).toBe(0);
    expect(() => makeAtr('MUCH-TOO-LONG')).toThrow(/1 to 9/);
  });

  it('the earlier ASCII historical bytes announce nothing', () => {
    expect(cardCapabilities(hex('3B 88 80 01 53 54 45 54 48 50 49 56 18'))).toEqual({
      extendedLength: false,
      commandChaining: false,
    });
  });

  it('a YubiKey-style ATR (historical bytes "Yubikey4") announces nothing', () => {
    const atr = hex('3B F8 13 00 00 81 31 FE 15 59 75 62 69 6B 65 79 34 D4');
    expect(Buffer.from(historicalBytes(atr) ?? []).toString('ascii')).toBe('Yubikey4');
    expect(cardCapabilities(atr).extendedLength).toBe(false);
  });

  it('category 00: capabilities before the three status bytes', () => {
    // Eight historical bytes: category 00, capabilities 73 00 00 40, then the status 00 90 00 (TCK not checked).
    const atr = hex('3B 88 80 01 00 73 00 00 40 00 90 00 00');
    expect(cardCapabilities(atr)).toEqual({ extendedLength: true, commandChaining: false });
  });

  it('broken framing or no historical bytes: nothing announced', () => {
    expect(cardCapabilities(hex('3B'))).toEqual({ extendedLength: false, commandChaining: false });
    expect(cardCapabilities(hex('3B 8F 80'))).toEqual({ extendedLength: false, commandChaining: false });
    expect(cardCapabilities(hex('3B 00'))).toEqual({ extendedLength: false, commandChaining: false });
    // A compact-TLV length running past the end.
    expect(cardCapabilities(hex('3B 83 80 01 80 75 01'))).toEqual({
      extendedLength: false,
      commandChaining: false,
    });
    expect(historicalBytes(hex('12 34'))).toBeNull();
  });
});
