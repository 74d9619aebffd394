/**
 * PIN grace (card.sessions.pinGraceMinutes) over real pcscd + vpcd: with the default 0 a card put back always asks
 * for its PIN; with a grace, the same card put back within it after a removal unlocks its own session without the
 * PIN being typed, and still proves its key over a fresh challenge, so a copy of the card's static data gets
 * nothing. Counted from the last PIN typed (a grace unlock does not extend it); never after an idle lock, never
 * for another card, never when a try was spent on the card while it was away; a kept PIN the card refuses is
 * forgotten and the lock screen asks. Each grace unlock is audited as one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startCardStack, type CardStack } from './support/stack';
import { startSession, type SessionHarness } from './support/session-harness';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import type { CardFaults, CardOptions } from '../../../src-main/card/virtual/piv-card';

const GRACE_MS = 5 * 60_000;
const AUD = 'https://scr.test.invalid/';
let stack: CardStack;
let h: SessionHarness | null = null;
let clock = Date.now();

beforeAll(async () => {
  stack = await startCardStack('pin-grace', 40161, 1);
}, 60_000);
afterEach(async () => {
  await h?.reset(stack);
  await h?.close();
  h = null;
});
afterAll(async () => {
  await stack?.stop();
});

async function harness(pinGraceMs: number, idleLockMinutes = 15) {
  h = await startSession(stack, {
    idleLockMinutes,
    sessions: { pinGraceMs },
    now: () => new Date(clock),
  });
  return h;
}

async function signIn(x: SessionHarness, profile: CardProfile) {
  const mark = x.views.mark();
  await stack.insert(profile, 0);
  await x.view('pin-required', mark);
  const v = await x.service.submitPin(profile.pin);
  expect(v.state).toBe('signed-in');
  return x.service.current()!;
}

async function pull(x: SessionHarness) {
  const mark = x.views.mark();
  await stack.remove(0);
  await x.view('locked', mark);
}

/** Puts the card back; resolves with the view it settles on: signed in (grace), or locked with the card in. */
async function putBack(
  x: SessionHarness,
  profile: CardProfile,
  faults: CardFaults = {},
  options: CardOptions = {},
) {
  const mark = x.views.mark();
  const { card } = await stack.insert(profile, 0, faults, options);
  await x.views.next((v) => v.state === 'locked' && v.cardPresent, 15_000, mark);
  // A grace unlock (or its refusal) follows the lock screen at once; give it the time of a whole sign-in exchange.
  const settled = await x.views
    .next((v) => v.state !== 'locked' || (v.triesLeft ?? 3) < 3, 1_500, mark)
    .catch(() => x.service.view());
  return { card, view: settled };
}

const unlocks = (x: SessionHarness) =>
  x.audit.entries.flatMap((e) => (e.kind === 'session-unlocked' ? [e.pin ?? 'typed'] : []));

