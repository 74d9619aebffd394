/**
 * The audit repository's index and searches (src-main/sandbox/services/audit): whatever way events and Tasks
 * reach the repository (before the index exists, through the service's writes, through the router's create and
 * update, rewritten with another time or organisation, deleted), AuditEvent and Task searches answer exactly
 * what a plain filter, sort and slice of the repository's current contents answers.
 */
import type { AuditEvent, Bundle, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../src-main/audit/events/build';
import { ENCOUNTER_ID_SYSTEM } from '../../../src-main/audit/events/parts';
import type { AuditActor, AuditEntry } from '../../../src-main/audit/types';
import { ODS_CODE_SYSTEM } from '../../../src-main/domain/fhir-resources';
import {
  REVIEW_STATUS_SYSTEM,
  REVIEW_STATUSES,
  REVIEW_TASK_CODE,
  SDS_USER_ID,
  TASK_STATUS,
  type ReviewStatusCode,
} from '../../../src-main/domain/review-task';
import { SandboxRepository } from '../../../src-main/sandbox/fhir/repository';
import { ServiceError } from '../../../src-main/sandbox/http/outcome';
import { AuditIndex, eventOrganisation } from '../../../src-main/sandbox/services/audit/audit-index';
import { searchAuditEvents } from '../../../src-main/sandbox/services/audit/audit-search';
import { searchTasks } from '../../../src-main/sandbox/services/audit/task-search';

const BASE = 'https://sandbox.test/audit/FHIR/R4';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ORGS = ['C81007', 'RX9'];
const USERS = ['555000000401', '555000000402', '555000000403'];
const PATIENTS = ['9990000018', '9990000026', '9990000034'];
const ENCOUNTERS = ['enc-1', 'enc-2', 'enc-3', 'enc-4'];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

let n = 0;
/** A random event; times on a few minutes only, so many share a `recorded` (ties ordered by id). */
function randomEvent(id?: string): AuditEvent {
  const actor: AuditActor = {
    userId: pick(USERS),
    displayName: 'Someone',
    urid: 'urid-1',
    roleCode: 'R8000',
    orgCode: pick(ORGS),
    workstationId: 'WS-1',
  };
  const patient = { nhsNumber: pick(PATIENTS) };
  const encounterId = pick(ENCOUNTERS);
  const kind = pick(['emergency', 'legal', 'lr', 'read', 'read', 'login'] as const);
  const entry: AuditEntry =
    kind === 'emergency'
      ? { kind: 'emergency-override', actor, patient, reasonCode: 5, reasonText: 'x', encounterId }
      : kind === 'legal'
        ? { kind: 'legal-override', actor, patient, reasonCode: 3, reasonText: 'x', encounterId }
        : kind === 'lr'
          ? { kind: 'lr-self-claim', actor, patient, reason: 'other', reasonText: 'x', encounterId }
          : kind === 'read'
            ? {
                kind: 'record-read',
                actor,
                patient,
                record: 'scr-core',
                sections: ['medications'],
                purpose: 'TREAT',
                encounterId,
              }
            : { kind: 'login', actor, outcome: 'success' };
  const uuid = id ?? `0a0d17e0-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const minute = Math.floor(rand() * 6);
  const recorded = `2026-11-0${1 + Math.floor(rand() * 3)}T10:0${minute}:00.000Z`;
  return JSON.parse(
    JSON.stringify(buildAuditEvent(entry, { uuid, recorded, machineName: 'ws-1' })),
  ) as AuditEvent;
}

function reviewTask(alertId: string, code: ReviewStatusCode, owner?: string): Task {
  return {
    resourceType: 'Task',
    status: TASK_STATUS[code],
    intent: 'order',
    code: { coding: [{ system: REVIEW_TASK_CODE, code: 'alert-review' }] },
    businessStatus: { coding: [{ system: REVIEW_STATUS_SYSTEM, code }] },
    focus: { reference: `AuditEvent/${alertId}` },
    ...(owner ? { owner: { identifier: { system: SDS_USER_ID, value: owner }, display: 'Officer' } } : {}),
    lastModified: '2026-11-05T09:00:00.000Z',
  } as Task;
}

/** The repository as the tests leave it, written every way a write can reach it. */
async function populated(): Promise<{ repo: SandboxRepository; index: AuditIndex }> {
  const repo = new SandboxRepository();
  // Before the index: built from what is there.
  for (let i = 0; i < 120; i++) repo.adoptVersion(randomEvent());
  const index = new AuditIndex(repo);
  // After: observed, through every write method.
  for (let i = 0; i < 200; i++) repo.adoptVersion(randomEvent());
  for (let i = 0; i < 40; i++) await repo.createResource(randomEvent());
  const ids = repo.idsOf('AuditEvent');
  // Rewritten: another time, kind and organisation under the same id.
  for (let i = 0; i < 60; i++) repo.adoptVersion(randomEvent(pick(ids)));
  for (let i = 0; i < 10; i++) await repo.updateResource(randomEvent(pick(ids)));
  for (let i = 0; i < 5; i++) await repo.deleteResource('AuditEvent', pick(repo.idsOf('AuditEvent')));
  // Tasks on a share of the alerts, some changed after.
  const alerts = repo
    .idsOf('AuditEvent')
    .filter((id) => (repo.currentOf('AuditEvent', id) as AuditEvent).type?.code === '110113');
  for (const [i, id] of alerts.entries()) {
    if (i % 2 === 0) continue;
    const code = pick(REVIEW_STATUSES);
    const owner = rand() < 0.5 ? pick(USERS) : undefined;
    const t =
      i % 3 === 0
        ? await repo.createResource(reviewTask(id, code, owner))
        : repo.adoptVersion({ ...reviewTask(id, code, owner), id: `task-${i}` });
    if (i % 5 === 0) await repo.updateResource({ ...reviewTask(id, pick(REVIEW_STATUSES)), id: t.id });
  }
  return { repo, index };
}

/* ---- What the searches must answer, computed plainly from the repository. ---- */

const current = (repo: SandboxRepository) =>
  repo.idsOf('AuditEvent').map((id) => repo.currentOf('AuditEvent', id) as AuditEvent);

function taskOf(repo: SandboxRepository, alertId: string): Task | undefined {
  return repo
    .idsOf('Task')
    .map((id) => repo.currentOf('Task', id) as Task)
    .find((t) => t.focus?.reference === `AuditEvent/${alertId}`);
}

function expected(
  repo: SandboxRepository,
  org: string,
  keep: (e: AuditEvent) => boolean,
  o: { descending?: boolean; count?: number; offset?: number } = {},
): { ids: string[]; total: number } {
  const t = (e: AuditEvent) => Date.parse(e.recorded ?? '');
  const all = current(repo)
    .filter((e) => eventOrganisation(e) === org && keep(e))
    .sort(
      (a, b) =>
        (o.descending === false ? 1 : -1) * (t(a) - t(b)) || ((a.id as string) < (b.id as string) ? -1 : 1),
    );
  const offset = o.offset ?? 0;
  return { ids: all.slice(offset, offset + (o.count ?? 50)).map((e) => e.id as string), total: all.length };
}

const hasCode = (
  codings: readonly { system?: string; code?: string }[] | undefined,
  system: string,
  code: string,
) => (codings ?? []).some((c) => c.system === system && c.code === code);
const agentIds = (e: AuditEvent) => (e.agent ?? []).map((a) => a.who?.identifier);
const entityIds = (e: AuditEvent) => (e.entity ?? []).map((x) => x.what?.identifier);
const statusOf = (repo: SandboxRepository, e: AuditEvent) =>
  taskOf(repo, e.id as string)?.businessStatus?.coding?.[0]?.code ?? 'new';

const EMERGENCY = { system: DCM, code: '110127' };
const LOCAL = 'https://stethoscope.example/fhir/CodeSystem/audit-event-subtype';

function search(index: AuditIndex, org: string, query: string): Bundle {
  return searchAuditEvents(index, new URLSearchParams(query), org, BASE);
}
const matchIds = (b: Bundle) =>
  (b.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id);

describe('audit repository index and searches', () => {
  it('answers AuditEvent searches as a plain filter, sort and slice of the current events would', async () => {
    const { repo, index } = await populated();
    const cases: [
      string,
      (e: AuditEvent) => boolean,
      { descending?: boolean; count?: number; offset?: number }?,
    ][] = [
      ['', () => true],
      ['_sort=date&_count=500', () => true, { descending: false, count: 500 }],
      ['_count=7&_offset=14', () => true, { count: 7, offset: 14 }],
      [`type=${DCM}|110113`, (e) => hasCode([e.type ?? {}], DCM, '110113')],
      ['type=110113', (e) => e.type?.code === '110113'],
      [
        `subtype=${EMERGENCY.system}|${EMERGENCY.code},${LOCAL}|legal-override,${LOCAL}|lr-self-claim&_count=500`,
        (e) =>
          hasCode(e.subtype, EMERGENCY.system, EMERGENCY.code) ||
          hasCode(e.subtype, LOCAL, 'legal-override') ||
          hasCode(e.subtype, LOCAL, 'lr-self-claim'),
        { count: 500 },
      ],
      [
        `subtype=${LOCAL}|legal-override&subtype=${LOCAL}|lr-self-claim`,
        (e) => hasCode(e.subtype, LOCAL, 'legal-override') && hasCode(e.subtype, LOCAL, 'lr-self-claim'),
      ],
      [
        `agent:identifier=${SDS_USER_ID}|${USERS[0]}&_sort=date`,
        (e) => agentIds(e).some((i) => i?.system === SDS_USER_ID && i.value === USERS[0]),
        { descending: false },
      ],
      [
        `agent=${USERS[1]},${USERS[2]}`,
        (e) => agentIds(e).some((i) => i?.value === USERS[1] || i?.value === USERS[2]),
      ],
      [
        `agent:identifier=${ODS_CODE_SYSTEM}|C81007&type=${DCM}|110113`,
        (e) =>
          agentIds(e).some((i) => i?.system === ODS_CODE_SYSTEM && i.value === 'C81007') &&
          hasCode([e.type ?? {}], DCM, '110113'),
      ],
      [
        `entity:identifier=${ENCOUNTER_ID_SYSTEM}|enc-2&_sort=date&_count=500`,
        (e) => entityIds(e).some((i) => i?.system === ENCOUNTER_ID_SYSTEM && i.value === 'enc-2'),
        { descending: false, count: 500 },
      ],
      [
        `patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${PATIENTS[0]}&date=ge2026-11-02`,
        (e) =>
          entityIds(e).some((i) => i?.value === PATIENTS[0]) &&
          Date.parse(e.recorded ?? '') >= Date.parse('2026-11-02T00:00:00Z'),
      ],
      [
        'date=2026-11-02&date=lt2026-11-02T10:03:00Z',
        (e) => (e.recorded ?? '') >= '2026-11-02' && (e.recorded ?? '') < '2026-11-02T10:03',
      ],
      [
        `type=${DCM}|110113&review-status=new`,
        (e) => e.type?.code === '110113' && statusOf(repo, e) === 'new',
      ],
      ['review-status=open,escalated', (e) => ['open', 'escalated'].includes(statusOf(repo, e))],
      [
        'review-status=new,closed-appropriate&_count=3&_offset=3',
        (e) => ['new', 'closed-appropriate'].includes(statusOf(repo, e)),
        { count: 3, offset: 3 },
      ],
      [
        `review-status=${REVIEW_STATUS_SYSTEM}|under-investigation&agent=${USERS[0]}`,
        (e) => statusOf(repo, e) === 'under-investigation' && agentIds(e).some((i) => i?.value === USERS[0]),
      ],
    ];
    for (const org of ORGS)
      for (const [query, keep, o] of cases) {
        const want = expected(repo, org, keep, o);
        const b = search(index, org, query);
        expect({ ids: matchIds(b), total: b.total }, `${org} ${query}`).toEqual(want);
        const counted = search(index, org, `${query}${query ? '&' : ''}_summary=count`);
        expect(counted.total, `${org} ${query} count`).toBe(want.total);
        expect(counted.entry).toBeUndefined();
      }
    // A few named events, newest first; another organisation's among them is left out.
    const some = current(repo).slice(0, 30);
    const named = some.map((e) => e.id as string);
    const want = expected(repo, 'C81007', (e) => named.includes(e.id as string));
    expect(matchIds(search(index, 'C81007', `_id=${named.join(',')}`))).toEqual(want.ids);
  });

  it('adds each matched alert’s Task after the page’s matches, and nothing else', async () => {
    const { repo, index } = await populated();
    const b = search(index, 'C81007', `type=${DCM}|110113&_count=10&_offset=2&_revinclude=Task:focus`);
    const page = matchIds(b);
    const included = (b.entry ?? []).filter((e) => e.search?.mode === 'include');
    expect(b.entry?.slice(0, page.length).every((e) => e.search?.mode === 'match')).toBe(true);
    const want = page.map((id) => taskOf(repo, id as string)).filter((t) => t !== undefined);
    expect(want.length).toBeGreaterThan(0);
    expect(included.map((e) => e.resource)).toEqual(want);
    expect(included.map((e) => e.fullUrl)).toEqual(want.map((t) => `${BASE}/Task/${t.id}`));
  });

  it('searches Tasks of the organisation only, counting and paging after scoping', async () => {
    const { repo, index } = await populated();
    const tasks = repo.idsOf('Task').map((id) => repo.currentOf('Task', id) as Task);
    const orgOf = (t: Task) => {
      const e = repo.currentOf('AuditEvent', t.focus?.reference?.slice(11) ?? '') as AuditEvent | undefined;
      return e ? eventOrganisation(e) : undefined;
    };
    for (const org of ORGS) {
      const mine = tasks
        .filter((t) => orgOf(t) === org)
        .sort((a, b) =>
          (b.meta?.lastUpdated ?? '') < (a.meta?.lastUpdated ?? '')
            ? -1
            : (b.meta?.lastUpdated ?? '') > (a.meta?.lastUpdated ?? '')
              ? 1
              : (a.id as string) < (b.id as string)
                ? -1
                : 1,
        );
      expect(mine.length).toBeGreaterThan(3);
      expect(mine.length).toBeLessThan(tasks.length);
      const q = (query: string) => searchTasks(index, new URLSearchParams(query), org, BASE);
      const page = q('_count=3&_offset=1');
      expect(page.total).toBe(mine.length);
      expect(page.entry?.map((e) => e.resource?.id)).toEqual(mine.slice(1, 4).map((t) => t.id));
      expect(q('_summary=count').total).toBe(mine.length);
      const open = mine.filter((t) =>
        ['open', 'escalated'].includes(t.businessStatus?.coding?.[0]?.code ?? ''),
      );
      expect(q('business-status=open,escalated&_count=500').entry?.map((e) => e.resource?.id)).toEqual(
        open.map((t) => t.id),
      );
      const owned = mine.filter((t) => t.owner?.identifier?.value === USERS[0]);
      expect(q(`owner=${USERS[0]}&_count=500`).entry?.map((e) => e.resource?.id)).toEqual(
        owned.map((t) => t.id),
      );
      const first = mine[0] as Task;
      expect(q(`focus=${first.focus?.reference}`).entry?.map((e) => e.resource?.id)).toEqual([first.id]);
    }
  });

  it('refuses what it does not know with a 400 naming the parameter', async () => {
    const { index } = await populated();
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ServiceError ? `${e.status} ${e.message}` : String(e);
      }
      return 'answered';
    };
    for (const [query, words] of [
      ['review-status=done', 'review-status must be one of new'],
      ['review-status=https://example.org|new', 'review-status codes are of the system'],
      ['_revinclude=Task:owner', '_revinclude supports Task:focus'],
      ['_summary=text', '_summary supports count'],
      ['_id=a b', '_id must be FHIR ids'],
      ['_count=501', '_count must be 1 to 500'],
      ['colour=blue', 'Unknown parameter colour'],
    ] as const)
      expect(
        refusal(() => search(index, 'C81007', query)),
        query,
      ).toContain(`400 ${words}`);
    for (const [query, words] of [
      ['business-status=done', 'business-status must be one of new'],
      ['owner=https://example.org|1', "owner is the owner's SDS user id"],
      ['_sort=date', '_sort supports _lastUpdated and -_lastUpdated'],
      ['focus=Patient/1', 'focus must be AuditEvent/{id}'],
    ] as const)
      expect(
        refusal(() => searchTasks(index, new URLSearchParams(query), 'C81007', BASE)),
        query,
      ).toContain(`400 ${words}`);
  });
});
