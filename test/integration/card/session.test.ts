/**
 * The session lifecycle over real pcscd + vpcd: removal locks at once, the same card + PIN unlocks the same
 * session, another card ends it, a swap hidden from a stalled app is caught by the event counter, pcscd restarts
 * lock and recover, a second reader waits its turn, idle locks, several role profiles ask for a choice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startCardStack, GP_ROLE, OOH_ROLE, type CardStack } from './support/stack';
import { startSession, type SessionHarness } from './support/session-harness';
import { startCardHost, stallUntilFileExists } from './support/card-host-client';
import type { CardProfile } from '../../../src-main/card/virtual/profile';

let stack: CardStack;
let h: SessionHarness;

beforeAll(async () => {
  stack = await startCardStack('session', 40067, 2);
  h = await startSession(stack);
});
afterEach(async () => {
  await h.reset(stack);
});
afterAll(async () => {
  await h?.close();
  await stack?.stop();
});

async function signIn(profile: CardProfile, reader = 0) {
  const mark = h.views.mark();
  await stack.insert(profile, reader);
  await h.view('pin-required', mark);
  const v = await h.service.submitPin('123456');
  expect(v.state).toBe('signed-in');
  return h.service.current()!;
}

describe('card session lifecycle', () => {
  it('locks within a few ms of pcscd reporting removal; the same card and PIN unlock the same session', async () => {
    const profile = await stack.issue();
    const user = await signIn(profile);
    const auditMark = h.audit.entries.length;
    const mark = h.views.mark();
    const readerMark = h.reader.mark();
    await stack.remove(0);
    const locked = await h.view('locked', mark);
    expect(locked).toMatchObject({
      reason: 'card-removed',
      cardPresent: false,
      holder: { userId: profile.holder.userId },
    });
    expect(h.service.current()).toBeNull();
    expect(h.changes.seen.at(-1)).toEqual({ change: 'locked', user: null, sessionId: user.sessionId });
    // From the transport reporting the removal to the locked view being out.
    const removal = await h.reader.next((e) => e.type === 'card-removed', 1000, readerMark);
    const lockedAt = h.views.times[h.views.seen.lastIndexOf(locked)] as number;
    expect(removal.type === 'card-removed' && lockedAt - removal.at).toBeLessThan(5);
    // Back in: locked with the card present, PIN unlocks the same session.
    const mark2 = h.views.mark();
    await stack.insert(profile, 0);
    await h.views.next((v) => v.state === 'locked' && v.cardPresent, 15_000, mark2);
    const wrong = await h.service.submitPin('999999');
    expect(wrong).toMatchObject({ state: 'locked', cardPresent: true, triesLeft: 2 });
    const back = await h.service.submitPin('123456');
    expect(back.state).toBe('signed-in');
    expect(h.service.current()?.sessionId).toBe(user.sessionId);
    expect(h.changes.seen.at(-1)?.change).toBe('unlocked');
    expect(h.audit.kinds().slice(auditMark)).toEqual([
      'session-locked',
      'login-refused:wrong-pin',
      'session-unlocked',
    ]);
  });

  it('another card starts its own session; the first stays locked and resumes with its own card and PIN', async () => {
    const a = await stack.issue();
    const b = await stack.issue();
    const first = await signIn(a);
    const mark = h.views.mark();
    await stack.remove(0);
    await h.view('locked', mark);
    const auditMark = h.audit.entries.length;
    const second = await signIn(b);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.holder.userId).toBe(b.holder.userId);
    expect(h.audit.kinds().slice(auditMark)).toEqual(['login']);
    expect(h.service.sessions()).toEqual([
      { sessionId: first.sessionId, userId: a.holder.userId, locked: true, foreground: false },
      { sessionId: second.sessionId, userId: b.holder.userId, locked: false, foreground: true },
    ]);
    const mark2 = h.views.mark();
    await stack.remove(0);
    const lockedB = await h.view('locked', mark2);
    expect(lockedB).toMatchObject({
      holder: { userId: b.holder.userId },
      lockedSessions: [a.holder.displayName],
    });
    await stack.insert(a, 0);
    const back = await h.views.next((v) => v.state === 'locked' && v.cardPresent, 15_000, mark2);
    expect(back).toMatchObject({
      holder: { userId: a.holder.userId },
      lockedSessions: [b.holder.displayName],
    });
    await h.service.submitPin('123456');
    expect(h.service.current()?.sessionId).toBe(first.sessionId);
  });

  it('catches a swap to another card that happened while the app was stalled (event counter)', async () => {
    const a = await stack.issue();
    const b = await stack.issue();
    const reader = stack.pcscd.readerNames[0]!;
    const fileA = join(stack.tmp, 'swap-a.json');
    const fileB = join(stack.tmp, 'swap-b.json');
    writeFileSync(fileA, JSON.stringify(a));
    writeFileSync(fileB, JSON.stringify(b));
    const host = await startCardHost(stack.pcscd.socketPath);
    try {
      const mark = h.views.mark();
      await host.send({ cmd: 'insert', port: stack.pcscd.vpcdPorts[0], profileFile: fileA });
      await h.view('pin-required', mark);
      await h.service.submitPin('123456');
      const first = h.service.current()!;
      const mark2 = h.views.mark();
      const auditMark = h.audit.entries.length;
      const done = join(stack.tmp, 'session-swap-done');
      host.post({ cmd: 'swap', port: stack.pcscd.vpcdPorts[0], reader, profileFile: fileB, doneFile: done });
      stallUntilFileExists(done, 15_000);
      const pin = await h.view('pin-required', mark2);
      expect(pin.holder.userId).toBe(b.holder.userId);
      const states = h.views.seen.slice(mark2).map((v) => v.state);
      expect(states.indexOf('locked')).toBeGreaterThanOrEqual(0);
      expect(states.indexOf('locked')).toBeLessThan(states.indexOf('pin-required'));
      // A's session is locked and kept for A's card; B starts its own.
      expect(h.audit.kinds().slice(auditMark)).toEqual(['session-locked']);
      expect(pin.lockedSessions).toEqual([a.holder.displayName]);
      expect(h.service.current()).toBeNull();
      await h.service.submitPin('123456');
      expect(h.service.current()?.sessionId).not.toBe(first.sessionId);
      await host.send({ cmd: 'remove', port: stack.pcscd.vpcdPorts[0] });
    } finally {
      await host.stop();
    }
  });

  it('pcscd restarting mid-session locks it; the card coming back and the PIN unlock the same session', async () => {
    const profile = await stack.issue();
    const user = await signIn(profile);
    const mark = h.views.mark();
    await stack.pcscd.restart();
    await h.view('locked', mark);
    await h.views.next((v) => v.state === 'locked' && v.cardPresent, 20_000, mark);
    const v = await h.service.submitPin('123456');
    expect(v.state).toBe('signed-in');
    expect(h.service.current()?.sessionId).toBe(user.sessionId);
  });

  it('with two readers, a second card waits; it gets its turn when the first leaves', async () => {
    const a = await stack.issue();
    const b = await stack.issue();
    const user = await signIn(a, 0);
    const mark = h.views.mark();
    await stack.insert(b, 1);
    await h.reader.next(
      (e) => e.type === 'card-inserted' && e.reader === stack.pcscd.readerNames[1],
      15_000,
      0,
    );
    // Still signed in as A: the second reader's card does not disturb the session.
    expect(h.service.current()?.sessionId).toBe(user.sessionId);
    expect(h.views.seen.slice(mark).some((v) => v.state !== 'signed-in')).toBe(false);
    await stack.remove(0);
    const pin = await h.view('pin-required', mark);
    expect(pin.holder.userId).toBe(b.holder.userId);
    expect(h.service.readers().map((r) => r.cardPresent)).toEqual([false, true]);
  });

  it('a card with two role profiles asks for a choice; the chosen role is the session role', async () => {
    const profile = await stack.issue({
      userId: '555000000899',
      roles: [
        { ...GP_ROLE, urid: 'u-gp' },
        { ...OOH_ROLE, urid: 'u-ooh' },
      ],
    });
    const mark = h.views.mark();
    await stack.insert(profile, 0);
    await h.view('pin-required', mark);
    const v = await h.service.submitPin('123456');
    expect(v).toMatchObject({ state: 'role-select', roles: [{ urid: 'u-gp' }, { urid: 'u-ooh' }] });
    expect(h.service.current()).toBeNull();
    await expect(h.service.selectRole('u-nope')).rejects.toThrow(/not on this card/);
    const signed = await h.service.selectRole('u-ooh');
    expect(signed).toMatchObject({ state: 'signed-in', role: { orgType: 'out-of-hours' } });
    expect(h.service.current()?.role.urid).toBe('u-ooh');
    expect(h.audit.entries.at(-1)).toMatchObject({
      kind: 'login',
      actor: { urid: 'u-ooh', orgCode: 'NWOOH1' },
    });
    const out = await h.service.signOut();
    expect(h.audit.entries.at(-1)).toMatchObject({ kind: 'logout' });
    expect(h.service.current()).toBeNull();
    // The card is still in: a fresh sign-in starts.
    expect(['reading-card', 'pin-required']).toContain(out.state);
  });
});

describe('idle lock', () => {
  it('locks after the idle time, activity postpones it, and the PIN unlocks the same session', async () => {
    // One service drives the cards at a time: replace the shared one with an impatient one.
    await h.close();
    const idle = await startSession(stack, { idleLockMinutes: 0.01 }); // 600 ms
    h = idle;
    const profile = await stack.issue();
    const mark = idle.views.mark();
    await stack.insert(profile, 0);
    await idle.view('pin-required', mark);
    const signedAt = Date.now();
    await idle.service.submitPin('123456');
    const user = idle.service.current()!;
    const ticks = setInterval(() => idle.service.activity(), 100);
    // Time has to pass for an idle timer: activity every 100 ms keeps it open well past 600 ms.
    await new Promise<void>((r) => setTimeout(r, 900));
    clearInterval(ticks);
    expect(idle.service.current()?.sessionId).toBe(user.sessionId);
    const locked = await idle.view('locked', mark);
    expect(Date.now() - signedAt).toBeGreaterThanOrEqual(900);
    expect(locked).toMatchObject({ reason: 'idle', cardPresent: true });
    expect(idle.audit.entries.at(-1)).toMatchObject({ kind: 'session-locked', reason: 'idle' });
    const v = await idle.service.submitPin('123456');
    expect(v.state).toBe('signed-in');
    expect(idle.service.current()?.sessionId).toBe(user.sessionId);
  });
});
