/**
 * The sign-in trust checks refuse every kind of bad card with its own reason, and accept a good one.
 * Cards come from the real issuer and are read through the virtual card's APDUs.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleProfile } from '../../../../src-shared/domain/rbac';
import type { CardRefusal } from '../../../../src-shared/domain/session';
import {
  ensureCa,
  issueCard,
  issueCrl,
  type CaBundle,
  type IssueCardOptions,
} from '../../../../src-main/card/issue/index';
import { VirtualPivCard } from '../../../../src-main/card/virtual/piv-card';
import { parseCareRolesContent, parseCertificateContent } from '../../../../src-main/card/piv/objects';
import { encodeTlv, parseSingle, parseTlvs } from '../../../../src-main/card/piv/tlv';
import type { CardProfile } from '../../../../src-main/card/virtual/profile';
import {
  createTrustStore,
  createVerifier,
  verifyCardObjects,
  verifyChallengeSignature,
  type CardObjects,
  type TrustStore,
} from '../../../../src-main/card/verify/index';

const DAY = 86_400_000;
const role: RoleProfile = {
  urid: '555000000001-01',
  orgCode: 'C81007',
  orgName: 'Example Surgery',
  orgType: 'gp-practice',
  roleCode: 'R8000',
  roleName: 'Clinical Practitioner Access Role',
  activities: ['B0370', 'B0168', 'B0020'],
};

let dir: string;
let ca: CaBundle;
let other: CaBundle;
let trust: TrustStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-card-unit-verify-'));
  ca = await ensureCa(join(dir, 'ca'));
  other = await ensureCa(join(dir, 'other'));
  trust = createTrustStore({ anchorsPem: ca.trustPems });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function issue(opts: Partial<IssueCardOptions> = {}, by: CaBundle = ca): Promise<CardProfile> {
  return issueCard(by, {
    displayName: 'Dr Ada Example',
    userId: '555000000001',
    pin: '123456',
    roles: [role],
    ...opts,
  });
}

/**
 * Reads CHUID, certificate and care roles as the host would: GET DATA with response chaining, then the PIV object
 * layouts (the verifier takes the CHUID content, the certificate DER and the CMS DER).
 */
function read(profile: CardProfile): CardObjects {
  const card = new VirtualPivCard(profile);
  card.powerOn();
  const get = (tag: string): Buffer | null => {
    const t = Buffer.from(tag, 'hex');
    let r = card.transmit(
      Buffer.concat([
        Buffer.from([0x00, 0xcb, 0x3f, 0xff, t.length + 2, 0x5c, t.length]),
        t,
        Buffer.from([0]),
      ]),
    );
    let data = r.subarray(0, -2);
    while (r[r.length - 2] === 0x61) {
      r = card.transmit(Buffer.from([0x00, 0xc0, 0x00, 0x00, r[r.length - 1] as number]));
      data = Buffer.concat([data, r.subarray(0, -2)]);
    }
    const sw = r.subarray(-2).toString('hex');
    if (sw === '6a82') return null;
    expect(sw).toBe('9000');
    return data;
  };
  const content = (tag: string) => {
    const answer = get(tag);
    return answer ? parseSingle(answer, 0x53) : null;
  };
  const roles = content('5FFF10');
  return {
    chuid: content('5FC102') as Buffer,
    certDer: parseCertificateContent(content('5FC105') as Buffer),
    rolesDer: roles ? parseCareRolesContent(roles) : null,
  };
}

/** Text of the certificate and CMS libraries, which must never reach a user. */
const LIBRARY_TEXT =
  /certificate paths|No valid|Unable to find|CRL|ASN\.1|asn1|BER|schema|pkijs|undefined|null/;

async function refusal(objects: CardObjects, store = trust, now = new Date()): Promise<CardRefusal | 'ok'> {
  const v = await verifyCardObjects(objects, store, now);
  if (!v.ok) {
    // A sentence in plain words for the person at the reader.
    expect(v.message).toMatch(/^[A-Z].*\.$/);
    expect(v.message).not.toMatch(LIBRARY_TEXT);
  }
  return v.ok ? 'ok' : v.reason;
}

