/**
 * Attack: three wrong PINs while confirming an override blocked the card, yet the session stayed signed in —
 * `record.scr` and `preferences.set` still succeeded — and neither the failed PINs nor the block were audited.
 * A block now ends the session at once (patient data dropped), and each failed override PIN and the block are
 * audited. Runs the whole demo workstation with its virtual card (which counts the tries, as a real card does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src-main/services/workstation';
import { DEMO_CARDS } from '../../../src-main/card/demo/catalogue';
import type { SessionView } from '../../../src-shared/domain/session';
import type { EventLog } from '../card/support/events';
import { startDemoWorkstation, type DemoWorkstation } from '../../support/records/demo-workstation';

const PATIENT = '9990000018'; // registered at the GP's practice
let demo: DemoWorkstation;
let ws: Workstation;
let views: EventLog<SessionView>;

beforeAll(async () => {
  demo = await startDemoWorkstation('override-block');
  ({ ws, views } = demo);
});
afterAll(async () => {
  await demo?.close();
});

function auditJson(): Record<string, unknown>[] {
  return demo.auditJsonTexts().map((json) => JSON.parse(json) as Record<string, unknown>);
}

describe('a card blocked while confirming an override', () => {
  it('ends the session at once; nothing more is read or changed; each wrong PIN and the block are audited', async () => {
    const gp = DEMO_CARDS.find((c) => c.id === 'gp')!;
    await ws.dispatcher.dispatch('demo.insert', { cardId: 'gp' });
    await views.next((v) => v.state === 'pin-required');
    expect((await ws.dispatcher.dispatch('session.submitPin', { pin: gp.pin })).ok).toBe(true);
    expect((await ws.dispatcher.dispatch('encounter.open', { nhsNumber: PATIENT })).ok).toBe(true);
    expect((await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: PATIENT })).ok).toBe(
      true,
    );
    expect((await ws.dispatcher.dispatch('record.scr', { nhsNumber: PATIENT })).ok).toBe(true);

    const wrong = gp.pin === '111111' ? '222222' : '111111';
    const override = {
      choice: 'emergency',
      nhsNumber: PATIENT,
      reason: 'medical-emergency',
      text: 'Unresponsive on arrival',
      pin: wrong,
    } as const;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await ws.dispatcher.dispatch('ptv.record', override));
    expect(answers.map((a) => !a.ok && a.error.code)).toEqual(['wrong-pin', 'wrong-pin', 'card-blocked']);

    // The session is over: the block is on screen and nothing of the patient can be read or changed.
    const view = (await ws.dispatcher.dispatch('session.get', {})) as { ok: true; value: SessionView };
    expect(view.value.state).toBe('card-blocked');
    const scr = await ws.dispatcher.dispatch('record.scr', { nhsNumber: PATIENT });
    expect(scr.ok).toBe(false);
    expect(!scr.ok && scr.error.code).toMatch(/^(not-signed-in|locked)$/);
    const prefs = await ws.dispatcher.dispatch('preferences.set', {
      nhsNumber: PATIENT,
      scr: 'opted-out',
      sensitive: 'excluded',
      mig: 'share',
      patientStatement: 'Changed after the card was blocked',
    });
    expect(prefs.ok).toBe(false);

    const events = auditJson();
    const refused = events.filter((e) => JSON.stringify(e.subtype).includes('override-pin-refused')) as {
      outcome: string;
      entity: unknown;
    }[];
    expect(refused.map((e) => e.outcome)).toEqual(['4', '4', '8']);
    expect(JSON.stringify(refused[2]!.entity)).toContain('card-blocked');
    // The session's end is audited too (DICOM 110123 Logout): the card service ends it the moment the card
    // answers "blocked", so the logout lands between the second wrong PIN and the block's own event.
    const secondWrongAt = events.indexOf(refused[1] as Record<string, unknown>);
    const logoutAt = events.findLastIndex((e) => JSON.stringify(e.subtype).includes('"110123"'));
    expect(logoutAt).toBeGreaterThan(secondWrongAt);
    expect(events.some((e) => JSON.stringify(e).includes('Changed after the card was blocked'))).toBe(false);
  });
});
