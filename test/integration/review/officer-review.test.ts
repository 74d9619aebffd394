/**
 * The other half of the override loop, on real parts: two clinician workstations (real SQLite audit trails, their
 * shippers delivering over HTTPS with mutual TLS) make emergency overrides; the audit repository (medplum's FHIR
 * engine behind our wrapper) holds them; a privacy officer's review service reads her queue, one alert with
 * everything read under it and the attendance check, and acts on the alert's Task with If-Match, over HTTPS with
 * her card-signed token. Sampling is drawn from the same repository and shown again from its seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../src-main/audit/events/build';
import { parseConfig } from '../../../src-main/config/load';
import { ODS_CODE_SYSTEM } from '../../../src-main/domain/fhir-resources';
import { demoPatient } from '../../../src-main/records/demo-data/fixed-patients';
import { createServiceClient } from '../../../src-main/records/remote/service-client';
import { createSharedCareClient } from '../../../src-main/records/remote/shared-care-client';
import { PseudonymKey } from '../../../src-main/review/reports/index';
import { createAuditRepositoryClient } from '../../../src-main/review/repository/audit-client';
import { createReviewService, type ReviewService } from '../../../src-main/review/review-service';
import { createLogger } from '../../../src-main/services/logger';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import type { UserTokenPort } from '../../../src-main/session/port';
import { demoCardTokens, FakeSession, RecordingAudit } from '../../support/records/fakes';
import {
  clientTransport,
  startTestSandbox,
  USERS,
  type TestSandbox,
  type UserKey,
} from '../../support/sandbox/harness';

const PORT = 46621;
let t: TestSandbox;
const closers: (() => Promise<void> | void)[] = [];

interface Clinician {
  ws: Workstation;
  session: FakeSession;
}

async function clinician(workstationId: string): Promise<Clinician> {
  const dir = mkdtempSync(join(tmpdir(), 'steth-review-'));
  const session = new FakeSession();
  const ws = await buildWorkstation(
    parseConfig({
      mode: 'demo',
      dataDir: dir,
      workstation: { id: workstationId },
      records: { demoPatients: 20 },
      audit: {
        fhir: {
          baseUrl: t.sandbox.baseUrls.audit,
          caFile: t.pki.caFile,
          certFile: t.pki.client.certFile,
          keyFile: t.pki.client.keyFile,
        },
      },
    }),
    { host: 'browser-host', session, tokens: demoCardTokens(dir, session), logger: createLogger('warn') },
  );
  closers.push(async () => {
    await ws.close();
    rmSync(dir, { recursive: true, force: true });
  });
  session.signIn({ orgCode: 'C81007', orgType: 'gp-practice', activities: ['B0370', 'B0168'] });
  return { ws, session };
}

interface Officer {
  service: ReviewService;
  audit: RecordingAudit;
  session: FakeSession;
}

function officer(key: UserKey): Officer {
  const u = USERS[key];
  const session = new FakeSession();
  session.user = {
    sessionId: `officer-${key}`,
    holder: { displayName: u.name, userId: u.userId },
    role: { ...u.role, activities: [...u.role.activities] },
  };
  const http = clientTransport(t);
  closers.push(() => http.close());
  const tokens: UserTokenPort = {
    token: (audience) => t.token(key, audience === t.sandbox.baseUrls.audit ? 'audit' : 'sharedCare'),
  };
  const client = (service: 'audit' | 'sharedCare') =>
    createServiceClient({
      service,
      baseUrl: t.sandbox.baseUrls[service],
      transport: http.send,
      tokens,
      timeoutMs: 5000,
    });
  const audit = new RecordingAudit();
  const service = createReviewService({
    session,
    audit,
    repository: createAuditRepositoryClient(client('audit')),
    sharedCare: createSharedCareClient(client('sharedCare')),
    pseudonymKey: () => PseudonymKey.fromBytes(Buffer.alloc(32, 7)),
    workstationId: 'WS-PO-01',
    clock: { now: () => Date.now() },
  });
  closers.push(() => service.dispose());
  return { service, audit, session };
}

/** An emergency override and an SCR read, through the clinician workstation's channels. */
async function override(c: Clinician, nhsNumber: string, words: string): Promise<void> {
  const ok = async (p: Promise<{ ok: boolean }>) => {
    const r = await p;
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return r;
  };
  await ok(c.ws.dispatcher.dispatch('encounter.open', { nhsNumber }));
  await ok(
    c.ws.dispatcher.dispatch('ptv.record', {
      choice: 'emergency',
      nhsNumber,
      reason: 'medical-emergency',
      text: words,
      pin: '123456',
    }),
  );
  await ok(c.ws.dispatcher.dispatch('record.scr', { nhsNumber }));
  await ok(c.ws.dispatcher.dispatch('encounter.close', {}));
}

