/**
 * The audit repository client (docs/specs/privacy-officer.md, "Where alerts live"): FHIR search of AuditEvents
 * (alert types, organisation, user, dates, review status, paging) and the review Task of each alert, created once
 * (conditional create) and changed only with If-Match, so a change made on a stale version comes back as the
 * newer state instead of overwriting it. Every call goes through the ServiceClient: the officer's card-signed
 * token, the NHS request headers, plain-word refusals naming "the audit repository".
 */
import { z } from 'zod';
import type { AlertType } from '../../../src-shared/ipc/channels/review';
import { ENCOUNTER_ID_SYSTEM } from '../../audit/events/parts';
import {
  REVIEW_STATUSES,
  StoredReviewTask,
  taskFocusId,
  type ReviewStatusCode,
  type ReviewTaskBody,
} from '../../domain/review-task';
import { Refusal } from '../../domain/errors';
import { Searchset } from '../../records/remote/fhir-answers';
import { RecordShapeError } from '../../records/remote-shape';
import type { ServiceClient } from '../../records/remote/service-client';
import type { SourceContext } from '../../records/source/types';
import { alertSubtypeParam, RepositoryEvent } from './alert-event';

export interface AlertSearch {
  types: readonly AlertType[];
  status?: ReviewStatusCode | undefined;
  org?: string | undefined;
  user?: string | undefined;
  /** Inclusive UTC days, YYYY-MM-DD. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface AlertPage {
  total: number;
  events: RepositoryEvent[];
  /** The review Task of each alert on the page that has one, by alert id. */
  tasks: Map<string, StoredReviewTask>;
}

export type TaskWrite =
  | { ok: true; task: StoredReviewTask }
  /** Someone else wrote first: nothing was written; this is the newer Task. */
  | { ok: false; current: StoredReviewTask };

export interface AuditRepositoryClient {
  /** One page of alerts, newest first, with their Tasks. */
  alerts(q: AlertSearch, page: { count: number; offset: number }, ctx: SourceContext): Promise<AlertPage>;
  /** How many alerts match (no entries fetched). */
  countAlerts(q: AlertSearch, ctx: SourceContext): Promise<number>;
  /** How many alerts match under each review status, in one request (`$review-counts`). */
  countByStatus(q: AlertSearch, ctx: SourceContext): Promise<Record<ReviewStatusCode, number>>;
  /** Every alert matching, all pages (reports, sampling); refused past `limit`. */
  allAlerts(q: AlertSearch, ctx: SourceContext, limit?: number): Promise<RepositoryEvent[]>;
  /**
   * The same alerts as JSON, checked only as AuditEvents of a searchset: for a reader that checks every element
   * it uses with its own schema (the reports: reports/event-schema.ts), so nothing is parsed twice.
   */
  allAlertResources(q: AlertSearch, ctx: SourceContext, limit?: number): Promise<unknown[]>;
  event(id: string, ctx: SourceContext): Promise<RepositoryEvent | null>;
  /** One event with its review Task, in one request (`_id` with `_revinclude=Task:focus`). */
  eventWithTask(
    id: string,
    ctx: SourceContext,
  ): Promise<{ event: RepositoryEvent; task: StoredReviewTask | null } | null>;
  /** Every event recorded under an encounter id (the reads made under an override), oldest first. */
  encounterEvents(encounterId: string, ctx: SourceContext): Promise<RepositoryEvent[]>;
  taskFor(alertId: string, ctx: SourceContext): Promise<StoredReviewTask | null>;
  /** Creates the alert's Task unless it has one; `ok: false` with the existing one when someone was first. */
  createTask(body: ReviewTaskBody, ctx: SourceContext): Promise<TaskWrite>;
  /** Writes a new version over `version` (If-Match); `ok: false` with the newer Task when it is stale. */
  updateTask(task: StoredReviewTask, version: string, ctx: SourceContext): Promise<TaskWrite>;
}

const PAGE_MAX = 500;
/** Most alerts a report or a sample reads at once. */
export const ALL_ALERTS_LIMIT = 100_000;
/** Most events one encounter holds (an override with more is refused rather than shown cut short). */
const ENCOUNTER_EVENTS_MAX = 500;

function searchQuery(q: AlertSearch): Record<string, string> {
  const query: Record<string, string> = { subtype: alertSubtypeParam(q.types) };
  if (q.status) query['review-status'] = q.status;
  if (q.org) query['agent:identifier'] = `https://fhir.nhs.uk/Id/ods-organization-code|${q.org}`;
  if (q.user) query['agent'] = `https://fhir.nhs.uk/Id/sds-user-id|${q.user}`;
  return query;
}

/** Date filters repeat the `date` parameter (and), which a plain record cannot hold: added to the URL path. */
function datePath(q: AlertSearch): string {
  const parts: string[] = [];
  if (q.from) parts.push(`date=ge${q.from}`);
  if (q.to) parts.push(`date=le${q.to}`);
  return parts.length ? `AuditEvent?${parts.join('&')}` : 'AuditEvent';
}

interface ParsedSet {
  total: number | undefined;
  events: RepositoryEvent[];
  tasks: StoredReviewTask[];
  next: string | null;
}

