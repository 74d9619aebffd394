/**
 * The PIV client against the VirtualPivCard through the embedded transport: real APDUs, response chaining for the
 * certificate, PIN state and tries, GENERAL AUTHENTICATE verified with the certificate's key, and the card's faults
 * answered as CardUnreadableError.
 */
import { afterAll, describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { ensureCa, issueCard, type CaBundle } from '../../../src-main/card/issue/index';
import { VirtualPivCard, type CardFaults } from '../../../src-main/card/virtual/piv-card';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { createEmbeddedTransport } from '../../../src-main/card/transport/embedded-transport';
import { PivClient } from '../../../src-main/card/piv/client';
import { CardUnreadableError } from '../../../src-main/card/piv/errors';
import { CardRemovedError } from '../../../src-main/card/transport/types';
import { sampleRole } from '../../support/card/sample-role';

let ca: CaBundle;
let profile: CardProfile;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-card-unit-ca-'));
  ca = await ensureCa(dir);
  profile = await issueCard(ca, {
    displayName: 'Dr Test Person',
    userId: '555000000901',
    pin: '123456',
    roles: [sampleRole('555000000901')],
  });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function clientFor(faults: CardFaults = {}) {
  const transport = createEmbeddedTransport();
  const card = new VirtualPivCard(profile, faults);
  transport.insert(card);
  const conn = await transport.connect(transport.readerName);
  return { transport, card, conn, piv: new PivClient((a) => conn.transmit(a)) };
}

describe('PivClient with the virtual card', () => {
  it('reads CHUID, certificate (chained answer) and care roles', async () => {
    const { piv } = await clientFor();
    await piv.selectPiv();
    const chuid = await piv.readChuid();
    expect(chuid.guidHex).toBe(profile.cardGuid);
    expect(chuid.expiry).toBe(profile.chuidExpiry);
    const cert = await piv.readAuthCertificate();
    expect(cert.length).toBeGreaterThan(256);
    expect(cert.toString('base64')).toBe(profile.authCertDer);
    const roles = await piv.readCareRoles();
    expect(roles?.toString('base64')).toBe(profile.rolesCmsDer);
  });

  it('reports PIN state without spending tries, counts wrong PINs down to blocked', async () => {
    const { piv } = await clientFor();
    await piv.selectPiv();
    expect(await piv.pinState()).toEqual({ state: 'not-verified', triesLeft: 3 });
    expect(await piv.pinState()).toEqual({ state: 'not-verified', triesLeft: 3 });
    expect(await piv.verifyPin('000000')).toEqual({ ok: false, blocked: false, triesLeft: 2 });
    expect(await piv.verifyPin('000000')).toEqual({ ok: false, blocked: false, triesLeft: 1 });
    expect(await piv.verifyPin('000000')).toEqual({ ok: false, blocked: true });
    expect(await piv.pinState()).toEqual({ state: 'blocked' });
    expect(await piv.verifyPin('123456')).toEqual({ ok: false, blocked: true });
  });

  it('signs a fresh challenge after VERIFY; the signature verifies with the certificate key', async () => {
    const { piv } = await clientFor();
    await piv.selectPiv();
    await expect(piv.generalAuthenticate(randomBytes(32))).rejects.toThrow(/PIN is not verified/);
    expect(await piv.verifyPin('123456')).toEqual({ ok: true });
    expect(await piv.pinState()).toEqual({ state: 'verified' });
    // The card signs the challenge as the digest: with challenge = SHA-256(nonce) that is ECDSA-with-SHA-256 over nonce.
    const nonce = randomBytes(32);
    const sig = await piv.generalAuthenticate(createHash('sha256').update(nonce).digest());
    const key = new X509Certificate(Buffer.from(profile.authCertDer, 'base64')).publicKey;
    expect(verify('sha256', nonce, key, sig)).toBe(true);
    expect(verify('sha256', randomBytes(32), key, sig)).toBe(false);
  });

  it('refuses malformed objects, 6F00 and garbage as unreadable', async () => {
    const malformed = await clientFor({ malformed: '5FC105' });
    await malformed.piv.selectPiv();
    await expect(malformed.piv.readAuthCertificate()).rejects.toThrow(CardUnreadableError);
    const sixF = await clientFor({ status6F00: 'get-data' });
    await sixF.piv.selectPiv();
    await expect(sixF.piv.readChuid()).rejects.toThrow(/6F00/);
    const garbage = await clientFor({ garbage: 'select' });
    await expect(garbage.piv.selectPiv()).rejects.toThrow(CardUnreadableError);
  });

  it('a removed card fails the next transmit with CardRemovedError, and the event counter moves', async () => {
    const { transport, piv, conn } = await clientFor();
    const before = transport.readers()[0]!.eventCounter;
    transport.remove();
    await expect(piv.selectPiv()).rejects.toThrow(CardRemovedError);
    expect(transport.readers()[0]!.eventCounter).not.toBe(before);
    expect(conn.eventCounter).toBe(before);
  });
});
