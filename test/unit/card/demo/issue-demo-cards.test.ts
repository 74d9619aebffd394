/**
 * The demo card set: issued once into dataDir, reused on the next start, re-issued before the short-lived care
 * roles could lapse; every card but the untrusted one verifies against the demo CA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoCards, type DemoCardSet } from '../../../../src-main/card/demo/issue-demo-cards';
import { DEMO_CARDS } from '../../../../src-main/card/demo/catalogue';
import { createTrustStore, verifyCardObjects } from '../../../../src-main/card/verify/index';

const DAY = 86_400_000;
let dir: string;
let first: DemoCardSet;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-card-unit-demo-'));
  first = await ensureDemoCards(dir);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chuidOf = (guidHex: string, expiry: string) =>
  Buffer.concat([
    Buffer.from([0x34, 16]),
    Buffer.from(guidHex, 'hex'),
    Buffer.from([0x35, 8]),
    Buffer.from(expiry, 'ascii'),
  ]);

describe('demo card set', () => {
  it('issues every catalogue card, with distinct users and PINs of 6 to 8 digits', () => {
    expect(first.cards.map((c) => c.spec.id)).toEqual(DEMO_CARDS.map((c) => c.id));
    expect(new Set(first.cards.map((c) => c.profile.holder.userId)).size).toBe(DEMO_CARDS.length);
    for (const { spec, profile } of first.cards) {
      expect(profile.pin).toBe(spec.pin);
      expect(profile.pin).toMatch(/^\d{6,8}$/);
    }
  });

  it('trusts all cards but the one from the other CA', async () => {
    const store = createTrustStore({ anchorsPem: first.ca.trustPems });
    for (const { spec, profile } of first.cards) {
      const v = await verifyCardObjects(
        {
          chuid: chuidOf(profile.cardGuid, profile.chuidExpiry),
          certDer: Buffer.from(profile.authCertDer, 'base64'),
          rolesDer: profile.rolesCmsDer ? Buffer.from(profile.rolesCmsDer, 'base64') : null,
        },
        store,
        new Date(),
      );
      if (spec.untrusted) expect(v).toMatchObject({ ok: false, reason: 'untrusted-issuer' });
      else expect(v).toMatchObject({ ok: true, roles: spec.roles });
    }
  });

  it('reuses the set on the next start and re-issues it once it is 14 days old', async () => {
    const again = await ensureDemoCards(dir);
    expect(again.cards.map((c) => c.profile.cardGuid)).toEqual(first.cards.map((c) => c.profile.cardGuid));
    const later = await ensureDemoCards(dir, new Date(Date.now() + 15 * DAY));
    expect(later.cards.map((c) => c.profile.cardGuid)).not.toEqual(
      first.cards.map((c) => c.profile.cardGuid),
    );
    // Same CA: cards issued before and after remain trusted by the same anchor.
    expect(later.ca.anchorPem).toBe(first.ca.anchorPem);
  });
});
