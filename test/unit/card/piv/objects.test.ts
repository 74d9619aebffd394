/**
 * The PIV object layouts, strictly: only the tags each object defines, nothing after the error detection code,
 * and certificates and CMS as exactly one DER element. An object with bytes after its last TLV is malformed.
 */
import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../../../../src-main/card/piv/tlv';
import {
  parseCareRolesContent,
  parseCertificateContent,
  parseChuidContent,
  wholeDer,
} from '../../../../src-main/card/piv/objects';
import { CardUnreadableError } from '../../../../src-main/card/piv/errors';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const t = (tag: number, value: Buffer = Buffer.alloc(0)) => encodeTlv(tag, value);
/** A small DER element: SEQUENCE { INTEGER 5 }. */
const DER = hex('30 03 02 01 05');
const GUID = Buffer.alloc(16, 0xab);

const chuid = (...extra: Buffer[]) =>
  Buffer.concat([
    t(0x30, Buffer.alloc(25, 0xd4)),
    t(0x34, GUID),
    t(0x35, Buffer.from('20301231')),
    t(0x3e),
    ...extra,
  ]);
const certObject = (der: Buffer, ...after: Buffer[]) =>
  Buffer.concat([t(0x70, der), t(0x71, hex('00')), ...after]);

describe('parseChuidContent', () => {
  it('reads GUID and expiry from a well-formed CHUID', () => {
    expect(parseChuidContent(chuid(t(0xfe)))).toEqual({ guid: GUID, expiry: '20301231' });
  });

  it.each([
    ['bytes after the EDC (a status word)', chuid(t(0xfe), hex('90 00'))],
    ['a tag a CHUID does not have', chuid(t(0x90), t(0xfe))],
    ['the GUID twice', chuid(t(0x34, GUID), t(0xfe))],
    ['bytes that are no TLV at the end', chuid(t(0xfe), hex('01'))],
    ['no GUID', Buffer.concat([t(0x35, Buffer.from('20301231')), t(0xfe)])],
    [
      'an expiry that is not YYYYMMDD',
      Buffer.concat([t(0x34, GUID), t(0x35, Buffer.from('2030-12-31')), t(0xfe)]),
    ],
  ])('refuses %s', (_what, content) => {
    expect(() => parseChuidContent(content)).toThrow(CardUnreadableError);
  });
});

describe('parseCertificateContent', () => {
  it('answers the DER of a well-formed certificate object', () => {
    expect(parseCertificateContent(certObject(DER, t(0xfe)))).toEqual(DER);
  });

  it.each([
    ['bytes after the EDC', certObject(DER, t(0xfe), hex('90 00'))],
    ['bytes after the certificate inside tag 70', certObject(Buffer.concat([DER, hex('00 00')]), t(0xfe))],
    ['a certificate cut short inside tag 70', certObject(DER.subarray(0, 4), t(0xfe))],
    ['a compressed certificate (CertInfo 01)', Buffer.concat([t(0x70, DER), t(0x71, hex('01')), t(0xfe)])],
    ['no tag 70', Buffer.concat([t(0x71, hex('00')), t(0xfe)])],
    ['a tag the container does not have', certObject(DER, t(0x53, hex('00')), t(0xfe))],
  ])('refuses %s', (_what, content) => {
    expect(() => parseCertificateContent(content)).toThrow(CardUnreadableError);
  });
});

describe('parseCareRolesContent and wholeDer', () => {
  it('answer one whole DER element', () => {
    expect(parseCareRolesContent(DER)).toEqual(DER);
    expect(wholeDer(DER, 'x')).toBe(DER);
  });

  it.each([
    ['bytes after the CMS', Buffer.concat([DER, hex('90 00')])],
    ['two elements', Buffer.concat([DER, DER])],
    ['an element cut short', DER.subarray(0, 3)],
    ['something that is not a SEQUENCE', hex('04 01 00')],
    ['nothing', Buffer.alloc(0)],
  ])('refuse %s', (_what, content) => {
    expect(() => parseCareRolesContent(content)).toThrow(CardUnreadableError);
  });
});
