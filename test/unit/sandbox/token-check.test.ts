/**
 * The services' token check against real card certificates (issued with src-main/card/issue) and tokens signed
 * with the card's key: a good one passes; expired, foreign, unsigned, tampered, wrong-audience, over-long,
 * future-dated, wrong-subject and wrong-role tokens are refused in words.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import { ensureCa, issueCard, type CaBundle } from '../../../src-main/card/issue/index';
import { createTrustStore } from '../../../src-main/card/verify/trust-store';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { createTokenCheck, type TokenCheck } from '../../../src-main/sandbox/token-check';
import { makeToken, tamper, unsigned } from '../../support/sandbox/tokens';

const AUD = 'https://127.0.0.1:8443/summary-care-record/FHIR/R4';
const role: RoleProfile = {
  urid: '555000000201-01',
  orgCode: 'C81007',
  orgName: 'Example Surgery',
  orgType: 'gp-practice',
  roleCode: 'R8000',
  roleName: 'Clinical Practitioner Access Role',
  activities: ['B0370', 'B0168'],
};

let dir: string;
let ca: CaBundle;
let other: CaBundle;
let card: CardProfile;
let foreignCard: CardProfile;
let check: TokenCheck;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-token-'));
  ca = await ensureCa(join(dir, 'ca'));
  other = await ensureCa(join(dir, 'other-ca'));
  const opts = { displayName: 'Dr Token Test', userId: '555000000201', pin: '123456', roles: [role] };
  card = await issueCard(ca, opts);
  foreignCard = await issueCard(other, opts);
  check = createTokenCheck({ trust: createTrustStore({ anchorsPem: ca.trustPems }) });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = () => makeToken(card, ca, { audience: AUD, role });
const bearer = (t: string) => `Bearer ${t}`;

async function refusal(token: string, urid = role.urid) {
  const v = await check.verify(bearer(token), AUD, urid);
  if (v.ok) throw new Error('token was accepted');
  return v;
}

describe('token check', () => {
  it('accepts a card-signed ES256 token with the right chain, audience and role', async () => {
    const v = await check.verify(bearer(await good()), AUD, role.urid);
    expect(v).toMatchObject({
      ok: true,
      user: {
        userId: '555000000201',
        displayName: 'Dr Token Test',
        urid: role.urid,
        org: 'C81007',
        activities: ['B0370', 'B0168'],
        workstation: 'WS-TEST-01',
      },
    });
  });

  it('refuses an expired token', async () => {
    const t = await makeToken(card, ca, { audience: AUD, role, issuedAt: -900, lifetime: 300 });
    expect(await refusal(t)).toEqual({ ok: false, status: 401, reason: 'the token has expired' });
  });

  it('refuses a token from a card of another CA, even with that CA in x5c', async () => {
    const t = await makeToken(foreignCard, other, { audience: AUD, role });
    expect(await refusal(t)).toMatchObject({
      status: 401,
      reason: 'the token certificate was not issued by a trusted card authority',
    });
  });

  it('refuses an unsigned token (alg none)', async () => {
    expect(await refusal(unsigned(await good()))).toMatchObject({
      status: 401,
      reason: 'the token is not signed with ES256 (alg "none")',
    });
  });

  it('refuses a token signed with HS256 or with a key that is not the certificate’s', async () => {
    const hs = await makeToken(card, ca, {
      audience: AUD,
      role,
      header: { alg: 'HS256' },
      key: new TextEncoder().encode('a shared secret anyone could know'),
    });
    expect(await refusal(hs)).toMatchObject({
      status: 401,
      reason: 'the token is not signed with ES256 (alg "HS256")',
    });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const wrongKey = await makeToken(card, ca, { audience: AUD, role, key: privateKey });
    expect(await refusal(wrongKey)).toMatchObject({
      status: 401,
      reason: 'the token signature does not match its content',
    });
  });

  it('refuses a tampered token (claims changed after signing)', async () => {
    const t = tamper(await good(), (p) => {
      p['activities'] = ['B0370', 'B0168', 'B0015'];
    });
    expect(await refusal(t)).toMatchObject({
      status: 401,
      reason: 'the token signature does not match its content',
    });
  });

  it('refuses a token for another service', async () => {
    const t = await makeToken(card, ca, {
      audience: 'https://127.0.0.1:8443/personal-demographics/FHIR/R4',
      role,
    });
    expect(await refusal(t)).toMatchObject({ status: 401, reason: 'the token is for another service' });
  });

  it('refuses a token that lives longer than 10 minutes or was issued in the future', async () => {
    const long = await makeToken(card, ca, { audience: AUD, role, lifetime: 601 });
    expect(await refusal(long)).toMatchObject({ reason: 'the token lives longer than 10 minutes' });
    const future = await makeToken(card, ca, { audience: AUD, role, issuedAt: 300 });
    expect(await refusal(future)).toMatchObject({
      reason: 'the token was issued in the future or too long ago',
    });
  });

  it('refuses a token whose subject is not the card holder, or that lacks a required claim', async () => {
    const t = await makeToken(card, ca, { audience: AUD, role, claims: { sub: '555000000999' } });
    expect(await refusal(t)).toMatchObject({ reason: "the token's subject is not the card holder" });
    const noScope = await makeToken(card, ca, {
      audience: AUD,
      role,
      claims: { requested_scope: undefined },
    });
    expect(await refusal(noScope)).toMatchObject({
      reason: 'the token\'s claims are not valid: requested_scope is missing or not "patient/*.read"',
    });
  });

  it('refuses a missing, malformed or non-bearer Authorization header', async () => {
    expect(await check.verify(undefined, AUD, role.urid)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'no bearer token was sent',
    });
    expect(await check.verify('Basic dXNlcjpwYXNz', AUD, role.urid)).toMatchObject({ status: 401 });
    expect(await check.verify('Bearer not-a-jws', AUD, role.urid)).toMatchObject({
      status: 401,
      reason: 'the token is not a compact JWS',
    });
  });

  it('answers 403 when NHSD-Session-URID is not the token’s role profile, also for a remembered token', async () => {
    const t = await good();
    expect((await check.verify(bearer(t), AUD, role.urid)).ok).toBe(true);
    expect(await check.verify(bearer(t), AUD, '555000000201-02')).toEqual({
      ok: false,
      status: 403,
      reason: "NHSD-Session-URID is not the token's role profile",
    });
  });

  it('with no trust anchors configured, refuses every token', async () => {
    const none = createTokenCheck({ trust: null });
    expect(await none.verify(bearer(await good()), AUD, role.urid)).toMatchObject({
      status: 401,
      reason: 'this service has no card trust anchors configured',
    });
  });

  it('forgets a remembered token when it expires', async () => {
    let now = new Date();
    const clocked = createTokenCheck({
      trust: createTrustStore({ anchorsPem: ca.trustPems }),
      now: () => now,
    });
    const t = await makeToken(card, ca, { audience: AUD, role, lifetime: 120 });
    expect((await clocked.verify(bearer(t), AUD, role.urid)).ok).toBe(true);
    now = new Date(now.getTime() + 200_000);
    expect(await clocked.verify(bearer(t), AUD, role.urid)).toMatchObject({
      ok: false,
      reason: 'the token has expired',
    });
  });

  it('checks a second token from a remembered chain in full, and validates the chain again once its dates pass', async () => {
    let now = new Date();
    const clocked = createTokenCheck({
      trust: createTrustStore({ anchorsPem: ca.trustPems }),
      now: () => now,
    });
    const shortCard = await issueCard(ca, {
      displayName: 'Dr Short Lived',
      userId: '555000000202',
      pin: '123456',
      roles: [role],
      validDays: 1,
    });
    const first = await makeToken(shortCard, ca, { audience: AUD, role });
    expect((await clocked.verify(bearer(first), AUD, role.urid)).ok).toBe(true);
    // Same chain, new tokens: the signature and claims are still checked.
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await makeToken(shortCard, ca, { audience: AUD, role, key: privateKey });
    expect(await clocked.verify(bearer(forged), AUD, role.urid)).toMatchObject({
      ok: false,
      reason: 'the token signature does not match its content',
    });
    const other = await makeToken(shortCard, ca, { audience: `${AUD}/other`, role });
    expect(await clocked.verify(bearer(other), AUD, role.urid)).toMatchObject({
      ok: false,
      reason: 'the token is for another service',
    });
    // Two days on the certificate has expired: the remembered chain is not used.
    now = new Date(now.getTime() + 2 * 86_400_000);
    const late = await makeToken(shortCard, ca, { audience: AUD, role, issuedAt: 2 * 86_400 });
    expect(await clocked.verify(bearer(late), AUD, role.urid)).toMatchObject({
      ok: false,
      reason: 'the token certificate has expired',
    });
  });
});
