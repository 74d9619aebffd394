/** The strict BER-TLV parser: well-formed objects parse, anything malformed is a CardUnreadableError, never a crash. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeTlv, parseSingle, parseTlvs, tlvMap } from '../../../src-main/card/piv/tlv';
import { CardUnreadableError } from '../../../src-main/card/piv/errors';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('parseTlvs', () => {
  it('parses one-, two- and three-byte tags and long-form lengths', () => {
    const value = Buffer.alloc(300, 0xab);
    const buf = Buffer.concat([hex('34 02 0102'), hex('5FC102 01 07'), encodeTlv(0x70, value)]);
    const out = parseTlvs(buf);
    expect(out.map((t) => t.tag)).toEqual([0x34, 0x5fc102, 0x70]);
    expect(out[0]?.value).toEqual(hex('0102'));
    expect(out[1]?.value).toEqual(hex('07'));
    expect(out[2]?.value.length).toBe(300);
    expect(encodeTlv(0x70, value).subarray(0, 4)).toEqual(hex('70 82 012C'));
  });

  it('accepts an empty value and 0x81 lengths', () => {
    expect(parseTlvs(hex('82 00'))).toEqual([{ tag: 0x82, value: Buffer.alloc(0) }]);
    const v = Buffer.alloc(200, 1);
    expect(parseTlvs(Buffer.concat([hex('53 81 C8'), v]))[0]?.value).toEqual(v);
  });

  it.each([
    ['a length beyond the buffer', '53 05 0102'],
    ['an indefinite length', '53 80 0000'],
    ['too many length bytes', '53 84 00000001 00'],
    ['a truncated long length', '53 82 01'],
    ['a truncated multi-byte tag', '5F'],
    ['a tag longer than three bytes', '5F FF FF 01 00'],
    ['a missing length', '53'],
    ['a zero tag byte', '00 00'],
  ])('refuses %s', (_what, input) => {
    expect(() => parseTlvs(hex(input))).toThrow(CardUnreadableError);
  });

  it('parseSingle refuses trailing bytes and the wrong tag', () => {
    expect(parseSingle(hex('53 01 AA'), 0x53)).toEqual(hex('AA'));
    expect(() => parseSingle(hex('53 01 AA 00'), 0x53)).toThrow(CardUnreadableError);
    expect(() => parseSingle(hex('54 01 AA'), 0x53)).toThrow(CardUnreadableError);
    expect(() => parseSingle(hex('53 01 AA 53 01 BB'), 0x53)).toThrow(CardUnreadableError);
  });

  it('tlvMap refuses a duplicated tag', () => {
    expect(() => tlvMap(parseTlvs(hex('34 01 01 34 01 02')))).toThrow(CardUnreadableError);
  });

  it('round-trips any sequence of encoded TLVs', () => {
    const tag = fc.oneof(
      fc.integer({ min: 0x01, max: 0x1e }),
      fc.integer({ min: 0x5f01, max: 0x5f7f }),
      fc.integer({ min: 0x5fc101, max: 0x5fc17f }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(tag, fc.uint8Array({ maxLength: 600 })), { maxLength: 5 }), (items) => {
        const buf = Buffer.concat(items.map(([t, v]) => encodeTlv(t, Buffer.from(v))));
        const out = parseTlvs(buf);
        expect(out.map((o) => o.tag)).toEqual(items.map(([t]) => t));
        out.forEach((o, i) => expect(o.value).toEqual(Buffer.from(items[i]![1])));
      }),
    );
  });

  it('never throws anything but CardUnreadableError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          parseTlvs(Buffer.from(bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(CardUnreadableError);
        }
      }),
    );
  });
});
