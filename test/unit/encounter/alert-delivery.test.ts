/**
 * Where an encounter's privacy officer alerts stand, over the real SQLite trail and its outbox: "told" only once
 * every configured transport has the event; "waiting" with the queue count while a transport fails; pushed to the
 * screen as it moves on. And the emergency path: one request records the self-claimed relationship and the
 * override, in one transaction, with one encounter id and one PIN check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENCOUNTER_ID_SYSTEM } from '../../../src-main/audit/events/parts';
import { openAuditTrail, type SqliteAuditTrail } from '../../../src-main/audit/log/trail';
import type { AuditEntry, TransportName } from '../../../src-main/audit/types';
import { deliveryOf, deliveryPortOf } from '../../../src-main/encounter/alert-delivery';
import { DEFAULT_POLICY } from '../../../src-main/policy/policy-file';
import { createRecordHandlers } from '../../../src-main/services/record-handlers';
import type { AlertDelivery } from '../../../src-shared/domain/records';
import { actor, tempDir } from '../../support/audit-log/fixtures';
import { FakeSession, MemorySource, TestClock } from '../../support/records/fakes';
import { items, summary, testNhs } from '../../support/records/patients';
import { codeOf, NOW } from '../../support/records/harness';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function trailWith(transports: TransportName[]): SqliteAuditTrail {
  const t = tempDir('alerts');
  cleanups.push(t.remove);
  const trail = openAuditTrail({
    file: `${t.dir}/audit.sqlite`,
    keyFile: `${t.dir}/workstation-key.pem`,
    workstationId: 'WS-TEST-01',
    transports,
    statusThrottleMs: 1,
  });
  cleanups.push(() => trail.close());
  return trail;
}

const override: AuditEntry = {
  kind: 'emergency-override',
  actor,
  patient: { nhsNumber: '9990000018' },
  encounterId: 'enc-1',
  reasonCode: 5,
  reasonText: 'Unconscious after a fall',
};

/** The records handlers over a real trail, one patient with no relationship to the signed-in paramedic. */
function emergencySetup(transports: TransportName[] = ['fhir']) {
  const trail = trailWith(transports);
  const session = new FakeSession();
  const source = new MemorySource();
  const nhs = testNhs(7);
  source.add({
    summary: summary(nhs, 'Firstpatient'),
    items: items(nhs, (b) => b.allergy('Penicillin', 'Rash', 'medication', 'low', '2020-01-01')),
    care: { registeredWith: 'C81007', referredTo: [], treatedBy: [] },
  });
  const service = createRecordHandlers({
    source,
    policy: DEFAULT_POLICY,
    session,
    audit: trail,
    delivery: deliveryPortOf(trail),
    clock: new TestClock(NOW),
    config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS-TEST-01' } },
  });
  cleanups.push(() => service.close());
  // A paramedic: emergency access and viewing, at an ambulance service the patient has never been seen by.
  session.signIn({ orgCode: 'RYE', orgType: 'ambulance', activities: ['B0370', 'B0168'] });
  return { trail, session, service, h: service.handlers, nhs };
}

const emergency = (nhsNumber: string, claimRelationship?: true) => ({
  choice: 'emergency' as const,
  nhsNumber,
  reason: 'medical-emergency' as const,
  text: 'Found collapsed at home; unconscious, no relatives present.',
  pin: '123456',
  ...(claimRelationship ? { claimRelationship } : {}),
});

describe('the delivery state of an override alert', () => {
  it('is told only once every configured transport has the event; waiting with the queue count while one fails', () => {
    const trail = trailWith(['fhir', 'atna']);
    const port = deliveryPortOf(trail);
    const receipt = trail.record(override);
    trail.record({ kind: 'logout', actor });
    expect(deliveryOf(port, receipt)).toEqual({ id: receipt.uuid, state: 'sending', waiting: 2 });

    trail.outbox.markFailed('atna', [receipt.seq], 'connect ECONNREFUSED');
    expect(deliveryOf(port, receipt)).toEqual({ id: receipt.uuid, state: 'waiting', waiting: 2 });

    // Delivered to the FHIR repository, still queued for ATNA: not told.
    trail.outbox.markDelivered('fhir', [receipt.seq]);
    expect(deliveryOf(port, receipt).state).toBe('waiting');

    trail.outbox.markDelivered('atna', [receipt.seq]);
    expect(deliveryOf(port, receipt)).toEqual({ id: receipt.uuid, state: 'told', waiting: 0 });
  });

  it('is never told when no audit service is configured (nothing leaves the workstation)', () => {
    const trail = trailWith([]);
    const receipt = trail.record(override);
    expect(deliveryOf(deliveryPortOf(trail), receipt).state).toBe('waiting');
  });

  it('the encounter carries it in the permission view and pushes each change until the alert is delivered', async () => {
    const { trail, service, h, nhs } = emergencySetup(['fhir']);
    const pushed: AlertDelivery[] = [];
    service.onAlertDelivery((d) => pushed.push(d));
    await h['encounter.open']({ nhsNumber: nhs });
    const ptv = await h['ptv.record'](emergency(nhs, true));
    if (ptv.state !== 'granted' || !ptv.alert) throw new Error('no alert on the override');
    expect(ptv.alert.state).toBe('sending');
    expect(await h['encounter.alertDelivery']({ id: ptv.alert.id })).toMatchObject({ state: 'sending' });

    const queued = trail.outbox.next('fhir', 10);
    trail.outbox.markFailed(
      'fhir',
      queued.map((i) => i.seq),
      'HTTP 503',
    );
    await expect.poll(() => pushed.at(-1)?.state).toBe('waiting');
    expect(pushed.find((d) => d.id === ptv.alert?.id && d.state === 'waiting')?.waiting).toBe(2);
    const stalled = await h['encounter.open']({ nhsNumber: nhs });
    expect(stalled.notes.join(' ')).toMatch(
      /privacy officer will be told when this workstation is back online \(2 audit events waiting on this workstation\)/,
    );
    expect(stalled.notes.join(' ')).not.toMatch(/has been told/);

    trail.outbox.markDelivered(
      'fhir',
      queued.map((i) => i.seq),
    );
    await expect.poll(() => pushed.filter((d) => d.id === ptv.alert?.id).at(-1)?.state).toBe('told');
    expect(await h['encounter.alertDelivery']({ id: ptv.alert.id })).toEqual({
      id: ptv.alert.id,
      state: 'told',
      waiting: 0,
    });
    const told = await h['encounter.open']({ nhsNumber: nhs });
    expect(told.ptv).toMatchObject({ state: 'granted', basis: 'emergency', alert: { state: 'told' } });
    expect(told.notes.join(' ')).toMatch(
      /self-claimed a legitimate relationship; the privacy officer has been told/,
    );
    // Another id is not this encounter's alert.
    expect(await codeOf(() => h['encounter.alertDelivery']({ id: 'not-an-alert' }))).toBe('not-found');
  });
});

