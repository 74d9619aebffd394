/**
 * The user's token over real pcscd + vpcd: after sign-in the card in the reader signs it (GENERAL AUTHENTICATE over
 * SHA-256 of the signing input) and it verifies with jose; a removal locks and the port refuses, with nothing kept;
 * after the unlock the card signs a new one; a card that stalls gives card-error within the exchange deadline.
 */
import { performance } from 'node:perf_hooks';
import { X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { startCardStack, type CardStack } from './support/stack';
import { startSession, type SessionHarness } from './support/session-harness';
import { VirtualPivCard, type CardFaults } from '../../../src-main/card/virtual/piv-card';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { connectVpcd, type VpcdLink } from '../../../src-main/card/virtual/vpcd-link';
import { watchedCard } from '../../support/card/watched-card';

const SCR = 'https://sandbox.stethoscope.invalid/summary-care-record/FHIR/R4';
const PDS = 'https://sandbox.stethoscope.invalid/personal-demographics/FHIR/R4';
const DEADLINE_MS = 1000;

let stack: CardStack;
let h: SessionHarness;
let link: VpcdLink | null = null;

beforeAll(async () => {
  stack = await startCardStack('token', 40073, 1);
  h = await startSession(stack, { exchangeTimeoutMs: DEADLINE_MS });
});
afterEach(async () => {
  await link?.close();
  link = null;
  await h.reset(stack);
});
afterAll(async () => {
  await h?.close();
  await stack?.stop();
});

/** A card in reader 0 whose GENERAL AUTHENTICATE commands are counted. */
async function insertCounted(profile: CardProfile, faults: CardFaults = {}) {
  const counter = { signatures: 0 };
  const card = watchedCard(new VirtualPivCard(profile, faults), (apdu) => {
    if (apdu[1] === 0x87) counter.signatures++;
  });
  link = await connectVpcd(card, { port: stack.pcscd.vpcdPorts[0]!, timeoutMs: 5000 });
  return counter;
}

async function pullCard() {
  await link?.close();
  link = null;
}

const pem = (b64: string) =>
  `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;

async function verified(token: string, audience: string) {
  const x5c = decodeProtectedHeader(token).x5c ?? [];
  return jwtVerify(token, await importX509(pem(x5c[0] as string), 'ES256'), {
    audience,
    issuer: 'WS-TEST-CARD',
    algorithms: ['ES256'],
  });
}

async function signIn(profile: CardProfile, faults: CardFaults = {}) {
  const mark = h.views.mark();
  const counter = await insertCounted(profile, faults);
  await h.view('pin-required', mark);
  expect((await h.service.submitPin('123456')).state).toBe('signed-in');
  return counter;
}

describe('the user token through the card in the reader', () => {
  it('after sign-in the card signs a token that verifies with jose; one signature per audience', async () => {
    const profile = await stack.issue();
    const counter = await signIn(profile);
    const afterSignIn = counter.signatures;

    const token = await h.service.token(SCR);
    expect(counter.signatures).toBe(afterSignIn + 1);
    const { payload, protectedHeader } = await verified(token, SCR);
    expect(protectedHeader.alg).toBe('ES256');
    expect(protectedHeader.x5c?.[0]).toBe(profile.authCertDer);
    expect(new X509Certificate(pem(protectedHeader.x5c?.[1] as string)).subject).toBe(
      new X509Certificate(stack.ca.cardCa.pem).subject,
    );
    const user = h.service.current();
    expect(payload).toMatchObject({
      sub: profile.holder.userId,
      urid: user?.role.urid,
      org: user?.role.orgCode,
      activities: user?.role.activities,
      reason_for_request: 'directcare',
      requested_scope: 'patient/*.read',
    });

    expect(await h.service.token(SCR)).toBe(token);
    const pds = await h.service.token(PDS);
    await verified(pds, PDS);
    expect(counter.signatures).toBe(afterSignIn + 2);
  });

  it('after removal the port refuses and keeps nothing; after the unlock the card signs a new token', async () => {
    const profile = await stack.issue();
    await signIn(profile);
    const first = await h.service.token(SCR);

    const mark = h.views.mark();
    await pullCard();
    await h.view('locked', mark);
    await expect(h.service.token(SCR)).rejects.toMatchObject({
      name: 'TokenUnavailableError',
      reason: 'locked',
    });

    const back = h.views.mark();
    const again = await insertCounted(profile);
    await h.views.next((v) => v.state === 'locked' && v.cardPresent, 15_000, back);
    await expect(h.service.token(SCR)).rejects.toMatchObject({ reason: 'locked' });
    expect((await h.service.submitPin('123456')).state).toBe('signed-in');
    const beforeToken = again.signatures;

    const second = await h.service.token(SCR);
    // Signed by the card again, not taken from a cache: the lock emptied it.
    expect(again.signatures).toBe(beforeToken + 1);
    expect(second).not.toBe(first);
    expect(decodeJwt(second).jti).not.toBe(decodeJwt(first).jti);
    await verified(second, SCR);
  });

  it('a card that stalls on GENERAL AUTHENTICATE gives card-error within the deadline; pulling it locks', async () => {
    const faults: CardFaults = {};
    await signIn(await stack.issue(), faults);
    faults.stall = 'general-authenticate';
    const t0 = performance.now();
    await expect(h.service.token(SCR)).rejects.toMatchObject({ reason: 'card-error' });
    expect(performance.now() - t0).toBeLessThan(3000);
    const mark = h.views.mark();
    await pullCard();
    await h.view('locked', mark, 3000);
    await expect(h.service.token(SCR)).rejects.toMatchObject({ reason: 'locked' });
  });
});
