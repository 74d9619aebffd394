/**
 * Shared workstations' limits over real pcscd + vpcd with three cards: at most `max` sessions (the one locked
 * longest is signed out for a newcomer), a session locked for longer than the workstation allows is signed out,
 * and the sign-out removal policy ends the session when its card leaves. Each of those ends is audited with why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCardStack, type CardStack } from './support/stack';
import { startSession, type SessionHarness } from './support/session-harness';
import type { CardProfile } from '../../../src-main/card/virtual/profile';

let stack: CardStack;
let limited: SessionHarness;
let clock = Date.now();

beforeAll(async () => {
  stack = await startCardStack('shared-limits', 40151, 1);
}, 60_000);
afterAll(async () => {
  await limited?.close();
  await stack?.stop();
});

async function signIn(h: SessionHarness, profile: CardProfile) {
  const mark = h.views.mark();
  await stack.insert(profile, 0);
  await h.views.next(
    (v) => v.state === 'pin-required' || (v.state === 'locked' && v.cardPresent),
    15_000,
    mark,
  );
  const v = await h.service.submitPin('123456');
  expect(v.state).toBe('signed-in');
  return h.service.current()!;
}

async function pull(h: SessionHarness) {
  const mark = h.views.mark();
  await stack.remove(0);
  await h.views.next((v) => v.state === 'locked' || v.state === 'awaiting-card', 15_000, mark);
}

const logouts = (h: SessionHarness) =>
  h.audit.entries.flatMap((e) =>
    e.kind === 'logout' ? [`${e.actor.userId}:${e.reason ?? 'signed-out'}`] : [],
  );

describe('shared workstation limits', () => {
  it('holds at most `max` sessions: the one locked longest is signed out for a new card, audited', async () => {
    limited = await startSession(stack, { sessions: { max: 2 }, now: () => new Date(clock) });
    const [a, b, c] = [await stack.issue(), await stack.issue(), await stack.issue()];
    const ua = await signIn(limited, a);
    await pull(limited);
    clock += 60_000;
    const ub = await signIn(limited, b);
    await pull(limited);
    clock += 60_000;
    const uc = await signIn(limited, c);
    expect(limited.service.sessions().map((s) => s.sessionId)).toEqual([ub.sessionId, uc.sessionId]);
    expect(logouts(limited)).toEqual([`${a.holder.userId}:session-limit`]);
    // A's card now starts a new session (asks for the PIN afresh), and B, locked longest, makes room.
    await pull(limited);
    const again = await signIn(limited, a);
    expect(again.sessionId).not.toBe(ua.sessionId);
    expect(logouts(limited)).toEqual([
      `${a.holder.userId}:session-limit`,
      `${b.holder.userId}:session-limit`,
    ]);
    await limited.reset(stack);
    await limited.close();
  });

  it('signs out a session locked for longer than the workstation allows; the others stay', async () => {
    limited = await startSession(stack, {
      sessions: { lockedSignOutMs: 8 * 3_600_000 },
      now: () => new Date(clock),
    });
    const [a, b] = [await stack.issue(), await stack.issue()];
    await signIn(limited, a);
    await pull(limited);
    clock += 4 * 3_600_000;
    const ub = await signIn(limited, b);
    await pull(limited);
    clock += 4 * 3_600_000 - 1;
    limited.service.housekeeping();
    expect(limited.service.sessions()).toHaveLength(2);
    clock += 1;
    const mark = limited.views.mark();
    limited.service.housekeeping();
    expect(limited.service.sessions().map((s) => s.sessionId)).toEqual([ub.sessionId]);
    expect(logouts(limited)).toEqual([`${a.holder.userId}:locked-too-long`]);
    // B's lock screen no longer lists A.
    const v = await limited.views.next(() => true, 2_000, mark);
    expect(v).toMatchObject({ state: 'locked', holder: { userId: b.holder.userId } });
    expect('lockedSessions' in v).toBe(false);
    clock += 4 * 3_600_000;
    limited.service.housekeeping();
    expect(limited.service.sessions()).toEqual([]);
    expect(logouts(limited)).toEqual([
      `${a.holder.userId}:locked-too-long`,
      `${b.holder.userId}:locked-too-long`,
    ]);
    await limited.reset(stack);
    await limited.close();
  });

  it('removal policy sign-out: taking the card out ends its session; putting it back asks for a new sign-in', async () => {
    limited = await startSession(stack, { sessions: { onRemoval: 'sign-out' } });
    const a = await stack.issue();
    const first = await signIn(limited, a);
    const mark = limited.views.mark();
    await stack.remove(0);
    await limited.view('awaiting-card', mark);
    expect(limited.views.seen.slice(mark).some((v) => v.state === 'locked')).toBe(false);
    expect(limited.service.sessions()).toEqual([]);
    expect(limited.changes.seen.at(-1)).toMatchObject({ change: 'signed-out', sessionId: first.sessionId });
    expect(logouts(limited)).toEqual([`${a.holder.userId}:card-removed`]);
    const mark2 = limited.views.mark();
    await stack.insert(a, 0);
    await limited.view('pin-required', mark2);
    await limited.service.submitPin('123456');
    expect(limited.service.current()?.sessionId).not.toBe(first.sessionId);
    await limited.reset(stack);
    await limited.close();
  });
});
