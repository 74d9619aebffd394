/**
 * Attack: `preferences.get` by a paramedic with no relationship and no permission to view returned the whole
 * preference history, including the patient's own words naming an HIV diagnosis, and wrote no audit event.
 * Reading sharing preferences needs B0020 and a legitimate relationship, and every read is audited before the
 * answer leaves main. Runs the whole demo workstation (embedded virtual card, real SQLite audit log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src-main/services/workstation';
import { DEMO_CARDS } from '../../../src-main/card/demo/catalogue';
import type { SessionView } from '../../../src-shared/domain/session';
import type { EventLog } from '../card/support/events';
import { startDemoWorkstation, type DemoWorkstation } from '../../support/records/demo-workstation';

const HIV_PATIENT = '9990000034'; // Tom Fenwick: registered at the demo practice; his statement names HIV
let demo: DemoWorkstation;
let ws: Workstation;
let views: EventLog<SessionView>;

beforeAll(async () => {
  demo = await startDemoWorkstation('prefs-read');
  ({ ws, views } = demo);
});
afterAll(async () => {
  await demo?.close();
});

async function signInAs(cardId: string): Promise<void> {
  const from = views.mark();
  await ws.dispatcher.dispatch('demo.insert', { cardId });
  await views.next((v) => v.state === 'pin-required', 10_000, from);
  const pin = DEMO_CARDS.find((c) => c.id === cardId)!.pin;
  const r = await ws.dispatcher.dispatch('session.submitPin', { pin });
  expect(r.ok && (r.value as SessionView).state).toBe('signed-in');
}

/** The audit events recorded so far that mention this patient, newest last (read from the log file itself). */
function auditedReadsOf(nhs: string): string[] {
  return demo.auditJsonTexts().filter((json) => json.includes(nhs));
}

describe('reading sharing preferences', () => {
  it('is refused to a paramedic with no relationship; nothing of the history or the patient’s words leaks', async () => {
    await signInAs('paramedic');
    const before = auditedReadsOf(HIV_PATIENT).length;
    const r = await ws.dispatcher.dispatch('preferences.get', { nhsNumber: HIV_PATIENT });
    expect(JSON.stringify(r)).not.toMatch(/HIV/);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('forbidden');
    // A refused read releases nothing and is not a read; no event claims one happened.
    expect(auditedReadsOf(HIV_PATIENT).length).toBe(before);
    await ws.dispatcher.dispatch('session.signOut', {});
    await ws.dispatcher.dispatch('demo.remove', {});
  });

  it('is allowed with B0020 and a legitimate relationship, and audited before the answer', async () => {
    await signInAs('gp');
    const before = auditedReadsOf(HIV_PATIENT);
    const r = await ws.dispatcher.dispatch('preferences.get', { nhsNumber: HIV_PATIENT });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).toMatch(/HIV/); // the patient's words, on the preferences screen only
    const after = auditedReadsOf(HIV_PATIENT);
    expect(after.length).toBe(before.length + 1);
    const event = JSON.parse(after[after.length - 1]!);
    expect(event.type.code).toBe('rest');
    expect(event.subtype.map((c: { code: string }) => c.code)).toContain('read');
    expect(JSON.stringify(event.entity)).toMatch(/[Ss]haring preferences/);
    expect(JSON.stringify(event)).not.toMatch(/HIV/); // the audit trail does not copy the patient's words
    await ws.dispatcher.dispatch('session.signOut', {});
    await ws.dispatcher.dispatch('demo.remove', {});
  });

  it('the demo receptionist (B0020 only) reads and records preferences of the practice’s patients, as the README says, but sees no record', async () => {
    await signInAs('receptionist');
    const r = await ws.dispatcher.dispatch('preferences.get', { nhsNumber: HIV_PATIENT });
    expect(r.ok).toBe(true);
    const open = await ws.dispatcher.dispatch('encounter.open', { nhsNumber: HIV_PATIENT });
    expect(open.ok && (open.value as { can: Record<string, boolean> }).can).toMatchObject({
      askPermission: false,
      emergency: false,
      viewScr: false,
      viewMig: false,
      changePreferences: true,
    });
    // A patient of another practice: no relationship, so no preferences either.
    const elsewhere = await ws.dispatcher.dispatch('preferences.get', { nhsNumber: '9990000077' });
    expect(!elsewhere.ok && elsewhere.error.code).toBe('forbidden');
    await ws.dispatcher.dispatch('session.signOut', {});
    await ws.dispatcher.dispatch('demo.remove', {});
  });
});
