/**
 * The user's token as the card signs it (virtual card, PIV client, GENERAL AUTHENTICATE over SHA-256 of the signing
 * input): it verifies with jose against the key of x5c[0], carries exactly the claims of the design, names the
 * card CA in x5c, and any tampering breaks it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { ensureCa, issueCard, type CaBundle } from '../../../../src-main/card/issue/index';
import { PivClient } from '../../../../src-main/card/piv/client';
import { CardUnreadableError } from '../../../../src-main/card/piv/errors';
import { userTokenClaims, UserTokenClaims } from '../../../../src-main/card/token/claims';
import { signUserToken, type TokenKey } from '../../../../src-main/card/token/sign-token';
import { VirtualPivCard, type CardFaults } from '../../../../src-main/card/virtual/piv-card';
import type { CardProfile } from '../../../../src-main/card/virtual/profile';
import { createTrustStore, verifyCardObjects } from '../../../../src-main/card/verify/index';
import { readCardObjects } from '../../../../src-main/card/signin/flow';
import { sampleRole } from '../../../support/card/sample-role';

const AUDIENCE = 'https://sandbox.stethoscope.invalid/summary-care-record/FHIR/R4';
const USER = '555000000950';
let dir: string;
let ca: CaBundle;
let profile: CardProfile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-card-unit-token-'));
  ca = await ensureCa(join(dir, 'ca'));
  profile = await issueCard(ca, {
    displayName: 'Dr Token Test',
    userId: USER,
    pin: '123456',
    roles: [sampleRole(USER, ['B0370', 'B0168'])],
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads and verifies the card as sign-in does, verifies the PIN, and answers the token key and a signer. */
async function signedInCard(faults: CardFaults = {}) {
  const card = new VirtualPivCard(profile, faults);
  card.powerOn();
  const piv = new PivClient(async (apdu) => card.transmit(apdu));
  const objects = await readCardObjects(piv);
  const v = await verifyCardObjects(objects, createTrustStore({ anchorsPem: ca.trustPems }), new Date());
  if (!v.ok) throw new Error(v.message);
  expect(await piv.verifyPin('123456')).toEqual({ ok: true });
  const key: TokenKey = { certDer: v.certDer, issuersDer: v.issuersDer, publicKey: v.publicKey };
  return { key, sign: (digest: Buffer) => piv.generalAuthenticate(digest), roles: v.roles };
}

const pem = (b64: string) =>
  `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;

function claims(now = new Date()) {
  return userTokenClaims({
    workstationId: 'WS-TEST-CARD',
    userId: USER,
    role: sampleRole(USER, ['B0370', 'B0168']),
    audience: AUDIENCE,
    now,
    lifetimeS: 600,
  });
}

async function verifyWithX5c(token: string, audience = AUDIENCE) {
  const header = decodeProtectedHeader(token);
  const leaf = header.x5c?.[0];
  if (!leaf) throw new Error('no x5c');
  const key = await importX509(pem(leaf), 'ES256');
  return jwtVerify(token, key, { algorithms: ['ES256'], audience, issuer: 'WS-TEST-CARD' });
}

describe('signUserToken', () => {
  it('is a compact JWS the card signed: it verifies with jose and the key of x5c[0], with the design claims', async () => {
    const { key, sign } = await signedInCard();
    const c = claims();
    const token = await signUserToken(c, key, sign);
    const { payload, protectedHeader } = await verifyWithX5c(token);

    expect(protectedHeader).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      x5c: [key.certDer.toString('base64'), ...key.issuersDer.map((d) => d.toString('base64'))],
    });
    // x5c: the card certificate, then the card CA that issued it (the trust anchor is the services' own).
    expect(protectedHeader.x5c).toHaveLength(2);
    expect(protectedHeader.x5c?.[0]).toBe(profile.authCertDer);
    expect(new X509Certificate(pem(protectedHeader.x5c?.[1] as string)).subject).toBe(
      new X509Certificate(ca.cardCa.pem).subject,
    );

    expect(Object.keys(payload).sort()).toEqual(
      [
        'activities',
        'aud',
        'exp',
        'iat',
        'iss',
        'jti',
        'org',
        'reason_for_request',
        'requested_scope',
        'sub',
        'urid',
      ].sort(),
    );
    expect(payload).toEqual(c);
    expect(UserTokenClaims.safeParse(payload).success).toBe(true);
    expect(payload).toMatchObject({
      iss: 'WS-TEST-CARD',
      sub: USER,
      aud: AUDIENCE,
      urid: `${USER}-01`,
      org: 'C81007',
      activities: ['B0370', 'B0168'],
      reason_for_request: 'directcare',
      requested_scope: 'patient/*.read',
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(600);
    // sub is the certificate's UID.
    expect(new X509Certificate(Buffer.from(profile.authCertDer, 'base64')).subject).toContain(USER);
  });

  it('any tampering breaks it: payload, header, signature, or another audience', async () => {
    const { key, sign } = await signedInCard();
    const token = await signUserToken(claims(), key, sign);
    const [h, p, s] = token.split('.') as [string, string, string];
    const other = (text: string) =>
      Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(text, 'base64url').toString()), sub: '555000000951' }),
      ).toString('base64url');
    await expect(verifyWithX5c(`${h}.${other(p)}.${s}`)).rejects.toThrow(/signature verification failed/);
    const noneHeader = Buffer.from(
      JSON.stringify({ alg: 'none', typ: 'JWT', x5c: [profile.authCertDer] }),
    ).toString('base64url');
    await expect(verifyWithX5c(`${noneHeader}.${p}.`)).rejects.toThrow();
    const flipped = Buffer.from(s, 'base64url');
    flipped[10] = (flipped[10] as number) ^ 0x01;
    await expect(verifyWithX5c(`${h}.${p}.${flipped.toString('base64url')}`)).rejects.toThrow(
      /signature verification failed/,
    );
    await expect(verifyWithX5c(token, 'https://elsewhere.invalid/FHIR/R4')).rejects.toThrow(/aud/);
    await expect(verifyWithX5c(token)).resolves.toBeDefined();
  });

  it('a card that signs with another key gives no token', async () => {
    const { key, sign } = await signedInCard({ wrongKey: true });
    await expect(signUserToken(claims(), key, sign)).rejects.toThrow(CardUnreadableError);
  });

  it('claims live at most 600 s', () => {
    expect(() =>
      userTokenClaims({
        workstationId: 'WS-TEST-CARD',
        userId: USER,
        role: sampleRole(USER),
        audience: AUDIENCE,
        now: new Date(),
        lifetimeS: 601,
      }),
    ).toThrow();
  });
});
