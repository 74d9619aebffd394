/**
 * The audit repository over HTTPS: workstations deliver AuditEvents by PUT with the event UUID over mutual TLS
 * (no user token), idempotently; the privacy officer searches them (type, subtype, agent, entity, date, sort,
 * paging) within their own organisation and reviews alerts as Tasks changed only with If-Match, never about their
 * own access.
 */
import type { AuditEvent, Bundle, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../src-main/audit/events/build';
import type { AuditActor, AuditEntry } from '../../../src-main/audit/types';
import { startTestSandbox, USERS, type TestSandbox } from '../../support/sandbox/harness';

const PORT = 46605;
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox(PORT, false);
});
afterAll(async () => t?.close());

const actor = (u: {
  userId: string;
  role: { urid: string; orgCode: string; roleCode: string };
}): AuditActor => ({
  userId: u.userId,
  displayName: 'Someone',
  urid: u.role.urid,
  roleCode: u.role.roleCode,
  orgCode: u.role.orgCode,
  workstationId: 'WS-TEST-01',
});

let n = 0;
function event(entry: AuditEntry, recorded: string): AuditEvent {
  const uuid = `0a0d17e0-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  return JSON.parse(
    JSON.stringify(buildAuditEvent(entry, { uuid, recorded, machineName: 'ws-test-01' })),
  ) as AuditEvent;
}

const put = (e: AuditEvent) => t.call('audit', `/AuditEvent/${e.id}`, { method: 'PUT', body: e, user: null });
const ids = (b: Bundle) => (b.entry ?? []).map((x) => x.resource?.id);

const gp = actor(USERS.gp);
const ambulance = actor({
  userId: '555000000399',
  role: { urid: '555000000399-01', orgCode: 'RX9', roleCode: 'R8003' },
});
const emergency = event(
  {
    kind: 'emergency-override',
    actor: gp,
    patient: { nhsNumber: '9990000018' },
    reasonCode: 5,
    reasonText: 'Collapsed',
  },
  '2026-11-01T10:00:00.000Z',
);
const read = event(
  {
    kind: 'record-read',
    actor: gp,
    patient: { nhsNumber: '9990000018' },
    record: 'scr-core',
    sections: ['medications'],
    purpose: 'ETREAT',
  },
  '2026-11-01T10:01:00.000Z',
);
const claim = event(
  {
    kind: 'lr-self-claim',
    actor: gp,
    patient: { nhsNumber: '9990000026' },
    reason: 'referral-expected',
    reasonText: 'Seen today',
  },
  '2026-11-02T09:00:00.000Z',
);
const legal = event(
  {
    kind: 'legal-override',
    actor: gp,
    patient: { nhsNumber: '9990000034' },
    reasonCode: 3,
    reasonText: 'Court order',
  },
  '2026-11-03T09:00:00.000Z',
);
const elsewhere = event(
  {
    kind: 'emergency-override',
    actor: ambulance,
    patient: { nhsNumber: '9990000042' },
    reasonCode: 5,
    reasonText: 'Roadside',
  },
  '2026-11-02T12:00:00.000Z',
);
const officerOwn = event(
  {
    kind: 'emergency-override',
    actor: actor(USERS.officer),
    patient: { nhsNumber: '9990000050' },
    reasonCode: 5,
    reasonText: 'Own',
  },
  '2026-11-04T09:00:00.000Z',
);

describe('audit repository', () => {
  it('stores an AuditEvent PUT by its UUID once, however often it arrives, without a user token', async () => {
    const first = await put(emergency);
    expect(first.status).toBe(201);
    expect(first.headers['location']).toMatch(new RegExp(`/AuditEvent/${emergency.id}/_history/`));
    const again = await put(emergency);
    expect(again.status).toBe(200);
    expect(t.sandbox.stores.audit.repo.idsOf('AuditEvent')).toEqual([emergency.id]);
    expect(t.sandbox.stores.audit.repo.versionsOf('AuditEvent', emergency.id as string)).toHaveLength(2);
    const { meta: _m, ...stored } = t.sandbox.stores.audit.repo.currentOf(
      'AuditEvent',
      emergency.id as string,
    ) as AuditEvent;
    expect(stored).toEqual(emergency);
  });

  it('takes batches of PUTs entry by entry, and refuses server-chosen ids and mismatched ones', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        ...[read, claim, legal, elsewhere, officerOwn].map((e) => ({
          resource: e,
          request: { method: 'PUT', url: `AuditEvent/${e.id}` },
        })),
        { resource: read, request: { method: 'POST', url: 'AuditEvent' } },
      ],
    };
    const r = await t.call('audit', '/', { body: bundle, user: null });
    expect(r.status).toBe(200);
    const b = r.json() as Bundle;
    expect(b.type).toBe('batch-response');
    expect(b.entry?.map((e) => e.response?.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
      '201 Created',
      '201 Created',
      '400',
    ]);
    expect((await t.call('audit', '/AuditEvent', { body: read, user: 'officer' })).status).toBe(405);
    const mismatch = await t.call('audit', `/AuditEvent/${claim.id}`, {
      method: 'PUT',
      body: read,
      user: null,
    });
    expect(mismatch.status).toBe(400);
    const notEvent = await t.call('audit', `/AuditEvent/${read.id}`, {
      method: 'PUT',
      body: { resourceType: 'Patient', id: read.id },
      user: null,
    });
    expect(notEvent.status).toBe(400);
  });

  it('lets the privacy officer search their organisation’s events by type, agent, patient and date, newest first', async () => {
    const search = async (q: string, user: 'officer' | 'otherOfficer' = 'officer') => {
      const r = await t.call('audit', `/AuditEvent?${q}`, { user });
      expect(r.status, q).toBe(200);
      return r.json() as Bundle<AuditEvent>;
    };
    const alerts = await search(`type=${DCM}|110113`);
    expect(ids(alerts)).toEqual([officerOwn.id, legal.id, claim.id, emergency.id]);
    expect(alerts.total).toBe(4);
    const reasons = await search(
      `subtype=${(emergency.subtype?.[0]?.system ?? '') + '|' + (emergency.subtype?.[0]?.code ?? '')}`,
    );
    expect(ids(reasons)).toEqual([officerOwn.id, emergency.id]);
    expect(
      ids(await search(`agent:identifier=https://fhir.nhs.uk/Id/sds-user-id|${USERS.gp.userId}&_sort=date`)),
    ).toEqual([emergency.id, read.id, claim.id, legal.id]);
    expect(ids(await search('entity:identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018'))).toEqual([
      read.id,
      emergency.id,
    ]);
    expect(ids(await search('date=ge2026-11-02&date=lt2026-11-04'))).toEqual([legal.id, claim.id]);
    expect(ids(await search('date=2026-11-01'))).toEqual([read.id, emergency.id]);
    // Another organisation's events stay with that organisation's officer.
    expect(ids(await search(`type=${DCM}|110113`, 'otherOfficer'))).toEqual([elsewhere.id]);
    const bad = await t.call('audit', '/AuditEvent?colour=blue', { user: 'officer' });
    expect(bad.status).toBe(400);
  });

  it('pages with _count and a next link', async () => {
    const first = (await t.call('audit', '/AuditEvent?_count=2', { user: 'officer' })).json() as Bundle;
    expect(first.total).toBe(5);
    expect(first.entry).toHaveLength(2);
    const next = first.link?.find((l) => l.relation === 'next')?.url as string;
    expect(next).toContain('_offset=2');
    const headers = {
      authorization: `Bearer ${await t.token('officer', 'audit')}`,
      'nhsd-session-urid': USERS.officer.role.urid,
      'x-request-id': crypto.randomUUID(),
      'x-correlation-id': crypto.randomUUID(),
    };
    const second = (await t.raw(next, { headers })).json() as Bundle;
    expect(second.entry).toHaveLength(2);
    const last = (
      await t.raw(second.link?.find((l) => l.relation === 'next')?.url as string, { headers })
    ).json() as Bundle;
    expect(last.entry).toHaveLength(1);
    expect(last.link?.some((l) => l.relation === 'next')).toBe(false);
    expect(new Set([...ids(first), ...ids(second), ...ids(last)]).size).toBe(5);
  });

  it('refuses reading to a role without B0015, B0016 or B0011, and without a token', async () => {
    const r = await t.call('audit', '/AuditEvent', { user: 'gp' });
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.json())).toContain('B0015, B0016 or B0011');
    expect((await t.call('audit', '/AuditEvent', { user: null })).status).toBe(400);
  });

  it('keeps review state as Tasks changed only with If-Match, and never by the subject of the alert', async () => {
    const task: Task = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      businessStatus: { text: 'new' },
      focus: { reference: `AuditEvent/${emergency.id}` },
    };
    const created = await t.call('audit', '/Task', { body: task, user: 'officer' });
    expect(created.status).toBe(201);
    const v1 = created.json() as Task & { id: string; meta: { versionId: string } };
    const take = {
      ...v1,
      status: 'in-progress',
      businessStatus: { text: 'open' },
      owner: { display: USERS.officer.name },
    };
    const put = (body: unknown, ifMatch?: string) =>
      t.call('audit', `/Task/${v1.id}`, {
        method: 'PUT',
        body,
        user: 'officer',
        ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
      });
    const taken = await put(take, `W/"${v1.meta.versionId}"`);
    expect(taken.status).toBe(200);
    const stale = await put(
      { ...v1, businessStatus: { text: 'closed appropriate' } },
      `W/"${v1.meta.versionId}"`,
    );
    expect(stale.status).toBe(412);
    expect(JSON.stringify(stale.json())).toContain('Someone else changed this review first');
    expect((await put(take)).status).toBe(428);
    const found = (
      await t.call('audit', `/Task?focus=AuditEvent/${emergency.id}`, { user: 'officer' })
    ).json() as Bundle<Task>;
    expect(found.entry?.map((e) => e.resource?.businessStatus?.text)).toEqual(['open']);
    const history = (
      await t.call('audit', `/Task/${v1.id}/_history`, { user: 'officer' })
    ).json() as Bundle<Task>;
    expect(history.entry?.map((e) => e.resource?.businessStatus?.text)).toEqual(['open', 'new']);
    const own = await t.call('audit', '/Task', {
      body: { ...task, focus: { reference: `AuditEvent/${officerOwn.id}` } },
      user: 'officer',
    });
    expect(own.status).toBe(403);
    expect(JSON.stringify(own.json())).toContain('your own access');
    const foreign = await t.call('audit', '/Task', {
      body: { ...task, focus: { reference: `AuditEvent/${elsewhere.id}` } },
      user: 'officer',
    });
    expect(foreign.status).toBe(400);
    const notVisible = (await t.call('audit', `/Task/${v1.id}`, { user: 'otherOfficer' })).status;
    expect(notVisible).toBe(404);
  });
});