/** Waits until the repository holds an alert with these words (the workstation's shipper delivered it). */
async function delivered(words: string, timeoutMs = 20_000): Promise<AuditEvent> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const repo = t.sandbox.stores.audit.repo;
    for (const id of repo.idsOf('AuditEvent')) {
      const e = repo.currentOf('AuditEvent', id) as AuditEvent | undefined;
      if (e?.purposeOfEvent?.some((p) => p.text === words)) return e;
    }
    if (Date.now() > until) throw new Error(`no alert "${words}" reached the repository`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An alert as another workstation delivers it (PUT by its UUID), e.g. about the officer's own access. */
async function deliverAlert(
  user: { userId: string; name: string; orgCode: string },
  nhsNumber: string,
  words: string,
  recorded = new Date().toISOString(),
): Promise<string> {
  const uuid = crypto.randomUUID();
  const event = buildAuditEvent(
    {
      kind: 'emergency-override',
      actor: {
        userId: user.userId,
        displayName: user.name,
        urid: `${user.userId}-01`,
        roleCode: 'R8000',
        orgCode: user.orgCode,
        workstationId: 'WS-OTHER-01',
      },
      patient: { nhsNumber },
      reasonCode: 5,
      reasonText: words,
      encounterId: crypto.randomUUID(),
    },
    { uuid, recorded, machineName: 'ws-other-01' },
  );
  const r = await t.call('audit', `/AuditEvent/${uuid}`, { method: 'PUT', body: event, user: null });
  expect(r.status, r.text).toBe(201);
  return uuid;
}

let wsA: Clinician;
let wsB: Clinician;
let po: Officer;
let deputy: Officer;
let alertA: AuditEvent;
let alertB: AuditEvent;
const patientA = demoPatient('core-only').nhsNumber;
const patientB = demoPatient('end-of-life').nhsNumber;

beforeAll(async () => {
  t = await startTestSandbox(PORT);
  closers.push(() => t.close());
  [wsA, wsB] = [await clinician('WS-C81007-A'), await clinician('WS-C81007-B')];
  await override(wsA, patientA, 'Collapsed at reception, unable to consent');
  await override(wsB, patientB, 'Found unresponsive on a home visit');
  [alertA, alertB] = [
    await delivered('Collapsed at reception, unable to consent'),
    await delivered('Found unresponsive on a home visit'),
  ];
  po = officer('officer');
  deputy = officer('deputyOfficer');
}, 120_000);

afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

describe('the privacy officer reviews overrides from the audit repository', () => {
  it('overrides from two workstations reach one officer’s queue, newest first, with counts and no red data', async () => {
    const view = await po.service.queue({}, 0);
    const ids = view.alerts.map((a) => a.id);
    const [idA, idB] = [alertA.id as string, alertB.id as string];
    expect(ids).toContain(idA);
    expect(ids).toContain(idB);
    expect(ids.indexOf(idB)).toBeLessThan(ids.indexOf(idA)); // B was made after A
    const rowA = view.alerts.find((a) => a.id === alertA.id);
    const rowB = view.alerts.find((a) => a.id === alertB.id);
    expect(rowA).toMatchObject({
      type: 'emergency',
      workstationId: 'WS-C81007-A',
      status: 'new',
      reasonCode: '5',
      own: false,
    });
    expect(rowB?.workstationId).toBe('WS-C81007-B');
    expect(view.counts.new).toBeGreaterThanOrEqual(2);
    expect(view.total).toBe(view.alerts.length);
    // The queue carries no patient, no clinician's name, no free text.
    const text = JSON.stringify(view);
    for (const red of [patientA, patientB, 'Collapsed at reception', 'Found unresponsive', 'Dr Test User'])
      expect(text).not.toContain(red);

    // Filters: by workstation's user and by date.
    const none = await po.service.queue({ user: '555000000999' }, 0);
    expect(none.alerts).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const dated = await po.service.queue({ from: today, to: today }, 0);
    expect(dated.alerts.map((a) => a.id)).toEqual(expect.arrayContaining([alertA.id, alertB.id]));
    const before = await po.service.queue({ to: '2020-01-01' }, 0);
    expect(before.alerts).toEqual([]);
  });

  it('another organisation’s officer does not see them', async () => {
    const other = officer('otherOfficer');
    const view = await other.service.queue({}, 0);
    expect(view.alerts.map((a) => a.id)).not.toContain(alertA.id);
    await expect(other.service.alert(alertA.id as string)).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('one alert: who, when, the patient, the reason and the clinician’s words, every read under the override; viewing is audited', async () => {
    const d = await po.service.alert(alertA.id as string);
    expect(d.who).toMatchObject({ userId: '555000000001', name: 'Dr Test User', orgCode: 'C81007' });
    expect(d.who.workstationId).toBe('WS-C81007-A');
    expect(d.patient.nhsNumber).toBe(patientA);
    expect(d.patient.name).toBe('Olivia Jane Brackley');
    expect(d.reasonText).toBe('Collapsed at reception, unable to consent');
    expect(d.alert.reasonLabel).toBe('Access made in an emergency');
    expect(d.encounterId).toMatch(/^[0-9a-f-]{36}$/);
    // The read of the SCR made under the override shares its encounter id (delivered with it).
    const reads = d.reads.filter((r) => r.type === 'record-read');
    expect(reads.length, JSON.stringify(d.reads)).toBeGreaterThanOrEqual(1);
    expect(reads[0]?.record).toBe('scr-core');
    expect(d.reads.every((r) => r.id !== alertA.id)).toBe(true);
    expect(po.audit.entries.at(-1)).toMatchObject({
      kind: 'review-action',
      action: 'alert-viewed',
      alertId: alertA.id,
      patient: { nhsNumber: patientA },
    });
  });

  it('attendance: found when the shared care record has an Encounter at the user’s organisation within 24 hours, not found otherwise', async () => {
    // The practice records the attendance in the shared care record (an hour before the access).
    const found = await t.call(
      'sharedCare',
      `/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${patientB}`,
    );
    const patientId = (found.json() as { entry: { resource: { id: string } }[] }).entry[0]?.resource.id;
    const at = new Date(Date.parse(alertB.recorded as string) - 3600_000).toISOString();
    const made = await t.sandbox.stores.sharedCare.call(
      'POST',
      '/Encounter',
      {},
      {
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'HH', display: 'home health' },
        type: [{ text: 'GP home visit' }],
        subject: { reference: `Patient/${patientId}` },
        period: { start: at },
        serviceProvider: {
          identifier: { system: ODS_CODE_SYSTEM, value: 'C81007' },
          display: 'Example Surgery',
        },
      },
    );
    expect(made.status).toBe(201);
    const withVisit = await po.service.alert(alertB.id as string);
    expect(withVisit.attendance).toEqual({
      checked: true,
      found: true,
      encounters: [{ start: at, orgCode: 'C81007', orgName: 'Example Surgery', kind: 'GP home visit' }],
    });
    // Olivia Brackley has no Encounter at C81007 near the access: a flag, not a verdict.
    const without = await po.service.alert(alertA.id as string);
    expect(without.attendance).toEqual({ checked: true, found: false, encounters: [] });
  });

  it('nobody acts on an alert about their own access: refused by the workstation and by the repository', async () => {
    const own = await deliverAlert(
      { userId: USERS.officer.userId, name: USERS.officer.name, orgCode: 'C81007' },
      patientA,
      'Officer looked at a record herself',
    );
    const view = await po.service.queue({}, 0);
    expect(view.alerts.find((a) => a.id === own)?.own).toBe(true);
    const before = po.audit.entries.length;
    await expect(po.service.act(own, null, { action: 'take' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'You cannot review an alert about your own access.',
    });
    expect(po.audit.entries.length).toBe(before); // nothing done, nothing claimed
    // The repository refuses it too, whatever the client does.
    const direct = await t.call('audit', '/Task', {
      user: 'officer',
      body: {
        resourceType: 'Task',
        status: 'in-progress',
        intent: 'order',
        code: {
          coding: [
            { system: 'https://stethoscope.example/fhir/CodeSystem/review-task', code: 'alert-review' },
          ],
        },
        businessStatus: {
          coding: [
            { system: 'https://stethoscope.example/fhir/CodeSystem/alert-review-status', code: 'open' },
          ],
        },
        focus: { reference: `AuditEvent/${own}` },
        lastModified: new Date().toISOString(),
      },
    });
    expect(direct.status, direct.text).toBe(403);
    // Another officer may review it.
    const r = await deputy.service.act(own, null, { action: 'take' });
    expect(r).toMatchObject({
      outcome: 'saved',
      review: { status: 'open', owner: { userId: USERS.deputyOfficer.userId } },
    });
  });

  it('take, note, escalate, inform, close: each saved on the Task with If-Match and audited', async () => {
    const id = await deliverAlert(
      { userId: '555000000777', name: 'Dr Seven', orgCode: 'C81007' },
      patientB,
      'Ambulance crew request',
    );
    let v = (await po.service.alert(id)).review;
    expect(v).toMatchObject({ version: null, status: 'new' });
    const step = async (change: Parameters<ReviewService['act']>[2]) => {
      const r = await po.service.act(id, v.version, change);
      expect(r.outcome, JSON.stringify(r)).toBe('saved');
      v = r.review;
      return v;
    };
    expect(await step({ action: 'take' })).toMatchObject({ status: 'open', owner: { name: 'Test Officer' } });
    expect(
      await step({ action: 'note', text: 'Asked the practice for the attendance record.' }),
    ).toMatchObject({
      notes: [{ author: { name: 'Test Officer' }, text: 'Asked the practice for the attendance record.' }],
    });
    expect(await step({ action: 'status', status: 'under-investigation' })).toMatchObject({
      status: 'under-investigation',
    });
    expect(
      await step({
        action: 'escalate',
        to: 'caldicott-guardian',
        text: 'No attendance found; for the Guardian.',
      }),
    ).toMatchObject({
      status: 'escalated',
      escalatedTo: 'caldicott-guardian',
    });
    expect(await step({ action: 'inform', patientToBeInformed: true })).toMatchObject({
      patientToBeInformed: true,
    });
    expect(
      await step({ action: 'close', outcome: 'inappropriate', text: 'Access not justified.' }),
    ).toMatchObject({
      status: 'closed-inappropriate',
      notes: [{}, {}, {}],
    });
    const actions = po.audit.entries
      .filter((e) => e.kind === 'review-action' && e.alertId === id)
      .map((e) => (e.kind === 'review-action' ? e.action : ''));
    expect(actions).toEqual(['alert-viewed', 'take', 'note', 'status', 'escalate', 'inform', 'close']);
    // The audit entries carry codes, never the note's words.
    expect(JSON.stringify(po.audit.entries)).not.toContain('Access not justified');
    const closed = await po.service.queue({ status: 'closed-inappropriate' }, 0);
    expect(closed.alerts.map((a) => a.id)).toContain(id);
    expect(closed.counts['closed-inappropriate']).toBeGreaterThanOrEqual(1);
  });

  it('two officers close the same alert: the second is told and shown the first one’s state, nothing overwritten', async () => {
    const id = await deliverAlert(
      { userId: '555000000778', name: 'Dr Eight', orgCode: 'C81007' },
      patientA,
      'Out of hours call',
    );
    // Both open it while it has no review yet.
    const seenByPo = (await po.service.alert(id)).review;
    const seenByDeputy = (await deputy.service.alert(id)).review;
    const first = await po.service.act(id, seenByPo.version, {
      action: 'close',
      outcome: 'appropriate',
      text: 'Attendance confirmed by phone.',
    });
    expect(first.outcome).toBe('saved');
    const deputyBefore = deputy.audit.entries.length;
    const second = await deputy.service.act(id, seenByDeputy.version, {
      action: 'close',
      outcome: 'inappropriate',
      text: 'Looks wrong to me.',
    });
    expect(second).toMatchObject({
      outcome: 'conflict',
      review: { status: 'closed-appropriate', lastChangedBy: { name: 'Test Officer' } },
    });
    expect(second.outcome === 'conflict' && second.message).toContain('Test Officer changed this review');
    expect(deputy.audit.entries.length).toBe(deputyBefore);

    // Both on the same version of an existing Task: the repository's If-Match refuses the stale one.
    const v = first.review.version;
    const a = await po.service.act(id, v, { action: 'note', text: 'Second look.' });
    expect(a.outcome).toBe('saved');
    const b = await deputy.service.act(id, v, { action: 'status', status: 'open' });
    expect(b).toMatchObject({ outcome: 'conflict', review: { status: 'closed-appropriate' } });
    const final = (await po.service.alert(id)).review;
    expect(final.status).toBe('closed-appropriate');
    expect(final.notes.map((n) => n.text)).toEqual(['Attendance confirmed by phone.', 'Second look.']);
  });

  it('sampling: the same seed shows the same draw again; another seed another; the draw is audited with its seed and selection', async () => {
    const day = '2026-03-02';
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(
        await deliverAlert(
          { userId: '555000000780', name: 'Dr Sampled', orgCode: 'C81007' },
          patientA,
          `Sampled ${i}`,
          `${day}T${String(8 + (i % 10)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00.000Z`,
        ),
      );
    const size = { kind: 'percent', value: 20 } as const;
    const first = await po.service.sample({ from: day, to: day, size, seed: 'seed-one-2026' });
    expect(first.population).toBe(30);
    expect(first.alerts).toHaveLength(6);
    expect(first.alerts.every((a) => ids.includes(a.id))).toBe(true);
    const again = await po.service.sample({ from: day, to: day, size, seed: 'seed-one-2026' });
    expect(again.alerts.map((a) => a.id)).toEqual(first.alerts.map((a) => a.id));
    const other = await po.service.sample({ from: day, to: day, size, seed: 'seed-two-2026' });
    expect(other.alerts.map((a) => a.id)).not.toEqual(first.alerts.map((a) => a.id));
    const byCount = await po.service.sample({
      from: day,
      to: day,
      size: { kind: 'count', value: 4 },
      seed: 'seed-one-2026',
    });
    // The same ranking: a smaller draw is the start of the larger one.
    expect(byCount.alerts.map((a) => a.id)).toEqual(first.alerts.slice(0, 4).map((a) => a.id));
    const fresh = await po.service.sample({ from: day, to: day, size });
    expect(fresh.seed).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{8}){3}$/);
    const drawn = po.audit.entries.filter((e) => e.kind === 'review-action' && e.action === 'sample-drawn');
    expect(drawn[0]).toMatchObject({
      parameters: {
        seed: 'seed-one-2026',
        from: day,
        to: day,
        size: '20%',
        population: '30',
        selected: first.alerts.map((a) => a.id).join(','),
      },
    });
  });

  it('reports over the repository: green counts suppressed, insurance and marketing refused in the seed’s words and audited', async () => {
    const report = await po.service.report({ purpose: { code: 'direct-care-audit' }, by: ['org', 'type'] });
    expect(report.events).toBeGreaterThanOrEqual(30);
    expect(report.rows.every((r) => r.count === '*' || r.count === '0' || Number(r.count) % 5 === 0)).toBe(
      true,
    );
    expect(report.csv.split('\n')[0]).toBe('org,type,count');
    expect(report.weekly.length).toBeGreaterThanOrEqual(1);
    expect(po.audit.entries.at(-1)).toMatchObject({
      kind: 'report-run',
      report: 'green',
      purpose: { code: 'direct-care-audit' },
    });
    await expect(
      po.service.extract({ purpose: { text: 'marketing campaign' }, format: 'csv' }),
    ).rejects.toMatchObject({
      kind: 'refused',
      message: 'Data will not be shared or used for marketing purposes',
    });
    expect(po.audit.entries.at(-1)).toMatchObject({
      kind: 'report-run',
      report: 'amber',
      refusal: 'Data will not be shared or used for marketing purposes',
    });
    await expect(po.service.report({ purpose: { code: 'insurance' }, by: ['org'] })).rejects.toMatchObject({
      kind: 'refused',
      message:
        'Data will not be made available for the purposes of selling or administering any kind of insurance',
    });
    const extract = await po.service.extract({ purpose: { code: 'ig-investigation' }, format: 'ndjson' });
    expect(extract.rows).toBeGreaterThanOrEqual(30);
    for (const red of [patientA, patientB, USERS.officer.userId, 'Sampled', 'Collapsed'])
      expect(extract.text).not.toContain(red);
  });
});
