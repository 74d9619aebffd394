/**
 * The record services' tokens are signed once the session is in use, in order, for a role that reads records
 * only, and not at all once the session has changed (lock, sign-out).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src-main/policy/policy-file';
import { warmTokensOnSignIn } from '../../../src-main/records/token-warmup';
import type { UserTokenPort } from '../../../src-main/session/port';
import { FakeSession } from '../../support/records/fakes';

const AUDIENCES = ['https://pds.test/FHIR/R4', 'https://shared.test/FHIR/R4', 'https://scr.test/FHIR/R4'];
const GP = { orgCode: 'C81007', orgType: 'gp-practice', activities: ['B0370', 'B0168', 'B0020'] } as const;
const OFFICER = {
  orgCode: 'C81007',
  orgType: 'gp-practice',
  activities: ['B0015', 'B0016', 'B0011'],
} as const;
const tick = () => new Promise((r) => setImmediate(r));

function recordingTokens(): UserTokenPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    token: async (audience) => {
      asked.push(audience);
      return 'token';
    },
  };
}

describe('token warm-up', () => {
  it('signs each service’s token in turn after sign-in and after an unlock', async () => {
    const session = new FakeSession();
    const tokens = recordingTokens();
    const stop = warmTokensOnSignIn(session, tokens, DEFAULT_POLICY, AUDIENCES);
    session.signIn({ ...GP, activities: [...GP.activities] });
    expect(tokens.asked).toEqual([]); // not inside the session's own change
    for (let i = 0; i < 5; i++) await tick();
    expect(tokens.asked).toEqual(AUDIENCES);
    session.emit('locked');
    session.emit('unlocked');
    for (let i = 0; i < 5; i++) await tick();
    expect(tokens.asked).toEqual([...AUDIENCES, ...AUDIENCES]);
    stop();
  });

  it('asks for nothing for a role that reads no records, after a lock, or once stopped', async () => {
    const session = new FakeSession();
    const tokens = recordingTokens();
    const stop = warmTokensOnSignIn(session, tokens, DEFAULT_POLICY, AUDIENCES);
    session.signIn({ ...OFFICER, activities: [...OFFICER.activities] });
    session.emit('locked');
    for (let i = 0; i < 5; i++) await tick();
    expect(tokens.asked).toEqual([]);
    // Signed in, then another session before the warm-up began: the first session's tokens are not asked for.
    session.signIn({ ...GP, activities: [...GP.activities] });
    session.user = null;
    for (let i = 0; i < 5; i++) await tick();
    expect(tokens.asked).toEqual([]);
    stop();
    session.signIn({ ...GP, activities: [...GP.activities] });
    for (let i = 0; i < 5; i++) await tick();
    expect(tokens.asked).toEqual([]);
  });

  it('a token that cannot be had stops the warm-up quietly', async () => {
    const session = new FakeSession();
    const asked: string[] = [];
    const stop = warmTokensOnSignIn(
      session,
      {
        token: async (a) => {
          asked.push(a);
          throw new Error('card removed');
        },
      },
      DEFAULT_POLICY,
      AUDIENCES,
    );
    session.signIn({ ...GP, activities: [...GP.activities] });
    for (let i = 0; i < 5; i++) await tick();
    expect(asked).toEqual([AUDIENCES[0]]);
    stop();
  });
});
