/**
 * The trust store's issuer cache: CA and role-authority signatures every card shares are verified once, while a
 * card's own certificate is always verified, and dates, CRLs and forged issuers are still caught after caching.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureCa, issueCard, type CaBundle } from '../../../../src-main/card/issue/index';
import type { CardProfile } from '../../../../src-main/card/virtual/profile';
import {
  createTrustStore,
  verifyCardObjects,
  type CardObjects,
} from '../../../../src-main/card/verify/index';
import { certIdentity, sameCertificate } from '../../../../src-main/card/verify/cert-identity';
import { sampleRole } from '../../../support/card/sample-role';

const DAY = 86_400_000;
let dir: string;
let ca: CaBundle;
let other: CaBundle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-unit-issuer-cache-'));
  ca = await ensureCa(join(dir, 'ca'));
  other = await ensureCa(join(dir, 'other'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function issue(by: CaBundle = ca, opts: { certNotAfter?: Date } = {}): Promise<CardProfile> {
  return issueCard(by, {
    displayName: 'Dr Cache Example',
    userId: '555000000009',
    pin: '123456',
    roles: [sampleRole('555000000009')],
    ...opts,
  });
}

/** The objects as bare DER (the verifier accepts both the PIV wrappers and the bare forms). */
function objects(p: CardProfile): CardObjects {
  const guid = Buffer.from(p.cardGuid, 'hex');
  const chuid = Buffer.concat([
    Buffer.from([0x34, 16]),
    guid,
    Buffer.from([0x35, 8]),
    Buffer.from(p.chuidExpiry, 'ascii'),
  ]);
  return {
    chuid,
    certDer: Buffer.from(p.authCertDer, 'base64'),
    rolesDer: p.rolesCmsDer ? Buffer.from(p.rolesCmsDer, 'base64') : null,
  };
}

/** Which certificates pkijs was asked to find issuers for (by identity), through the real engine. */
function watchIssuerLookups(): string[] {
  const asked: string[] = [];
  const real = pkijs.CertificateChainValidationEngine.prototype.defaultFindIssuer;
  vi.spyOn(pkijs.CertificateChainValidationEngine.prototype, 'defaultFindIssuer').mockImplementation(
    function (this: pkijs.CertificateChainValidationEngine, cert, engine, crypto) {
      asked.push(certIdentity(cert));
      return real.call(this, cert, engine, crypto);
    },
  );
  return asked;
}

const leafIdentity = (p: CardProfile) =>
  certIdentity(pkijs.Certificate.fromBER(new Uint8Array(Buffer.from(p.authCertDer, 'base64'))));

describe('issuer cache', () => {
  it('verifies the shared CA certificates once; every new card certificate is verified', async () => {
    const store = createTrustStore({ anchorsPem: ca.trustPems });
    const first = await issue();
    const second = await issue();
    const asked = watchIssuerLookups();

    expect((await verifyCardObjects(objects(first), store, new Date())).ok).toBe(true);
    const firstRound = asked.splice(0);
    // The card, the card CA, the root, and the role authority's own path.
    expect(firstRound).toContain(leafIdentity(first));
    expect(firstRound.length).toBeGreaterThanOrEqual(3);

    expect((await verifyCardObjects(objects(second), store, new Date())).ok).toBe(true);
    // Only the new card's certificate needed pkijs again.
    expect(asked).toEqual([leafIdentity(second)]);
  });

  it('a new trust store (new CRLs) starts with an empty cache', async () => {
    const store = createTrustStore({ anchorsPem: ca.trustPems });
    expect((await verifyCardObjects(objects(await issue()), store, new Date())).ok).toBe(true);
    expect(store.issuers.size).toBeGreaterThan(0);
    expect(createTrustStore({ anchorsPem: ca.trustPems }).issuers.size).toBe(0);
  });

  it('still refuses a card from another CA after the genuine chain was cached', async () => {
    const store = createTrustStore({ anchorsPem: ca.trustPems });
    expect((await verifyCardObjects(objects(await issue()), store, new Date())).ok).toBe(true);
    const forged = await verifyCardObjects(objects(await issue(other)), store, new Date());
    expect(forged.ok ? 'ok' : forged.reason).toBe('untrusted-issuer');
  });

  it('still checks dates on every validation: a cached chain does not keep an expired card valid', async () => {
    const store = createTrustStore({ anchorsPem: ca.trustPems });
    const card = await issue(ca, { certNotAfter: new Date(Date.now() + 2 * DAY) });
    expect((await verifyCardObjects(objects(card), store, new Date())).ok).toBe(true);
    const later = await verifyCardObjects(objects(card), store, new Date(Date.now() + 3 * DAY));
    expect(later.ok ? 'ok' : later.reason).toBe('certificate-expired');
  });

  it('identity: equal for the same bytes parsed twice, different for another certificate', async () => {
    const a = await issue();
    const b = await issue();
    const parse = (p: CardProfile) =>
      pkijs.Certificate.fromBER(new Uint8Array(Buffer.from(p.authCertDer, 'base64')));
    expect(sameCertificate(parse(a), parse(a))).toBe(true);
    expect(sameCertificate(parse(a), parse(b))).toBe(false);
  });
});
