/**
 * The token cache: one token per audience, signed once for callers that ask together, handed out again while it
 * has more than two minutes left, re-signed shortly before expiry only for an audience still in use, dropped by
 * clear() (even a signing in flight), and aborting a request does not waste the signature. The card is stood in
 * for by a P-256 key that signs digests as a PIV card does.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeJwt } from 'jose';
import { p256 } from '@noble/curves/nist.js';
import { createTokenService, type TokenSource } from '../../../../src-main/card/token/token-service';
import { TokenUnavailableError } from '../../../../src-main/session/port';
import { createMemoryLogger } from '../../../../src-main/services/logger';
import { sampleRole } from '../../../support/card/sample-role';

const SCR = 'https://sandbox.stethoscope.invalid/summary-care-record/FHIR/R4';
const PDS = 'https://sandbox.stethoscope.invalid/personal-demographics/FHIR/R4';

function fakeCard() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const d = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  let signatures = 0;
  let hold: Promise<void> | null = null;
  let unavailable: TokenUnavailableError | null = null;
  const source: TokenSource = {
    subject() {
      if (unavailable) throw unavailable;
      return {
        sessionId: 'session-1',
        userId: '555000000960',
        role: sampleRole('555000000960'),
        key: { certDer: Buffer.from('not parsed here'), issuersDer: [], publicKey },
      };
    },
    async sign(digest) {
      signatures++;
      if (hold) await hold;
      return Buffer.from(p256.sign(digest, d, { prehash: false, format: 'der' }));
    },
  };
  return {
    source,
    signatures: () => signatures,
    /** Makes the next signings wait until the returned function is called. */
    holdSigning() {
      let release: () => void = () => undefined;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
    setUnavailable(e: TokenUnavailableError | null) {
      unavailable = e;
    },
  };
}

const service = (card: ReturnType<typeof fakeCard>) =>
  createTokenService({ workstationId: 'WS-TEST-CARD', source: card.source, log: createMemoryLogger() });

describe('createTokenService', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-10T09:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('caches one token per audience, and signs once for callers that ask together', async () => {
    const card = fakeCard();
    const tokens = service(card);
    const [a, b] = await Promise.all([tokens.token(SCR), tokens.token(SCR)]);
    expect(a).toBe(b);
    expect(card.signatures()).toBe(1);
    expect(await tokens.token(SCR)).toBe(a);
    const other = await tokens.token(PDS);
    expect(other).not.toBe(a);
    expect(decodeJwt(other).aud).toBe(PDS);
    expect(card.signatures()).toBe(2);
  });

  it('signs again when less than two minutes are left, and ahead of expiry for an audience in use', async () => {
    const card = fakeCard();
    const tokens = service(card);
    const first = await tokens.token(SCR);
    const exp = decodeJwt(first).exp as number;
    expect(exp - (decodeJwt(first).iat as number)).toBe(600);

    // At 8 minutes the refresh runs by itself (the audience was asked for).
    await vi.advanceTimersByTimeAsync(480_000);
    expect(card.signatures()).toBe(2);
    const second = await tokens.token(SCR);
    expect(second).not.toBe(first);
    expect((decodeJwt(second).exp as number) - exp).toBe(480);
    expect(card.signatures()).toBe(2);

    // Asked for once since; refreshed once more, then, unused, let go at its refresh time.
    await vi.advanceTimersByTimeAsync(480_000);
    expect(card.signatures()).toBe(3);
    await vi.advanceTimersByTimeAsync(480_000);
    expect(card.signatures()).toBe(3);
    await tokens.token(SCR);
    expect(card.signatures()).toBe(4);
  });

  it('clear() drops every token, and a signing in flight is not handed out', async () => {
    const card = fakeCard();
    const tokens = service(card);
    const cached = await tokens.token(SCR);
    tokens.clear();
    const fresh = await tokens.token(SCR);
    expect(fresh).not.toBe(cached);
    expect(card.signatures()).toBe(2);

    const release = card.holdSigning();
    const pending = tokens.token(PDS);
    await vi.advanceTimersByTimeAsync(0);
    tokens.clear();
    card.setUnavailable(new TokenUnavailableError('locked', 'The session is locked.'));
    release();
    await expect(pending).rejects.toMatchObject({ name: 'TokenUnavailableError', reason: 'locked' });
  });

  it('refuses with the reason when there is no session to speak for', async () => {
    const card = fakeCard();
    const tokens = service(card);
    card.setUnavailable(new TokenUnavailableError('signed-out', 'Nobody is signed in.'));
    await expect(tokens.token(SCR)).rejects.toMatchObject({ reason: 'signed-out' });
    expect(card.signatures()).toBe(0);
  });

  it('an aborted request rejects at once; the signature it started is still kept', async () => {
    const card = fakeCard();
    const tokens = service(card);
    const gone = new AbortController();
    gone.abort();
    await expect(tokens.token(SCR, gone.signal)).rejects.toMatchObject({ reason: 'aborted' });
    expect(card.signatures()).toBe(0);

    const release = card.holdSigning();
    const later = new AbortController();
    const pending = tokens.token(SCR, later.signal);
    await vi.advanceTimersByTimeAsync(0);
    later.abort();
    await expect(pending).rejects.toMatchObject({ reason: 'aborted' });
    release();
    await vi.advanceTimersByTimeAsync(0);
    await tokens.token(SCR);
    expect(card.signatures()).toBe(1);
  });

  it('takes only a record service base URL as the audience', async () => {
    const tokens = service(fakeCard());
    await expect(tokens.token('not a url')).rejects.toThrow(RangeError);
    await expect(tokens.token('file:///etc/passwd')).rejects.toThrow(RangeError);
  });
});
