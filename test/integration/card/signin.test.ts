/**
 * Sign-in over real pcscd + vpcd with virtual cards, through the card service: a genuine card signs in, and every
 * kind of bad card is refused with its own reason code and an audit entry, without a PIN being asked first.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startCardStack, type CardStack } from './support/stack';
import { startSession, type SessionHarness } from './support/session-harness';
import { VirtualPivCard, type CardFaults } from '../../../src-main/card/virtual/piv-card';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { connectVpcd, type VpcdLink } from '../../../src-main/card/virtual/vpcd-link';
import type { CardRefusal, SessionView } from '../../../src-shared/domain/session';
import { isCertificateRead, watchedCard } from '../../support/card/watched-card';

const DAY = 86_400_000;
let stack: CardStack;
let h: SessionHarness;

beforeAll(async () => {
  stack = await startCardStack('signin', 40065, 1);
  h = await startSession(stack);
});
afterEach(async () => {
  // Leave an empty reader and a signed-out service for the next test.
  const present = h.transport.readers()[0]?.cardPresent === true;
  const mark = h.views.mark();
  await stack.remove(0);
  if (h.service.current() || h.service.view().state === 'locked') await h.service.signOut();
  if (present) await h.views.next((v) => v.state === 'awaiting-card', 15_000, mark);
});
afterAll(async () => {
  await h?.close();
  await stack?.stop();
});

/** Inserts, waits for the refusal, and checks no PIN was asked and the refusal was audited. */
async function expectRefused(profile: CardProfile, reason: CardRefusal, faults: CardFaults = {}) {
  const mark = h.views.mark();
  const auditMark = h.audit.entries.length;
  await stack.insert(profile, 0, faults);
  const refused = await h.views.next(
    (v) => v.state === 'card-refused' || v.state === 'pin-required',
    15_000,
    mark,
  );
  expect(refused.state === 'card-refused' ? refused.reason : refused.state).toBe(reason);
  expect(h.views.seen.slice(mark).some((v) => v.state === 'pin-required')).toBe(false);
  expect(
    h.audit.entries.slice(auditMark).map((e) => (e.kind === 'login-refused' ? e.reason : e.kind)),
  ).toEqual([reason]);
  expect(h.service.current()).toBeNull();
  return refused as Extract<SessionView, { state: 'card-refused' }>;
}

