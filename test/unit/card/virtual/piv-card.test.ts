/**
 * The virtual PIV card answers the card profile's APDUs: SELECT, GET DATA, VERIFY, GENERAL AUTHENTICATE,
 * chaining both ways, power cycles and the test faults.
 */
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCa, issueCard } from '../../../../src-main/card/issue/index';
import {
  CardProfileError,
  MAX_OBJECT_BYTES,
  padPin,
  VirtualPivCard,
  type CardFaults,
} from '../../../../src-main/card/virtual/piv-card';
import { parseTlvs } from '../../../../src-main/card/virtual/ber-tlv';
import type { CardProfile } from '../../../../src-main/card/virtual/profile';
import { sampleRole } from '../../../support/card/sample-role';

let dir: string;
let profile: CardProfile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-card-unit-card-'));
  const ca = await ensureCa(join(dir, 'ca'));
  profile = await issueCard(ca, {
    displayName: 'Dr Test Card',
    userId: '555000000042',
    pin: '24681357',
    roles: [sampleRole('555000000042')],
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const swOf = (r: Buffer) => r.subarray(-2).toString('hex').toUpperCase();
const dataOf = (r: Buffer) => r.subarray(0, -2);

function card(faults?: CardFaults): VirtualPivCard {
  const c = new VirtualPivCard(profile, faults);
  c.powerOn();
  return c;
}

/** GET DATA with response chaining followed to the end. */
function getData(c: VirtualPivCard, tag: string): { sw: string; data: Buffer } {
  const t = hex(tag);
  let r = c.transmit(
    Buffer.concat([hex('00 CB 3F FF'), Buffer.from([t.length + 2, 0x5c, t.length]), t, hex('00')]),
  );
  let data = dataOf(r);
  while (swOf(r).startsWith('61')) {
    r = c.transmit(Buffer.from([0x00, 0xc0, 0x00, 0x00, r[r.length - 1] as number]));
    data = Buffer.concat([data, dataOf(r)]);
  }
  return { sw: swOf(r), data };
}

const verifyPin = (c: VirtualPivCard, pin: string) =>
  swOf(c.transmit(Buffer.concat([hex('00 20 00 80 08'), padPin(pin)])));

function authenticate(c: VirtualPivCard, challenge: Buffer): Buffer {
  const body = Buffer.concat([hex('7C 24 82 00 81 20'), challenge]);
  return c.transmit(Buffer.concat([hex('00 87 11 9A'), Buffer.from([body.length]), body, hex('00')]));
}

describe('VirtualPivCard', () => {
  it('answers SELECT PIV with an application property template', () => {
    const r = card().transmit(hex('00 A4 04 00 09 A0 00 00 03 08 00 00 10 00 00'));
    expect(swOf(r)).toBe('9000');
    expect(r[0]).toBe(0x61);
    expect(card().transmit(hex('00 A4 04 00 05 A0 00 00 00 01 00')).toString('hex')).toBe('6a82');
  });

  it('serves the CHUID with GUID and expiry', () => {
    const { sw, data } = getData(card(), '5FC102');
    expect(sw).toBe('9000');
    const inner = parseTlvs(parseTlvs(data)[0]!.value);
    expect(inner.find((t) => t.tag === '34')!.value.toString('hex')).toBe(profile.cardGuid);
    expect(inner.find((t) => t.tag === '35')!.value.toString('ascii')).toBe(profile.chuidExpiry);
  });

  it('serves the certificate through response chaining', () => {
    const c = card();
    const first = c.transmit(hex('00 CB 3F FF 05 5C 03 5F C1 05 00'));
    expect(swOf(first).startsWith('61')).toBe(true);
    const { sw, data } = getData(card(), '5FC105');
    expect(sw).toBe('9000');
    const inner = parseTlvs(parseTlvs(data)[0]!.value);
    expect(inner.map((t) => t.tag)).toEqual(['70', '71', 'FE']);
    expect(inner[0]!.value.equals(Buffer.from(profile.authCertDer, 'base64'))).toBe(true);
  });

  it('serves a whole object in one answer to an extended-length GET DATA, and at most Le bytes otherwise', () => {
    const whole = card().transmit(hex('00 CB 3F FF 00 00 05 5C 03 5F C1 05 00 00'));
    expect(swOf(whole)).toBe('9000');
    expect(dataOf(whole).equals(getData(card(), '5FC105').data)).toBe(true);
    expect(dataOf(whole).length).toBeGreaterThan(256);
    // An extended Le smaller than the object still chains.
    const part = card().transmit(hex('00 CB 3F FF 00 00 05 5C 03 5F C1 05 01 00'));
    expect(dataOf(part).length).toBe(256);
    expect(swOf(part).startsWith('61')).toBe(true);
  });

  it('serves the care roles and 6A82 for absent objects', () => {
    const roles = getData(card(), '5FFF10');
    expect(roles.sw).toBe('9000');
    expect(parseTlvs(roles.data)[0]!.value.equals(Buffer.from(profile.rolesCmsDer!, 'base64'))).toBe(true);
    expect(getData(card(), '5FC10A').sw).toBe('6A82');
    const noRoles = new VirtualPivCard({ ...profile, rolesCmsDer: undefined });
    noRoles.powerOn();
    expect(getData(noRoles, '5FFF10').sw).toBe('6A82');
    expect(getData(card(), '7E').data[0]).toBe(0x7e);
  });

  it('counts PIN tries, reports state without spending one, and blocks at zero', () => {
    const c = card();
    expect(swOf(c.transmit(hex('00 20 00 80')))).toBe('63C3');
    expect(verifyPin(c, '11111111')).toBe('63C2');
    expect(swOf(c.transmit(hex('00 20 00 80')))).toBe('63C2');
    expect(verifyPin(c, '24681357')).toBe('9000');
    expect(swOf(c.transmit(hex('00 20 00 80')))).toBe('9000');
    expect(verifyPin(c, '11111111')).toBe('63C2');
    expect(verifyPin(c, '11111111')).toBe('63C1');
    expect(verifyPin(c, '11111111')).toBe('6983');
    expect(verifyPin(c, '24681357')).toBe('6983');
    expect(swOf(c.transmit(hex('00 20 00 80')))).toBe('6983');
  });

  it('keeps the try counter but drops verification across power cycles', () => {
    const seen: number[] = [];
    const c = new VirtualPivCard(profile, {}, { onTriesChanged: (n) => seen.push(n) });
    c.powerOn();
    expect(verifyPin(c, '00000000')).toBe('63C2');
    c.powerOff();
    c.powerOn();
    expect(swOf(c.transmit(hex('00 20 00 80')))).toBe('63C2');
    expect(verifyPin(c, '24681357')).toBe('9000');
    c.reset();
    expect(swOf(c.transmit(hex('00 20 00 80')))).toBe('63C3');
    expect(seen).toEqual([2, 3]);
  });

  it('signs the challenge as the digest, with the certificate key, only after the PIN', () => {
    const c = card();
    const nonce = randomBytes(32);
    const challenge = createHash('sha256').update(nonce).digest();
    expect(swOf(authenticate(c, challenge))).toBe('6982');
    expect(verifyPin(c, '24681357')).toBe('9000');
    const r = authenticate(c, challenge);
    expect(swOf(r)).toBe('9000');
    const sig = parseTlvs(parseTlvs(dataOf(r))[0]!.value).find((t) => t.tag === '82')!.value;
    const pub = new X509Certificate(Buffer.from(profile.authCertDer, 'base64')).publicKey;
    // Signing SHA-256(nonce) as the digest is ECDSA-with-SHA-256 over the nonce; the challenge is not hashed again.
    expect(verify('sha256', nonce, pub, sig)).toBe(true);
    expect(verify('sha256', challenge, pub, sig)).toBe(false);
  });

  it('accepts a command sent in chained parts (CLA 10)', () => {
    const c = card();
    verifyPin(c, '24681357');
    const challenge = randomBytes(32);
    const body = Buffer.concat([hex('7C 24 82 00 81 20'), challenge]);
    const a = body.subarray(0, 10);
    const b = body.subarray(10);
    expect(swOf(c.transmit(Buffer.concat([hex('10 87 11 9A'), Buffer.from([a.length]), a])))).toBe('9000');
    const r = c.transmit(Buffer.concat([hex('00 87 11 9A'), Buffer.from([b.length]), b, hex('00')]));
    expect(swOf(r)).toBe('9000');
  });

  it('wrongKey signs with a key that does not match the certificate', () => {
    const c = card({ wrongKey: true });
    verifyPin(c, '24681357');
    const nonce = randomBytes(32);
    const challenge = createHash('sha256').update(nonce).digest();
    const sig = parseTlvs(parseTlvs(dataOf(authenticate(c, challenge)))[0]!.value)[0]!.value;
    const pub = new X509Certificate(Buffer.from(profile.authCertDer, 'base64')).publicKey;
    expect(verify('sha256', nonce, pub, sig)).toBe(false);
  });

  it('malformed returns a truncated TLV for that object', () => {
    const { sw, data } = getData(card({ malformed: '5FC105' }), '5FC105');
    expect(sw).toBe('9000');
    expect(() => parseTlvs(data)).toThrow();
    expect(() => parseTlvs(getData(card({ malformed: '5FC105' }), '5FC102').data)).not.toThrow();
  });

  it('status6F00 and garbage hit only the named command', () => {
    const c = card({ status6F00: 'verify' });
    expect(swOf(c.transmit(hex('00 20 00 80')))).toBe('6F00');
    expect(getData(c, '5FC102').sw).toBe('9000');
    const g = card({ garbage: 'get-data' }).transmit(hex('00 CB 3F FF 05 5C 03 5F C1 02 00'));
    const sw1 = g[g.length - 2] as number;
    expect(sw1 >> 4 === 6 || sw1 >> 4 === 9).toBe(false);
  });
});

describe('object size and the link faults', () => {
  it('refuses, in one sentence, a profile with an object one answer cannot carry; serves a large one whole', async () => {
    const ca = await ensureCa(join(dir, 'ca'));
    const sized = (n: number) =>
      issueCard(ca, {
        displayName: 'Dr Big Object',
        userId: '555000000043',
        pin: '123456',
        roles: [],
        rolesContent: Buffer.alloc(n, 0x20),
      });
    const big = await sized(70_000);
    expect(() => new VirtualPivCard(big)).toThrow(CardProfileError);
    expect(() => new VirtualPivCard(big)).toThrow(
      /^the care-roles object is 7\d,\d{3} bytes; a card object holds at most 65,533 bytes$/,
    );
    // A large object that fits comes back whole in one extended-length answer, and that answer fits a frame.
    const fits = await sized(60_000);
    const objectLength = 4 + Buffer.from(fits.rolesCmsDer as string, 'base64').length;
    expect(objectLength).toBeGreaterThan(60_000);
    expect(objectLength).toBeLessThanOrEqual(MAX_OBJECT_BYTES);
    const c = new VirtualPivCard(fits);
    c.powerOn();
    const r = c.transmit(hex('00 CB 3F FF 00 00 05 5C 03 5F FF 10 00 00'));
    expect(swOf(r)).toBe('9000');
    expect(dataOf(r).length).toBe(objectLength);
    expect(r.length).toBeLessThanOrEqual(0xffff);
  });

  it('reply(): silence for a stall, half a frame for halfFrame, an answer otherwise', () => {
    const faults: CardFaults = {};
    const c = card(faults);
    const select = hex('00 A4 04 00 09 A0 00 00 03 08 00 00 10 00 00');
    expect(c.reply(select).kind).toBe('answer');
    faults.stall = 'select';
    expect(c.reply(select)).toEqual({ kind: 'silence' });
    faults.stall = undefined;
    faults.halfFrame = 'select';
    const half = c.reply(select);
    expect(half.kind).toBe('half-frame');
    expect(half.kind === 'half-frame' && swOf(half.response)).toBe('9000');
  });

  it('trailing: the object carries 90 00 after its last TLV, inside its 53 wrapper', () => {
    const c = card({ trailing: '5FC102' });
    const r = c.transmit(hex('00 CB 3F FF 05 5C 03 5F C1 02 00'));
    const outer = parseTlvs(dataOf(r))[0];
    expect(outer?.tag).toBe('53');
    expect(outer?.value.subarray(-4).toString('hex')).toBe('fe009000');
  });
});