describe('verifyCardObjects', () => {
  it('accepts a good card and returns holder, GUID, roles and the key', async () => {
    const profile = await issue();
    const v = await verifyCardObjects(read(profile), trust, new Date());
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.holder).toEqual({ displayName: 'Dr Ada Example', userId: '555000000001' });
    expect(v.cardGuid).toBe(profile.cardGuid);
    expect(v.roles).toEqual([role]);
    expect(v.certSha256Hex).toBe(
      createHash('sha256').update(Buffer.from(profile.authCertDer, 'base64')).digest('hex'),
    );
    expect(new Date(v.rolesNotAfter).getTime()).toBeGreaterThan(Date.now());
  });

  it('takes the objects in one form only: the PIV wrappers are refused', async () => {
    const good = read(await issue());
    const wrapped = (b: Buffer) => encodeTlv(0x53, b);
    expect(await refusal({ ...good, chuid: wrapped(good.chuid) })).toBe('card-unreadable');
    expect(await refusal({ ...good, certDer: wrapped(encodeTlv(0x70, good.certDer)) })).toBe(
      'card-unreadable',
    );
    expect(await refusal({ ...good, rolesDer: wrapped(good.rolesDer as Buffer) })).toBe('roles-malformed');
  });

  it('refuses objects with bytes after their last TLV (CHUID, certificate, care roles)', async () => {
    const good = read(await issue());
    const sw = Buffer.from('9000', 'hex');
    expect(parseTlvs(good.chuid).at(-1)?.tag).toBe(0xfe);
    expect(await refusal({ ...good, chuid: Buffer.concat([good.chuid, sw]) })).toBe('card-unreadable');
    expect(await refusal({ ...good, certDer: Buffer.concat([good.certDer, sw]) })).toBe('card-unreadable');
    expect(await refusal({ ...good, rolesDer: Buffer.concat([good.rolesDer as Buffer, sw]) })).toBe(
      'roles-malformed',
    );
    expect(await refusal(good)).toBe('ok');
  });

  it('untrusted-issuer says who can help and what to do, in plain words', async () => {
    const v = await verifyCardObjects(read(await issue({}, other)), trust, new Date());
    expect(v).toMatchObject({
      ok: false,
      reason: 'untrusted-issuer',
      message:
        'This card was not issued by an authority this workstation trusts. Take it out and contact your Registration Authority or your local smartcard administrator.',
    });
  });

  it('untrusted-issuer: a card from another CA, or a store with the anchor only and no card CA', async () => {
    expect(await refusal(read(await issue({}, other)))).toBe('untrusted-issuer');
    const rootOnly = createTrustStore({ anchorsPem: [ca.anchorPem] });
    expect(await refusal(read(await issue()), rootOnly)).toBe('untrusted-issuer');
    const withIntermediate = createTrustStore({
      anchorsPem: [ca.anchorPem],
      intermediatesPem: [ca.cardCa.pem],
    });
    expect(await refusal(read(await issue()), withIntermediate)).toBe('ok');
  });

  it('certificate-expired and certificate-not-yet-valid', async () => {
    const expired = await issue({
      certNotBefore: new Date(Date.now() - 400 * DAY),
      certNotAfter: new Date(Date.now() - DAY),
    });
    expect(await refusal(read(expired))).toBe('certificate-expired');
    const future = await issue({
      certNotBefore: new Date(Date.now() + DAY),
      certNotAfter: new Date(Date.now() + 300 * DAY),
    });
    expect(await refusal(read(future))).toBe('certificate-not-yet-valid');
  });

  it('certificate-revoked when a CRL lists it, and only then', async () => {
    const revoked = await issue();
    const fine = await issue();
    const serial = new x509.X509Certificate(Buffer.from(revoked.authCertDer, 'base64')).serialNumber;
    const withCrl = createTrustStore({ anchorsPem: ca.trustPems, crlsDer: [await issueCrl(ca, [serial])] });
    expect(await refusal(read(revoked), withCrl)).toBe('certificate-revoked');
    expect(await refusal(read(fine), withCrl)).toBe('ok');
    expect(await refusal(read(revoked))).toBe('ok');
  });

  it('certificate-invalid: wrong EKU, no digitalSignature, a CA certificate', async () => {
    expect(await refusal(read(await issue({ certEku: ['1.3.6.1.5.5.7.3.1'] })))).toBe('certificate-invalid');
    expect(await refusal(read(await issue({ certKeyUsage: x509.KeyUsageFlags.keyEncipherment })))).toBe(
      'certificate-invalid',
    );
    const caFlag = await issue({
      certIsCa: true,
      certKeyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign,
    });
    expect(await refusal(read(caFlag))).toBe('certificate-invalid');
  });

  it('card-expired when the CHUID expiry has passed', async () => {
    expect(await refusal(read(await issue({ chuidExpiry: '20200101' })))).toBe('card-expired');
  });

  it('roles-missing when the card has no care-roles object', async () => {
    expect(await refusal(read(await issue({ omitRoles: true })))).toBe('roles-missing');
  });

  it('roles-untrusted: signed by another authority, or by a chained certificate that is not the role authority', async () => {
    expect(await refusal(read(await issue({ rolesSigner: other })))).toBe('roles-untrusted');
    expect(await refusal(read(await issue({ rolesSignedByCardCa: true })))).toBe('roles-untrusted');
  });

  it('roles-signature-invalid: the genuine authority named but another key signed', async () => {
    expect(await refusal(read(await issue({ rolesSigner: other, rolesSignerCertFromIssuer: true })))).toBe(
      'roles-signature-invalid',
    );
  });

  it('roles-not-bound: another user, another card GUID, another certificate, or roles moved between cards', async () => {
    expect(await refusal(read(await issue({ bind: { userId: '555000000002' } })))).toBe('roles-not-bound');
    expect(await refusal(read(await issue({ bind: { cardGuid: 'ab'.repeat(16) } })))).toBe('roles-not-bound');
    expect(await refusal(read(await issue({ bind: { authCertSerial: '1234' } })))).toBe('roles-not-bound');
    expect(await refusal(read(await issue({ bind: { authCertIssuer: 'CN=Someone Else' } })))).toBe(
      'roles-not-bound',
    );
    const a = read(await issue());
    const b = read(await issue());
    expect(await refusal({ ...b, rolesDer: a.rolesDer })).toBe('roles-not-bound');
  });

  it('roles-expired: past or not yet valid', async () => {
    const past = await issue({
      rolesNotBefore: new Date(Date.now() - 30 * DAY),
      rolesNotAfter: new Date(Date.now() - DAY),
    });
    expect(await refusal(read(past))).toBe('roles-expired');
    const future = await issue({
      rolesNotBefore: new Date(Date.now() + DAY),
      rolesNotAfter: new Date(Date.now() + 9 * DAY),
    });
    expect(await refusal(read(future))).toBe('roles-expired');
  });

  it('roles-malformed: not JSON, wrong shape, or not CMS at all', async () => {
    expect(await refusal(read(await issue({ rolesContent: Buffer.from('not json') })))).toBe(
      'roles-malformed',
    );
    expect(await refusal(read(await issue({ rolesContent: Buffer.from('{"version":1,"roles":[]}') })))).toBe(
      'roles-malformed',
    );
    const good = read(await issue());
    expect(await refusal({ ...good, rolesDer: Buffer.from('3003020101', 'hex') })).toBe('roles-malformed');
  });

  it('no-role-profiles when the signed object lists no roles', async () => {
    expect(await refusal(read(await issue({ roles: [] })))).toBe('no-role-profiles');
  });

  it('card-unreadable when the certificate object is not a certificate', async () => {
    const good = read(await issue());
    expect(await refusal({ ...good, certDer: Buffer.from('3003020101', 'hex') })).toBe('card-unreadable');
  });
});