function readSet(json: unknown): ParsedSet {
  const set = Searchset.parse(json);
  const events: RepositoryEvent[] = [];
  const tasks: StoredReviewTask[] = [];
  for (const e of set.entry) {
    const type = e.resource.resourceType;
    if (type === 'AuditEvent' && e.search?.mode !== 'include') events.push(RepositoryEvent.parse(e.resource));
    else if (type === 'Task') tasks.push(StoredReviewTask.parse(e.resource));
    else if (type !== 'OperationOutcome')
      throw new RecordShapeError('wrong-type', 'an AuditEvent search answered another type');
  }
  return { total: set.total, events, tasks, next: set.link?.find((l) => l.relation === 'next')?.url ?? null };
}

/** A searchset's AuditEvents, unparsed: the shape of the Bundle is checked, the events are the caller's to check. */
function readRawSet(json: unknown): { events: unknown[]; next: string | null } {
  const bad = (why: string) => new RecordShapeError('wrong-type', why);
  const b = json as { resourceType?: unknown; type?: unknown; entry?: unknown; link?: unknown } | null;
  if (typeof b !== 'object' || b === null || b.resourceType !== 'Bundle' || b.type !== 'searchset')
    throw bad('not a searchset Bundle');
  const entries = b.entry ?? [];
  if (!Array.isArray(entries)) throw bad('entry is not a list');
  const events: unknown[] = [];
  for (const e of entries as { resource?: { resourceType?: unknown }; search?: { mode?: unknown } }[]) {
    if (typeof e !== 'object' || e === null || typeof e.resource !== 'object' || e.resource === null)
      throw bad('an entry without a resource');
    if (e.search?.mode === 'include') continue;
    if (e.resource.resourceType !== 'AuditEvent') throw bad('an AuditEvent search answered another type');
    events.push(e.resource);
  }
  const links = b.link ?? [];
  if (!Array.isArray(links)) throw bad('link is not a list');
  const next = (links as { relation?: unknown; url?: unknown }[]).find((l) => l?.relation === 'next')?.url;
  if (next !== undefined && typeof next !== 'string') throw bad('a next link without a URL');
  return { events, next: next ?? null };
}

const Count = z.looseObject({ resourceType: z.literal('Bundle'), total: z.number().int().min(0) });
const Counts = z.looseObject({
  resourceType: z.literal('Parameters'),
  parameter: z
    .array(z.looseObject({ name: z.enum(REVIEW_STATUSES), valueInteger: z.number().int().min(0) }))
    .length(REVIEW_STATUSES.length),
});

/** `$review-counts` is an operation on the type: its path, with the date filters as repeated parameters. */
function countsPath(q: AlertSearch): string {
  const path = datePath(q);
  return path.replace(/^AuditEvent/, 'AuditEvent/$review-counts');
}

