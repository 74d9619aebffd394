/**
 * The audit repository over HTTPS: workstations deliver AuditEvents by PUT with the event UUID over mutual TLS
 * (no user token), idempotently; the privacy officer searches them (type, subtype, agent, entity, date, sort,
 * paging, review status, counts, the alerts' Tasks alongside) within their own organisation and reviews alerts as
 * Tasks, one per alert, changed only with If-Match, notes only added, never about their own access.
 */
import type { AuditEvent, Bundle, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../src-main/audit/events/build';
import {
  REVIEW_STATUS_SYSTEM,
  REVIEW_TASK_CODE,
  SDS_USER_ID,
  TASK_STATUS,
  type ReviewStatusCode,
} from '../../../src-main/domain/review-task';
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

type Stored = Task & { id: string; meta: { versionId: string; lastUpdated: string } };

/** A review Task as the privacy officer's workstation writes it (ReviewTaskBody). */
function review(alert: AuditEvent, code: ReviewStatusCode, extra: Partial<Task> = {}): Task {
  return {
    resourceType: 'Task',
    status: TASK_STATUS[code],
    intent: 'order',
    code: { coding: [{ system: REVIEW_TASK_CODE, code: 'alert-review' }] },
    businessStatus: { coding: [{ system: REVIEW_STATUS_SYSTEM, code }] },
    focus: { reference: `AuditEvent/${alert.id}` },
    lastModified: new Date().toISOString(),
    ...extra,
  };
}

const who = (u: { userId: string; name: string }) => ({
  identifier: { system: SDS_USER_ID, value: u.userId },
  display: u.name,
});
const note = (u: { userId: string; name: string }, text: string) => ({
  authorReference: who(u),
  time: new Date().toISOString(),
  text,
});
const statusOf = (t: Task | undefined) => t?.businessStatus?.coding?.[0]?.code;

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

  it('counts every alert as new while no review exists, and refuses review statuses it does not know', async () => {
    const q = (query: string) =>
      t.call('audit', `/AuditEvent?type=${DCM}|110113&${query}`, { user: 'officer' });
    const all = (await q('review-status=new')).json() as Bundle;
    expect(ids(all)).toEqual([officerOwn.id, legal.id, claim.id, emergency.id]);
    expect(((await q('review-status=open')).json() as Bundle).total).toBe(0);
    expect(((await q(`review-status=${REVIEW_STATUS_SYSTEM}|new`)).json() as Bundle).total).toBe(4);
    for (const bad of ['review-status=done', 'review-status=http://example.org/other|new', 'review-status='])
      expect((await q(bad)).status, bad).toBe(400);
    expect(JSON.stringify((await q('review-status=done')).json())).toContain(
      'review-status must be one of new',
    );
  });

  it('answers _summary=count with the total alone, and _id with just the events named', async () => {
    const r = await t.call('audit', `/AuditEvent?type=${DCM}|110113&_summary=count`, { user: 'officer' });
    expect(r.status).toBe(200);
    const b = r.json() as Bundle;
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 4 });
    expect(b.entry).toBeUndefined();
    expect(b.link?.map((l) => l.relation)).toEqual(['self']);
    expect((await t.call('audit', '/AuditEvent?_summary=data', { user: 'officer' })).status).toBe(400);
    const named = (
      await t.call('audit', `/AuditEvent?_id=${claim.id},${emergency.id},${elsewhere.id}`, {
        user: 'officer',
      })
    ).json() as Bundle;
    // Newest first, and the other organisation's event named among them is not there.
    expect(ids(named)).toEqual([claim.id, emergency.id]);
    expect(named.total).toBe(2);
    const both = (
      await t.call('audit', `/AuditEvent?_id=${claim.id},${emergency.id}&_id=${emergency.id}`, {
        user: 'officer',
      })
    ).json() as Bundle;
    expect(ids(both)).toEqual([emergency.id]);
    expect((await t.call('audit', '/AuditEvent?_id=not%20an%20id', { user: 'officer' })).status).toBe(400);
  });

  it('keeps review state as Tasks changed only with If-Match, and never by the subject of the alert', async () => {
    const task = review(emergency, 'new');
    const created = await t.call('audit', '/Task', { body: task, user: 'officer' });
    expect(created.status).toBe(201);
    const v1 = created.json() as Stored;
    expect(created.headers['location']).toBe(`${t.sandbox.baseUrls.audit}/Task/${v1.id}`);
    expect(created.headers['etag']).toBe(`W/"${v1.meta.versionId}"`);
    const take = review(emergency, 'open', { id: v1.id, owner: who(USERS.officer) });
    const put = (body: unknown, ifMatch?: string) =>
      t.call('audit', `/Task/${v1.id}`, {
        method: 'PUT',
        body,
        user: 'officer',
        ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
      });
    const taken = await put(take, `W/"${v1.meta.versionId}"`);
    expect(taken.status).toBe(200);
    const v2 = taken.json() as Stored;
    expect(taken.headers['etag']).toBe(`W/"${v2.meta.versionId}"`);
    expect(v2.meta.versionId).not.toBe(v1.meta.versionId);
    const stale = await put(
      review(emergency, 'closed-appropriate', { id: v1.id }),
      `W/"${v1.meta.versionId}"`,
    );
    expect(stale.status).toBe(412);
    expect(JSON.stringify(stale.json())).toContain('Someone else changed this review first');
    expect((await put(take)).status).toBe(428);
    expect((await put(take, v2.meta.versionId)).status).toBe(400);
    const found = (
      await t.call('audit', `/Task?focus=AuditEvent/${emergency.id}`, { user: 'officer' })
    ).json() as Bundle<Task>;
    expect(found.entry?.map((e) => statusOf(e.resource))).toEqual(['open']);
    const history = (
      await t.call('audit', `/Task/${v1.id}/_history`, { user: 'officer' })
    ).json() as Bundle<Task>;
    expect(history.entry?.map((e) => statusOf(e.resource))).toEqual(['open', 'new']);
    const own = await t.call('audit', '/Task', { body: review(officerOwn, 'new'), user: 'officer' });
    expect(own.status).toBe(403);
    expect(JSON.stringify(own.json())).toContain('your own access');
    const foreign = await t.call('audit', '/Task', { body: review(elsewhere, 'new'), user: 'officer' });
    expect(foreign.status).toBe(400);
    const notVisible = (await t.call('audit', `/Task/${v1.id}`, { user: 'otherOfficer' })).status;
    expect(notVisible).toBe(404);
  });

  it('refuses a Task that is not a review Task, naming the element', async () => {
    const { businessStatus: _b, ...noStatus } = review(legal, 'new');
    const r = await t.call('audit', '/Task', { body: noStatus, user: 'officer' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json())).toContain('businessStatus is missing');
    const badCode = await t.call('audit', '/Task', {
      body: review(legal, 'new', {
        businessStatus: { coding: [{ system: REVIEW_STATUS_SYSTEM, code: 'done' }] },
      }),
      user: 'officer',
    });
    expect(badCode.status).toBe(400);
    expect(JSON.stringify(badCode.json())).toContain('businessStatus.coding[0].code');
    // Nothing was stored for the alert.
    const tasks = (
      await t.call('audit', `/Task?focus=AuditEvent/${legal.id}`, { user: 'officer' })
    ).json() as Bundle;
    expect(tasks.total).toBe(0);
  });

  it('holds one Task per alert: If-None-Exist answers the existing one, a plain second POST is a conflict', async () => {
    const [existing] =
      (
        (
          await t.call('audit', `/Task?focus=AuditEvent/${emergency.id}`, { user: 'officer' })
        ).json() as Bundle<Stored>
      ).entry ?? [];
    const current = existing?.resource as Stored;
    const again = await t.call('audit', '/Task', { body: review(emergency, 'new'), user: 'officer' });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.json())).toContain(
      'This alert already has a review: read it and change it with If-Match',
    );
    expect((again.json() as { issue: { code: string }[] }).issue[0]?.code).toBe('conflict');
    const conditional = await t.call('audit', '/Task', {
      body: review(emergency, 'new'),
      user: 'officer',
      headers: { 'if-none-exist': `focus=AuditEvent/${emergency.id}` },
    });
    expect(conditional.status).toBe(200);
    const answered = conditional.json() as Stored;
    expect(answered.id).toBe(current.id);
    expect(answered.meta.versionId).toBe(current.meta.versionId);
    expect(statusOf(answered)).toBe('open');
    expect(conditional.headers['etag']).toBe(`W/"${current.meta.versionId}"`);
    const tasks = t.sandbox.stores.audit.repo
      .idsOf('Task')
      .map((id) => t.sandbox.stores.audit.repo.currentOf('Task', id) as Task)
      .filter((x) => x.focus?.reference === `AuditEvent/${emergency.id}`);
    expect(tasks).toHaveLength(1);
    // The condition must be the Task's own focus.
    const mismatch = await t.call('audit', '/Task', {
      body: review(emergency, 'new'),
      user: 'officer',
      headers: { 'if-none-exist': `focus=AuditEvent/${claim.id}` },
    });
    expect(mismatch.status).toBe(400);
    // A first review under If-None-Exist is created as any other.
    const first = await t.call('audit', '/Task', {
      body: review(claim, 'new'),
      user: 'officer',
      headers: { 'if-none-exist': `focus=AuditEvent/${claim.id}` },
    });
    expect(first.status).toBe(201);
    expect(first.headers['location']).toMatch(/\/Task\/[0-9a-f-]{36}$/);
  });

  it('lets notes be added but never changed or removed', async () => {
    const created = await t.call('audit', '/Task', {
      body: review(legal, 'open', { owner: who(USERS.officer), note: [note(USERS.officer, 'Taken')] }),
      user: 'officer',
    });
    expect(created.status).toBe(201);
    let current = created.json() as Stored;
    const put = (body: Task) =>
      t.call('audit', `/Task/${current.id}`, {
        method: 'PUT',
        body: { ...body, id: current.id },
        user: 'officer',
        headers: { 'if-match': `W/"${current.meta.versionId}"` },
      });
    const first = current.note?.[0] as NonNullable<Task['note']>[number];
    // The same note with its keys in another order is the same note.
    const reordered = { text: first.text, time: first.time, authorReference: first.authorReference };
    const added = await put(
      review(legal, 'under-investigation', {
        owner: who(USERS.officer),
        note: [reordered, note(USERS.officer, 'Asked the practice')],
      }),
    );
    expect(added.status).toBe(200);
    current = added.json() as Stored;
    expect(current.note?.map((n) => n.text)).toEqual(['Taken', 'Asked the practice']);
    for (const notes of [
      [{ ...first, text: 'Taken (edited)' }, current.note?.[1]],
      [current.note?.[1]],
      [],
      undefined,
    ]) {
      const r = await put(
        review(legal, 'under-investigation', {
          owner: who(USERS.officer),
          ...(notes ? { note: notes as Task['note'] } : {}),
        }),
      );
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json())).toContain('Notes cannot be changed or removed, only added');
    }
    const invalid = await put({ ...review(legal, 'open'), intent: 'plan' });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.json())).toContain('intent');
  });

  it('filters alerts by review status, counts them, and sends their Tasks alongside', async () => {
    // Now: emergency open, legal under investigation, claim new (a Task), officerOwn new (no Task).
    const q = async (query: string) => {
      const r = await t.call('audit', `/AuditEvent?type=${DCM}|110113&${query}`, { user: 'officer' });
      expect(r.status, query).toBe(200);
      return r.json() as Bundle;
    };
    expect(ids(await q('review-status=new'))).toEqual([officerOwn.id, claim.id]);
    expect(ids(await q('review-status=open,under-investigation'))).toEqual([legal.id, emergency.id]);
    expect(ids(await q('review-status=open&review-status=under-investigation'))).toEqual([]);
    const counts: Record<string, number | undefined> = {};
    for (const s of [
      'new',
      'open',
      'under-investigation',
      'closed-appropriate',
      'closed-inappropriate',
      'escalated',
    ])
      counts[s] = (await q(`review-status=${s}&_summary=count`)).total;
    expect(counts).toEqual({
      new: 2,
      open: 1,
      'under-investigation': 1,
      'closed-appropriate': 0,
      'closed-inappropriate': 0,
      escalated: 0,
    });
    // The same counts in one request: $review-counts, a Parameters resource with one integer per status.
    const one = await t.call('audit', `/AuditEvent/$review-counts?type=${DCM}|110113`, { user: 'officer' });
    expect(one.status, one.text).toBe(200);
    const params = one.json() as {
      resourceType: string;
      parameter: { name: string; valueInteger: number }[];
    };
    expect(params.resourceType).toBe('Parameters');
    expect(Object.fromEntries(params.parameter.map((p) => [p.name, p.valueInteger]))).toEqual(counts);
    const refusedCounts = await t.call('audit', '/AuditEvent/$review-counts?review-status=new', {
      user: 'officer',
    });
    expect(refusedCounts.status).toBe(400);
    expect((await t.call('audit', '/AuditEvent/$review-counts', { user: 'receptionist' })).status).toBe(403);
    const page = await q('_count=3&_revinclude=Task:focus');
    expect(page.total).toBe(4);
    expect(page.entry?.map((e) => [e.resource?.resourceType, e.search?.mode])).toEqual([
      ['AuditEvent', 'match'],
      ['AuditEvent', 'match'],
      ['AuditEvent', 'match'],
      ['Task', 'include'],
      ['Task', 'include'],
    ]);
    const included = (page.entry ?? []).filter((e) => e.search?.mode === 'include');
    expect(included.map((e) => (e.resource as Task).focus?.reference)).toEqual([
      `AuditEvent/${legal.id}`,
      `AuditEvent/${claim.id}`,
    ]);
    for (const e of included) expect(e.fullUrl).toBe(`${t.sandbox.baseUrls.audit}/Task/${e.resource?.id}`);
    expect(page.link?.find((l) => l.relation === 'next')?.url).toContain('_revinclude=Task%3Afocus');
    expect((await t.call('audit', '/AuditEvent?_revinclude=Task:owner', { user: 'officer' })).status).toBe(
      400,
    );
  });

  it('searches Tasks within the officer’s organisation, counting and paging only those', async () => {
    // The other organisation's officer reviews the ambulance alert.
    const theirs = await t.call('audit', '/Task', {
      body: review(elsewhere, 'escalated', { owner: who(USERS.otherOfficer) }),
      user: 'otherOfficer',
    });
    expect(theirs.status).toBe(201);
    const search = async (query: string, user: 'officer' | 'otherOfficer' = 'officer') => {
      const r = await t.call('audit', `/Task?${query}`, { user });
      expect(r.status, query).toBe(200);
      return r.json() as Bundle<Stored>;
    };
    const focusOf = (b: Bundle<Stored>) =>
      (b.entry ?? []).map((e) => e.resource?.focus?.reference?.slice(11));
    // Ours: emergency, claim, legal (in the order last changed, newest first).
    const all = await search('');
    expect(all.total).toBe(3);
    expect(focusOf(all)).toEqual([legal.id, claim.id, emergency.id]);
    expect(focusOf(await search('_sort=_lastUpdated'))).toEqual([emergency.id, claim.id, legal.id]);
    expect((await search('_summary=count')).total).toBe(3);
    expect((await search('_summary=count')).entry).toBeUndefined();
    const first = await search('_count=2');
    expect(first.total).toBe(3);
    expect(first.entry).toHaveLength(2);
    expect(first.link?.find((l) => l.relation === 'next')?.url).toContain('_offset=2');
    const second = await search('_count=2&_offset=2');
    expect(focusOf(second)).toEqual([emergency.id]);
    expect(second.link?.some((l) => l.relation === 'next')).toBe(false);
    expect(focusOf(await search('business-status=open,under-investigation'))).toEqual([
      legal.id,
      emergency.id,
    ]);
    expect(focusOf(await search(`business-status=${REVIEW_STATUS_SYSTEM}|new`))).toEqual([claim.id]);
    expect((await search('business-status=escalated')).total).toBe(0);
    expect(focusOf(await search(`owner=${USERS.officer.userId}`))).toEqual([legal.id, emergency.id]);
    expect(focusOf(await search(`owner=${SDS_USER_ID}|${USERS.officer.userId}`))).toEqual([
      legal.id,
      emergency.id,
    ]);
    expect((await search(`owner=${USERS.otherOfficer.userId}`)).total).toBe(0);
    expect(focusOf(await search(`focus=AuditEvent/${claim.id},AuditEvent/${elsewhere.id}`))).toEqual([
      claim.id,
    ]);
    // Theirs, seen only by them.
    const other = await search('', 'otherOfficer');
    expect(other.total).toBe(1);
    expect(focusOf(other)).toEqual([elsewhere.id]);
    expect((await search(`focus=AuditEvent/${emergency.id}`, 'otherOfficer')).total).toBe(0);
    expect(
      (
        await t.call('audit', `/AuditEvent?_id=${elsewhere.id}&review-status=escalated`, {
          user: 'otherOfficer',
        })
      ).json(),
    ).toMatchObject({ total: 1 });
    for (const bad of [
      'business-status=done',
      'colour=blue',
      '_sort=date',
      '_count=0',
      'owner=x|y',
      'focus=Patient/1',
    ])
      expect((await t.call('audit', `/Task?${bad}`, { user: 'officer' })).status, bad).toBe(400);
  });
});