describe('the emergency path', () => {
  it('one request records the self-claimed relationship and the override with one encounter id and one PIN check', async () => {
    const { trail, session, h, nhs } = emergencySetup();
    const opened = await h['encounter.open']({ nhsNumber: nhs });
    expect(opened.relationship).toBe('none');
    expect(opened.can).toMatchObject({ emergency: false, emergencyClaim: true, askPermission: false });
    const before = trail.head().seq;
    const pinsBefore = session.pinChecks;

    const ptv = await h['ptv.record'](emergency(nhs, true));
    expect(ptv).toMatchObject({ state: 'granted', basis: 'emergency', reasonCode: 5 });
    expect(session.pinChecks - pinsBefore).toBe(1);

    // Two alerts, one after the other in one append, both for the privacy officer, in the same encounter.
    const events = trail.outbox
      .next('fhir', 10)
      .filter((i) => i.seq > before)
      .map((i) => ({ seq: i.seq, priority: i.priority, event: JSON.parse(i.json) as FhirAuditEvent }));
    expect(events).toHaveLength(2);
    const [claim, access] = events.sort((a, b) => a.seq - b.seq);
    expect(access?.seq).toBe((claim?.seq ?? 0) + 1);
    expect(claim?.priority).toBeGreaterThan(0);
    expect(access?.priority).toBeGreaterThan(0);
    const encounterOf = (e: FhirAuditEvent | undefined) =>
      e?.entity?.find((x) => x.what?.identifier?.system === ENCOUNTER_ID_SYSTEM)?.what?.identifier?.value;
    expect(encounterOf(claim?.event)).toBeTruthy();
    expect(encounterOf(claim?.event)).toBe(encounterOf(access?.event));
    expect(JSON.stringify(claim?.event)).toContain('Found collapsed at home');
    expect(JSON.stringify(access?.event)).toContain('110127');

    // The record opens; re-opening the same patient inside the encounter keeps the access.
    expect(await codeOf(() => h['record.scr']({ nhsNumber: nhs }))).toBe('ok');
    const again = await h['encounter.open']({ nhsNumber: nhs });
    expect(again.relationship).toBe('self-claimed');
    expect(again.ptv).toMatchObject({ state: 'granted', basis: 'emergency' });
    expect(await codeOf(() => h['record.scr']({ nhsNumber: nhs }))).toBe('ok');
  });

  it('a wrong PIN records neither the claim nor the override (only the refused PIN)', async () => {
    const { trail, h, nhs } = emergencySetup();
    await h['encounter.open']({ nhsNumber: nhs });
    const before = trail.head().seq;
    expect(await codeOf(() => h['ptv.record']({ ...emergency(nhs, true), pin: '000000' }))).toBe('wrong-pin');
    const written = trail.outbox
      .next('fhir', 10)
      .filter((i) => i.seq > before)
      .map((i) => i.json);
    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain('110127');
    expect(written[0]).not.toContain('Found collapsed at home');
    expect((await h['encounter.open']({ nhsNumber: nhs })).relationship).toBe('none');
    expect(await codeOf(() => h['record.scr']({ nhsNumber: nhs }))).toBe('forbidden');
  });

  it('without the claim, an override still needs a relationship first', async () => {
    const { h, nhs } = emergencySetup();
    await h['encounter.open']({ nhsNumber: nhs });
    expect(await codeOf(() => h['ptv.record'](emergency(nhs)))).toBe('forbidden');
  });
});

interface FhirAuditEvent {
  entity?: { what?: { identifier?: { system?: string; value?: string } } }[];
}