export function createAuditRepositoryClient(client: ServiceClient): AuditRepositoryClient {
  const search = async (
    path: string,
    query: Record<string, string>,
    ctx: SourceContext,
  ): Promise<ParsedSet> => {
    const answer = await client.call({ method: 'GET', path, query, expect: readSet }, ctx);
    if (!answer.ok) throw new Error('unreachable: non-2xx answers are refused by the service client');
    return answer.value;
  };

  /** Follows `next` links below the base URL (a link elsewhere is refused: it would send the token there). */
  const followNext = (url: string): { path: string; query: Record<string, string> } => {
    if (!url.startsWith(`${client.baseUrl}/`))
      throw new Refusal(
        'unavailable',
        'The audit repository sent a link to somewhere else. Nothing was shown. Tell your IT service desk.',
        { service: 'audit', reason: 'bad-answer' },
      );
    const u = new URL(url);
    const path = u.pathname.slice(new URL(client.baseUrl).pathname.length + 1);
    const query: Record<string, string> = {};
    const repeated: string[] = [];
    for (const [k, v] of u.searchParams) {
      if (k in query) repeated.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
      else query[k] = v;
    }
    return { path: repeated.length ? `${path}?${repeated.join('&')}` : path, query };
  };

  const readTask = (json: unknown) => StoredReviewTask.parse(json);

  return {
    async alerts(q, page, ctx) {
      const set = await search(
        datePath(q),
        {
          ...searchQuery(q),
          _sort: '-date',
          _count: String(page.count),
          _offset: String(page.offset),
          _revinclude: 'Task:focus',
        },
        ctx,
      );
      const tasks = new Map<string, StoredReviewTask>();
      for (const t of set.tasks) {
        const focus = taskFocusId(t);
        if (focus) tasks.set(focus, t);
      }
      return { total: set.total ?? set.events.length, events: set.events, tasks };
    },

    async countAlerts(q, ctx) {
      const answer = await client.call(
        {
          method: 'GET',
          path: datePath(q),
          query: { ...searchQuery(q), _summary: 'count' },
          expect: (json) => Count.parse(json).total,
        },
        ctx,
      );
      return answer.ok ? answer.value : 0;
    },

    async countByStatus(q, ctx) {
      const { status: _ignored, ...rest } = q;
      const answer = await client.call(
        {
          method: 'GET',
          path: countsPath(rest),
          query: searchQuery(rest),
          expect: (json) => {
            const c = Counts.parse(json);
            const out = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, -1])) as Record<
              ReviewStatusCode,
              number
            >;
            for (const p of c.parameter) out[p.name] = p.valueInteger;
            if (Object.values(out).some((n) => n < 0))
              throw new RecordShapeError('wrong-type', 'a status count is missing');
            return out;
          },
        },
        ctx,
      );
      if (!answer.ok) throw new Error('unreachable: non-2xx answers are refused by the service client');
      return answer.value;
    },

    async allAlerts(q, ctx, limit = ALL_ALERTS_LIMIT) {
      const out: RepositoryEvent[] = [];
      let set = await search(
        datePath(q),
        { ...searchQuery(q), _sort: 'date', _count: String(PAGE_MAX) },
        ctx,
      );
      for (;;) {
        out.push(...set.events);
        if (out.length > limit)
          throw new Refusal('unavailable', `More than ${limit} alerts match: choose a shorter period.`, {
            service: 'audit',
            reason: 'too-many',
          });
        if (!set.next) return out;
        const n = followNext(set.next);
        set = await search(n.path, n.query, ctx);
      }
    },

    async allAlertResources(q, ctx, limit = ALL_ALERTS_LIMIT) {
      const page = async (path: string, query: Record<string, string>) => {
        const answer = await client.call({ method: 'GET', path, query, expect: readRawSet }, ctx);
        if (!answer.ok) throw new Error('unreachable: non-2xx answers are refused by the service client');
        return answer.value;
      };
      const out: unknown[] = [];
      let set = await page(datePath(q), { ...searchQuery(q), _sort: 'date', _count: String(PAGE_MAX) });
      for (;;) {
        for (const e of set.events) out.push(e);
        if (out.length > limit)
          throw new Refusal('unavailable', `More than ${limit} alerts match: choose a shorter period.`, {
            service: 'audit',
            reason: 'too-many',
          });
        if (!set.next) return out;
        const n = followNext(set.next);
        set = await page(n.path, n.query);
      }
    },

    async event(id, ctx) {
      const answer = await client.call(
        { method: 'GET', path: `AuditEvent/${id}`, expect: RepositoryEvent, passThrough: [404] },
        ctx,
      );
      return answer.ok ? answer.value : null;
    },

    async eventWithTask(id, ctx) {
      const set = await search('AuditEvent', { _id: id, _revinclude: 'Task:focus' }, ctx);
      const event = set.events.find((e) => e.id === id);
      if (!event) return null;
      const tasks = set.tasks.filter((t) => taskFocusId(t) === id);
      if (tasks.length > 1)
        throw new Refusal(
          'unavailable',
          'The audit repository holds two reviews of this alert. Nothing was changed. Tell your IT service desk.',
          { service: 'audit', reason: 'duplicate-review' },
        );
      return { event, task: tasks[0] ?? null };
    },

    async encounterEvents(encounterId, ctx) {
      const set = await search(
        'AuditEvent',
        {
          'entity:identifier': `${ENCOUNTER_ID_SYSTEM}|${encounterId}`,
          _sort: 'date',
          _count: String(ENCOUNTER_EVENTS_MAX),
        },
        ctx,
      );
      if (set.next)
        throw new Refusal(
          'unavailable',
          `This override has more than ${ENCOUNTER_EVENTS_MAX} events: the audit repository cannot show them on one screen. Tell your IT service desk.`,
          { service: 'audit', reason: 'too-large' },
        );
      return set.events;
    },

    async taskFor(alertId, ctx) {
      const set = await search('Task', { focus: `AuditEvent/${alertId}` }, ctx);
      if (set.tasks.length > 1)
        throw new Refusal(
          'unavailable',
          'The audit repository holds two reviews of this alert. Nothing was changed. Tell your IT service desk.',
          { service: 'audit', reason: 'duplicate-review' },
        );
      return set.tasks[0] ?? null;
    },

    async createTask(body, ctx) {
      const answer = await client.call(
        {
          method: 'POST',
          path: 'Task',
          body,
          headers: { 'if-none-exist': `focus=${body.focus.reference}` },
          expect: readTask,
        },
        ctx,
      );
      if (!answer.ok) throw new Error('unreachable: non-2xx answers are refused by the service client');
      // 200: the alert already had a review (someone else was first); nothing was created.
      return answer.status === 201 ? { ok: true, task: answer.value } : { ok: false, current: answer.value };
    },

    async updateTask(task, version, ctx) {
      const answer = await client.call(
        {
          method: 'PUT',
          path: `Task/${task.id}`,
          body: task,
          headers: { 'if-match': `W/"${version}"` },
          expect: readTask,
          passThrough: [412],
        },
        ctx,
      );
      if (answer.ok) return { ok: true, task: answer.value };
      const current = await this.taskFor(taskFocusId(task) ?? '', ctx);
      if (!current)
        throw new Refusal('unavailable', 'The review of this alert has gone from the audit repository.', {
          service: 'audit',
          reason: 'bad-answer',
        });
      return { ok: false, current };
    },
  };
}
