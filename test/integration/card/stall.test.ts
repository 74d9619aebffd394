/**
 * Cards that stop answering, over real pcscd + vpcd: every card exchange has a deadline, so sign-in ends as
 * card-unreadable with a reason instead of waiting for ever. A stalled exchange may leave the PC/SC handle
 * wedged until the card leaves; the reader must still serve the next card, and a removal must still lock at once.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCardStack, type CardStack } from './support/stack';
import { startSession, type SessionHarness } from './support/session-harness';
import type { CardFaults } from '../../../src-main/card/virtual/piv-card';
import type { SessionView } from '../../../src-shared/domain/session';

/** A short deadline for the test; the product default is 5 s (card.exchangeTimeoutMs). */
const DEADLINE_MS = 1000;
/** What "well within the deadline" means here: the refusal must come long before this. */
const WELL_BEFORE_MS = 3000;

let stack: CardStack;
let h: SessionHarness;

beforeAll(async () => {
  stack = await startCardStack('stall', 40071, 1);
  h = await startSession(stack, { exchangeTimeoutMs: DEADLINE_MS });
});
afterEach(async () => {
  await h.reset(stack);
});
afterAll(async () => {
  await h?.close();
  await stack?.stop();
});

/** When the harness saw this view. */
function timeOf(view: SessionView): number {
  const i = h.views.seen.lastIndexOf(view);
  if (i < 0) throw new Error('view not seen');
  return h.views.times[i] as number;
}

/** Fails instead of waiting for ever: the attack is exactly that something never finishes. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Inserts a card with `faults`; it must be refused as card-unreadable, in time, before any PIN is asked. */
async function expectUnreadableInTime(faults: CardFaults) {
  const mark = h.views.mark();
  const auditMark = h.audit.entries.length;
  await stack.insert(await stack.issue(), 0, faults);
  const reading = await h.view('reading-card', mark);
  const refused = await h.views.next(
    (v) => v.state === 'card-refused' || v.state === 'pin-required',
    WELL_BEFORE_MS + 2000,
    mark,
  );
  expect(refused).toMatchObject({ state: 'card-refused', reason: 'card-unreadable' });
  expect(timeOf(refused) - timeOf(reading)).toBeLessThan(WELL_BEFORE_MS);
  expect(refused.state === 'card-refused' && refused.message).toMatch(/did not answer within 1 second/);
  expect(h.audit.kinds().slice(auditMark)).toEqual(['login-refused:card-unreadable']);
}

/** Pulls whatever card is in, then a good card signs in through the same reader. */
async function nextCardSignsIn() {
  const gone = h.views.mark();
  await stack.remove(0);
  await h.readersEmpty();
  if (h.service.view().state !== 'awaiting-card') await h.view('awaiting-card', gone);
  const mark = h.views.mark();
  await stack.insert(await stack.issue(), 0);
  await h.view('pin-required', mark);
  const v = await within(WELL_BEFORE_MS, 'the next sign-in', h.service.submitPin('123456'));
  expect(v.state).toBe('signed-in');
}

describe('a card that stops answering', () => {
  it('no answer to GET DATA: refused as unreadable within the deadline; the next card signs in', async () => {
    await expectUnreadableInTime({ stall: 'get-data' });
    await nextCardSignsIn();
  });

  it('half a vpcd frame to GET DATA: refused as unreadable within the deadline; the next card signs in', async () => {
    await expectUnreadableInTime({ halfFrame: 'get-data' });
    await nextCardSignsIn();
  });

  it('no answer to GENERAL AUTHENTICATE: the PIN ends as card-unreadable within the deadline', async () => {
    const mark = h.views.mark();
    await stack.insert(await stack.issue(), 0, { stall: 'general-authenticate' });
    await h.view('pin-required', mark);
    const t0 = performance.now();
    const v = await within(WELL_BEFORE_MS, 'submitPin', h.service.submitPin('123456'));
    expect(performance.now() - t0).toBeLessThan(WELL_BEFORE_MS);
    expect(v).toMatchObject({ state: 'card-refused', reason: 'card-unreadable' });
    expect(v.state === 'card-refused' && v.message).toMatch(/did not answer within 1 second/);
    expect(h.service.current()).toBeNull();
    expect(h.audit.kinds().at(-1)).toBe('login-refused:card-unreadable');
    await nextCardSignsIn();
  });

  it('a stalled VERIFY in a session answers card-error in time; pulling the card still locks at once', async () => {
    const faults: CardFaults = {};
    const mark = h.views.mark();
    await stack.insert(await stack.issue(), 0, faults);
    await h.view('pin-required', mark);
    expect((await h.service.submitPin('123456')).state).toBe('signed-in');

    faults.stall = 'verify';
    const t0 = performance.now();
    const check = await within(WELL_BEFORE_MS, 'verifyPin', h.service.verifyPin('123456'));
    expect(performance.now() - t0).toBeLessThan(WELL_BEFORE_MS);
    expect(check).toEqual({ ok: false, reason: 'card-error' });
    expect(h.service.current()).not.toBeNull();

    // The card's handle is still stuck in the stalled VERIFY; pulling the card must lock as fast as ever.
    const lockMark = h.views.mark();
    const readerMark = h.reader.mark();
    const pulledAt = performance.now();
    await stack.remove(0);
    const locked = await h.view('locked', lockMark, WELL_BEFORE_MS);
    const removal = await h.reader.next((e) => e.type === 'card-removed', 1000, readerMark);
    expect(removal.type === 'card-removed' && timeOf(locked) - removal.at).toBeLessThan(5);
    expect(timeOf(locked) - pulledAt).toBeLessThan(1000);
    expect(h.service.current()).toBeNull();

    await h.service.signOut();
    await nextCardSignsIn();
  });

  it('signing out while a stalled card stays in the reader refuses it at once instead of reading for ever', async () => {
    const faults: CardFaults = {};
    const mark = h.views.mark();
    await stack.insert(await stack.issue(), 0, faults);
    await h.view('pin-required', mark);
    expect((await h.service.submitPin('123456')).state).toBe('signed-in');
    faults.stall = 'verify';
    expect(await within(WELL_BEFORE_MS, 'verifyPin', h.service.verifyPin('123456'))).toEqual({
      ok: false,
      reason: 'card-error',
    });

    // Signing out starts a fresh sign-in with the card still in the reader; its handle is stuck.
    const out = h.views.mark();
    await h.service.signOut();
    const refused = await h.views.next(
      (v) => v.state === 'card-refused' || v.state === 'pin-required',
      WELL_BEFORE_MS,
      out,
    );
    expect(refused).toMatchObject({ state: 'card-refused', reason: 'card-unreadable' });
    await nextCardSignsIn();
  });
});