describe('card sign-in', () => {
  it('a genuine card signs in after the PIN and a verified challenge', async () => {
    const profile = await stack.issue();
    const mark = h.views.mark();
    await stack.insert(profile, 0);
    expect((await h.view('reading-card', mark)).reader).toBe(stack.pcscd.readerNames[0]);
    const pin = await h.view('pin-required', mark);
    expect(pin).toMatchObject({
      holder: { userId: profile.holder.userId },
      triesLeft: 3,
      lastAttemptFailed: false,
    });
    const v = await h.service.submitPin('123456');
    expect(v).toMatchObject({
      state: 'signed-in',
      holder: { displayName: profile.holder.displayName },
      role: { roleCode: 'R8000' },
    });
    const user = h.service.current();
    expect(user?.holder.userId).toBe(profile.holder.userId);
    expect(user?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.audit.entries.at(-1)).toMatchObject({
      kind: 'login',
      outcome: 'success',
      actor: { userId: profile.holder.userId, urid: user?.role.urid },
    });
    const mark2 = h.views.mark();
    await stack.remove(0);
    await h.view('locked', mark2);
    await h.service.signOut();
  });

  it('refuses a card from another CA before asking for a PIN', async () => {
    const card = await stack.issue({}, await stack.otherCa());
    const refused = await expectRefused(card, 'untrusted-issuer');
    // Plain words: who can help and what to do, never the certificate library's own text.
    expect(refused.message).toBe(
      'This card was not issued by an authority this workstation trusts. Take it out and contact your Registration Authority or your local smartcard administrator.',
    );
  });

  it('refuses an expired certificate', async () => {
    const card = await stack.issue({
      certNotBefore: new Date(Date.now() - 400 * DAY),
      certNotAfter: new Date(Date.now() - DAY),
    });
    await expectRefused(card, 'certificate-expired');
  });

  it('refuses care roles signed by the wrong key', async () => {
    const card = await stack.issue({ rolesSigner: await stack.otherCa(), rolesSignerCertFromIssuer: true });
    await expectRefused(card, 'roles-signature-invalid');
  });

  it('refuses care roles from a role authority that does not chain to the anchor', async () => {
    const card = await stack.issue({ rolesSigner: await stack.otherCa() });
    await expectRefused(card, 'roles-untrusted');
  });

  it('refuses care roles bound to another card', async () => {
    const card = await stack.issue({ bind: { cardGuid: randomBytes(16).toString('hex') } });
    await expectRefused(card, 'roles-not-bound');
  });

  it('refuses expired care roles', async () => {
    const card = await stack.issue({
      rolesNotBefore: new Date(Date.now() - 30 * DAY),
      rolesNotAfter: new Date(Date.now() - DAY),
    });
    await expectRefused(card, 'roles-expired');
  });

  it('refuses a card with no care roles object', async () => {
    await expectRefused(await stack.issue({ omitRoles: true }), 'roles-missing');
  });

  it('refuses a card whose certificate object is a malformed TLV', async () => {
    await expectRefused(await stack.issue(), 'card-unreadable', { malformed: '5FC105' });
  });

  it.each([
    ['CHUID', '5FC102'],
    ['certificate', '5FC105'],
    ['care-roles', '5FFF10'],
  ])('refuses a card whose %s object has bytes after its last TLV', async (_name, tag) => {
    const refused = await expectRefused(await stack.issue(), 'card-unreadable', { trailing: tag });
    expect(refused.message).toMatch(/could not be read/);
  });

  it('refuses a card that answers garbage, or 6F00', async () => {
    const r1 = await expectRefused(await stack.issue(), 'card-unreadable', { garbage: 'select' });
    expect(r1.message).toMatch(/not an APDU response|could not be read/);
    // Mark before removing: pcscd may report the removal before remove() resolves.
    const gone = h.views.mark();
    await stack.remove(0);
    await h.view('awaiting-card', gone);
    const r2 = await expectRefused(await stack.issue(), 'card-unreadable', { status6F00: 'get-data' });
    expect(r2.message).toMatch(/6F00/);
  });

  it('refuses a card whose key does not match its certificate (after the PIN)', async () => {
    const profile = await stack.issue();
    const mark = h.views.mark();
    await stack.insert(profile, 0, { wrongKey: true });
    await h.view('pin-required', mark);
    const v = await h.service.submitPin('123456');
    expect(v).toMatchObject({ state: 'card-refused', reason: 'key-not-proven' });
    expect(h.audit.entries.at(-1)).toMatchObject({
      kind: 'login-refused',
      reason: 'key-not-proven',
      outcome: 'serious-failure',
    });
    expect(h.service.current()).toBeNull();
  });

  it('refuses with card-removed when the card leaves in the middle of reading', async () => {
    const profile = await stack.issue();
    let link: VpcdLink | null = null;
    // Pulled while the host reads the certificate (GET DATA 5FC105).
    const leaving = watchedCard(new VirtualPivCard(profile), (apdu) => {
      if (isCertificateRead(apdu)) void link?.close();
    });
    const mark = h.views.mark();
    const auditMark = h.audit.entries.length;
    link = await connectVpcd(leaving, { port: stack.pcscd.vpcdPorts[0]!, timeoutMs: 5000 });
    try {
      const refused = await h.view('card-refused', mark);
      expect(refused.reason).toBe('card-removed');
      expect(h.views.seen.slice(mark).some((v) => v.state === 'pin-required')).toBe(false);
      expect(h.audit.entries.slice(auditMark)).toMatchObject([
        { kind: 'login-refused', reason: 'card-removed' },
      ]);
    } finally {
      await link.close();
    }
  });

  it('counts wrong PINs down and refuses a blocked card with instructions, also when re-inserted', async () => {
    const profile = await stack.issue();
    const mark = h.views.mark();
    const { card } = await stack.insert(profile, 0);
    await h.view('pin-required', mark);
    expect(await h.service.submitPin('000000')).toMatchObject({
      state: 'pin-required',
      triesLeft: 2,
      lastAttemptFailed: true,
    });
    expect(await h.service.submitPin('000000')).toMatchObject({
      state: 'pin-required',
      triesLeft: 1,
      lastAttemptFailed: true,
    });
    const blocked = await h.service.submitPin('000000');
    expect(blocked.state).toBe('card-blocked');
    expect(blocked.state === 'card-blocked' && blocked.message).toMatch(/Registration Authority/);
    expect(card.pinTriesLeft()).toBe(0);
    expect(h.audit.kinds().slice(-3)).toEqual([
      'login-refused:wrong-pin',
      'login-refused:wrong-pin',
      'login-refused:card-blocked',
    ]);
    // The same (blocked) card inserted again is refused before any PIN prompt.
    // Mark before removing: pcscd may report the removal before remove() resolves.
    const gone = h.views.mark();
    await stack.remove(0);
    await h.view('awaiting-card', gone);
    const mark2 = h.views.mark();
    const link = await connectVpcd(card, { port: stack.pcscd.vpcdPorts[0]!, timeoutMs: 5000 });
    try {
      await h.view('card-blocked', mark2);
      expect(h.views.seen.slice(mark2).some((v) => v.state === 'pin-required')).toBe(false);
    } finally {
      await link.close();
    }
  });
});