describe('PIN grace', () => {
  it('is off by default: the card put back asks for its PIN', async () => {
    const x = await harness(0);
    const a = await stack.issue();
    await signIn(x, a);
    await pull(x);
    const { card, view } = await putBack(x, a);
    expect(view).toMatchObject({ state: 'locked', cardPresent: true });
    expect(x.service.current()).toBeNull();
    expect(card.pinTriesLeft()).toBe(3);
    expect(unlocks(x)).toEqual([]);
  });

  it('within the grace, the same card unlocks its own session without the PIN typed, proving its key, audited', async () => {
    const x = await harness(GRACE_MS);
    const a = await stack.issue();
    const first = await signIn(x, a);
    await pull(x);
    clock += 60_000;
    const { view } = await putBack(x, a);
    expect(view).toMatchObject({ state: 'signed-in', holder: { userId: a.holder.userId } });
    expect(x.service.current()?.sessionId).toBe(first.sessionId);
    // Written on the turn after the signed-in view (card-service.ts, resume).
    await expect.poll(() => unlocks(x)).toEqual(['grace']);
    // The card's PIN is verified again (it signs tokens: the session is whole, not a screen left unlocked).
    const token = await x.service.token(AUD);
    expect(decodeJwt(token)).toMatchObject({ sub: a.holder.userId, aud: AUD });
  });

  it('counts from the last PIN typed: a grace unlock does not extend it', async () => {
    const x = await harness(GRACE_MS);
    const a = await stack.issue();
    await signIn(x, a);
    await pull(x);
    clock += 3 * 60_000;
    expect((await putBack(x, a)).view.state).toBe('signed-in');
    await pull(x);
    clock += 2 * 60_000; // five minutes since the PIN was typed
    const { view } = await putBack(x, a);
    expect(view).toMatchObject({ state: 'locked', cardPresent: true });
    // Typing it starts a new grace.
    expect((await x.service.submitPin(a.pin)).state).toBe('signed-in');
    await pull(x);
    clock += 4 * 60_000;
    expect((await putBack(x, a)).view.state).toBe('signed-in');
    await expect.poll(() => unlocks(x)).toEqual(['grace', 'typed', 'grace']);
  });

  it('a PIN typed to confirm an override renews the grace', async () => {
    const x = await harness(GRACE_MS);
    const a = await stack.issue();
    await signIn(x, a);
    clock += 4 * 60_000;
    expect(await x.service.verifyPin(a.pin)).toEqual({ ok: true });
    await pull(x);
    clock += 4 * 60_000;
    expect((await putBack(x, a)).view.state).toBe('signed-in');
  });

  it('never after an idle lock: the user walked away with the card in', async () => {
    const x = await harness(GRACE_MS, 0.005);
    const a = await stack.issue();
    const mark = x.views.mark();
    await stack.insert(a, 0);
    await x.view('pin-required', mark);
    const locked = x.views.mark();
    await x.service.submitPin(a.pin);
    await x.views.next((v) => v.state === 'locked' && v.reason === 'idle', 5_000, locked);
    await pull(x);
    const { view } = await putBack(x, a);
    expect(view).toMatchObject({ state: 'locked', cardPresent: true });
    expect(unlocks(x)).toEqual([]);
  });

  it('never when a try was spent on the card while it was away: no try is spent, the PIN is asked', async () => {
    const x = await harness(GRACE_MS);
    const a = await stack.issue();
    await signIn(x, a);
    await pull(x);
    const { card, view } = await putBack(x, a, {}, { triesLeft: 2 });
    expect(view).toMatchObject({ state: 'locked', cardPresent: true, triesLeft: 2 });
    expect(card.pinTriesLeft()).toBe(2);
    // The grace is gone for good, not just this time.
    await pull(x);
    expect((await putBack(x, a)).view.state).toBe('locked');
  });

  it('a kept PIN the card refuses (changed elsewhere) is forgotten, the try is shown, the new PIN unlocks', async () => {
    const x = await harness(GRACE_MS);
    const a = await stack.issue();
    await signIn(x, a);
    await pull(x);
    const changed = { ...a, pin: '24681357' };
    const { card, view } = await putBack(x, changed);
    expect(view).toMatchObject({ state: 'locked', cardPresent: true, triesLeft: 2 });
    expect(card.pinTriesLeft()).toBe(2);
    expect(x.audit.kinds()).toContain('login-refused:wrong-pin-grace');
    expect((await x.service.submitPin(changed.pin)).state).toBe('signed-in');
    expect(unlocks(x)).toEqual(['typed']);
  });

  it("a copy of the card's static data without its key gets nothing: the session ends, refused", async () => {
    const x = await harness(GRACE_MS);
    const a = await stack.issue();
    const first = await signIn(x, a);
    await pull(x);
    const { view } = await putBack(x, a, { wrongKey: true });
    expect(view).toMatchObject({ state: 'card-refused', reason: 'key-not-proven' });
    expect(x.service.current()).toBeNull();
    expect(x.service.sessions().some((s) => s.sessionId === first.sessionId)).toBe(false);
    expect(unlocks(x)).toEqual([]);
  });

  it('another card never uses it: it asks for its own PIN, and the first stays locked', async () => {
    const x = await harness(GRACE_MS);
    const [a, b] = [await stack.issue(), await stack.issue()];
    await signIn(x, a);
    await pull(x);
    const mark = x.views.mark();
    await stack.insert(b, 0);
    const v = await x.view('pin-required', mark);
    expect(v.holder.userId).toBe(b.holder.userId);
    expect(x.service.current()).toBeNull();
    expect(x.service.sessions()).toEqual([
      expect.objectContaining({ userId: a.holder.userId, locked: true }),
    ]);
  });
});