describe('createVerifier', () => {
  it('answers a card seen before from the cache, and only within its validity', async () => {
    const verifier = createVerifier(trust, { cacheSize: 2 });
    const objects = read(await issue());
    const first = await verifier.verify(objects, new Date());
    expect(first.ok).toBe(true);
    expect(verifier.size).toBe(1);
    const t0 = performance.now();
    const second = await verifier.verify(objects, new Date());
    const hitMs = performance.now() - t0;
    expect(second).toBe(first);
    expect(hitMs).toBeLessThan(5);
    // After the roles expire the cached verdict no longer applies.
    const later = await verifier.verify(objects, new Date(Date.now() + 60 * DAY));
    expect(later.ok).toBe(false);
    // Refusals are not cached; the LRU bound holds.
    await verifier.verify(read(await issue({ omitRoles: true })), new Date());
    await verifier.verify(read(await issue()), new Date());
    await verifier.verify(read(await issue()), new Date());
    expect(verifier.size).toBe(2);
  });
});

describe('verifyChallengeSignature', () => {
  it('accepts the card key signature and nothing else', async () => {
    const profile = await issue();
    const v = await verifyCardObjects(read(profile), trust, new Date());
    if (!v.ok) throw new Error(v.message);
    const card = new VirtualPivCard(profile);
    const wrong = new VirtualPivCard(profile, { wrongKey: true });
    const nonce = randomBytes(32);
    const challenge = createHash('sha256').update(nonce).digest();
    const signWith = (c: VirtualPivCard): Buffer => {
      c.powerOn();
      c.transmit(
        Buffer.concat([Buffer.from('0020008008', 'hex'), Buffer.from('123456'), Buffer.from([0xff, 0xff])]),
      );
      const r = c.transmit(
        Buffer.concat([Buffer.from('0087119A267C2482008120', 'hex'), challenge, Buffer.from([0])]),
      );
      return r.subarray(4, -2); // 7C L 82 L <sig> 90 00 (lengths are one byte for P-256)
    };
    // The card signs the challenge SHA-256(nonce) as the digest: ECDSA-with-SHA-256 over the nonce.
    const sig = signWith(card);
    expect(verifyChallengeSignature(v.publicKey, nonce, sig)).toBe(true);
    expect(verifyChallengeSignature(v.publicKey, randomBytes(32), sig)).toBe(false);
    expect(verifyChallengeSignature(v.publicKey, nonce, signWith(wrong))).toBe(false);
    expect(verifyChallengeSignature(v.publicKey, nonce, Buffer.from('3006020101020101', 'hex'))).toBe(false);
  });

  it('refuses the form only the old virtual card made: ECDSA-with-SHA-256 over the challenge itself', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const nonce = randomBytes(32);
    const challenge = createHash('sha256').update(nonce).digest();
    // That signature is over SHA-256(challenge), not over the challenge as the digest.
    expect(verifyChallengeSignature(publicKey, nonce, sign('sha256', challenge, privateKey))).toBe(false);
    expect(verifyChallengeSignature(publicKey, nonce, sign('sha256', nonce, privateKey))).toBe(true);
  });
});
