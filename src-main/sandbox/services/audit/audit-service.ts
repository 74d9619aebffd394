/**
 * The organisation's audit repository (docs/specs/privacy-officer.md, "Where alerts live"):
 *   PUT  AuditEvent/{uuid}   an event delivered by a workstation, stored under its UUID (update-as-create:
 *                            a resend after a lost reply writes a new version of the same resource, never a
 *                            second event); 201 the first time, 200 after
 *   POST [base]              a batch Bundle of such PUTs (the FHIR transport's default), answered entry by entry
 *   POST AuditEvent          405: a server-chosen id would make a resend a duplicate
 *   GET  AuditEvent?...      the privacy officer's search (audit-search.ts); GET AuditEvent/{id}
 *   GET  AuditEvent/$review-counts?...  how many match under each review status (Parameters), in one request
 *   POST Task                the review of one alert (ReviewTaskBody), one Task per alert: a second one is 409,
 *                            or 200 with the existing Task under If-None-Exist: focus=AuditEvent/{id}
 *   PUT  Task/{id}           with If-Match (428 without, 412 when stale); notes may only be appended
 *   GET  Task?...            search (task-search.ts); GET Task/{id}, Task/{id}/_history through the router
 * Searches use the audit index (audit-index.ts): events kept in time order per organisation and by type and
 * subtype, and each alert's Task by the alert's id, kept level with every write to the repository.
 * Writes of AuditEvents are the workstation's delivery: its client certificate (mutual TLS) authenticates it and
 * no user token is needed (the shipper runs when nobody is signed in). Everything else needs the user's token
 * with B0015, B0016 or B0011 and is limited to events of the user's organisation; nobody may create or change the
 * review of an alert about their own access.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Bundle, BundleEntry, Parameters, Task } from '@medplum/fhirtypes';
import { z } from 'zod';
import { REVIEW_STATUSES, ReviewTaskBody, taskFocusId } from '../../../domain/review-task';
import { Activities } from '../../../../src-shared/domain/rbac';
import { queryParams, type FhirStore } from '../../fhir/store';
import { badRequest, forbidden, operationOutcome, ServiceError } from '../../http/outcome';
import {
  jsonBody,
  resourceAnswer,
  type RecordService,
  type ServiceAnswer,
  type ServiceRequest,
} from '../../http/service';
import type { VerifiedUser } from '../../token-check';
import { issuesText } from '../../../../src-shared/validation/issues';
import { AuditIndex, eventOrganisation, eventUser } from './audit-index';
import { searchAuditEvents } from './audit-search';
import { searchTasks } from './task-search';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Enough of an AuditEvent to be one (full StructureDefinition validation costs ms per event, too slow here). */
const AuditEventBody = z.looseObject({
  resourceType: z.literal('AuditEvent'),
  id: z.string().regex(ID).optional(),
  type: z.looseObject({ code: z.string().min(1) }),
  recorded: z.iso.datetime({ offset: true }),
  agent: z.array(z.looseObject({ requestor: z.boolean() })).min(1),
  source: z.looseObject({ observer: z.looseObject({}) }),
});

export interface AuditServiceOptions {
  /** Event ids the repository refuses with 422 (fault injection: "this event breaks a business rule"). */
  refusedIds: ReadonlySet<string>;
}

interface WriteResult {
  status: number;
  body: unknown;
  location?: string;
}

/** The same JSON value (object keys in any order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/** The versionId an If-Match names: W/"<versionId>" or "<versionId>". */
function ifMatchVersion(header: string): string {
  const v = /^\s*(?:W\/)?"([^"]+)"\s*$/.exec(header)?.[1];
  if (!v) throw badRequest('If-Match must be W/"<versionId>"', 'INVALID_VALUE', 'value');
  return v;
}

export function createAuditService(store: FhirStore, o: AuditServiceOptions): RecordService {
  const index = new AuditIndex(store.repo);

  async function writeEvent(id: string, resource: unknown, baseUrl: string): Promise<WriteResult> {
    const parsed = AuditEventBody.safeParse(resource);
    if (!parsed.success) {
      return {
        status: 400,
        body: operationOutcome(
          'invalid',
          `Not an AuditEvent (${issuesText(parsed.error, { max: 1, whole: 'the body' })})`,
        ),
      };
    }
    if (parsed.data.id !== id)
      return { status: 400, body: operationOutcome('invalid', 'The resource id does not match the URL') };
    if (o.refusedIds.has(id))
      return {
        status: 422,
        body: operationOutcome('business-rule', `AuditEvent ${id} is refused by a repository rule`),
      };
    const existed = store.repo.currentOf('AuditEvent', id) !== undefined;
    // Straight to the repository (update-as-create), keeping the object parsed from this request: the router and
    // a defensive copy add nothing to a PUT by id but their cost, which a 50,000-event backlog multiplies.
    const stored = store.repo.adoptVersion(resource as AuditEvent);
    return {
      status: existed ? 200 : 201,
      body: stored,
      location: `${baseUrl}/AuditEvent/${id}/_history/${stored.meta?.versionId ?? ''}`,
    };
  }

  async function batch(req: ServiceRequest): Promise<ServiceAnswer> {
    const body = jsonBody(req) as Bundle;
    if (body?.resourceType !== 'Bundle' || body.type !== 'batch' || !Array.isArray(body.entry))
      throw badRequest('Send a batch Bundle of PUT AuditEvent/{id} entries', 'INVALID_VALUE', 'invalid');
    const entry: BundleEntry[] = [];
    for (const e of body.entry) {
      const m = /^AuditEvent\/([^/?]+)$/.exec(e.request?.url ?? '');
      const r: WriteResult =
        e.request?.method === 'PUT' && m && ID.test(m[1] as string)
          ? await writeEvent(m[1] as string, e.resource, req.baseUrl)
          : {
              status: 400,
              body: operationOutcome('invalid', 'Only PUT AuditEvent/{id} entries are accepted'),
            };
      entry.push({
        response: {
          status: r.status === 201 ? '201 Created' : r.status === 200 ? '200 OK' : String(r.status),
          ...(r.location ? { location: r.location } : {}),
          ...(r.status >= 400 ? { outcome: r.body as never } : {}),
        },
      });
    }
    return { status: 200, body: { resourceType: 'Bundle', type: 'batch-response', entry } };
  }

  function reviewer(req: ServiceRequest): VerifiedUser {
    const u = req.user;
    const may = [
      Activities.receiveOverrideAlerts,
      Activities.receiveSelfClaimedLrAlerts,
      Activities.viewLogsAndReports,
    ];
    if (!u || !u.activities.some((a) => (may as readonly string[]).includes(a)))
      throw forbidden('Your role may not read the audit repository (B0015, B0016 or B0011)');
    return u;
  }

  /** The alert a Task is about, in the reviewer's organisation and not about their own access: its id. */
  function checkTaskFocus(task: Task, user: VerifiedUser): string {
    const id = taskFocusId(task);
    if (!id)
      throw badRequest('Task.focus must reference the AuditEvent under review', 'INVALID_VALUE', 'invalid');
    const event = store.repo.currentOf('AuditEvent', id) as AuditEvent | undefined;
    if (!event || eventOrganisation(event) !== user.org)
      throw badRequest('Task.focus is not an alert of your organisation', 'INVALID_VALUE', 'invalid');
    if (eventUser(event) === user.userId) throw forbidden('You cannot review an alert about your own access');
    return id;
  }

  function reviewTask(body: unknown): Task {
    const parsed = ReviewTaskBody.safeParse(body);
    if (!parsed.success)
      throw badRequest(
        `Not a review Task (${issuesText(parsed.error, { max: 2, whole: 'the body' })})`,
        'INVALID_VALUE',
        'invalid',
      );
    return body as Task;
  }

  /** If-None-Exist, when sent, must be the conditional create of this alert's review: focus=AuditEvent/{id}. */
  function ifNoneExist(req: ServiceRequest, focusId: string): boolean {
    const h = req.headers['if-none-exist'];
    if (h === undefined) return false;
    const q = new URLSearchParams(h.replace(/^\?/, ''));
    const focus = q.getAll('focus');
    if (
      [...q.keys()].some((k) => k !== 'focus') ||
      focus.length !== 1 ||
      focus[0] !== `AuditEvent/${focusId}`
    )
      throw badRequest(
        `If-None-Exist must be focus=AuditEvent/${focusId}, the Task's own focus`,
        'INVALID_VALUE',
        'invalid',
      );
    return true;
  }

  function createTask(req: ServiceRequest, user: VerifiedUser): ServiceAnswer {
    const raw = jsonBody(req);
    const body = reviewTask(raw);
    const focusId = checkTaskFocus(body, user);
    const conditional = ifNoneExist(req, focusId);
    // Everything from here to the store is synchronous, so two POSTs for one alert cannot both create.
    const existing = index.taskOf(focusId);
    if (existing) {
      if (conditional)
        return resourceAnswer(200, existing, { location: `${req.baseUrl}/Task/${existing.id}` });
      throw new ServiceError(
        409,
        'conflict',
        'This alert already has a review: read it and change it with If-Match',
      );
    }
    // A create: the server chooses the id and the version (an id or meta in the body is not the client's to set).
    const { id: _id, meta: _meta, ...rest } = body;
    const created = store.repo.adoptVersion({ ...rest, id: randomUUID() } as Task);
    return resourceAnswer(201, created, { location: `${req.baseUrl}/Task/${created.id}` });
  }

  function updateTask(req: ServiceRequest, user: VerifiedUser, id: string): ServiceAnswer {
    const ifMatch = req.headers['if-match'];
    if (!ifMatch)
      throw new ServiceError(
        428,
        'required',
        'Send If-Match with the version you changed, e.g. W/"<versionId>"',
        'PRECONDITION_FAILED',
      );
    const version = ifMatchVersion(ifMatch);
    const body = reviewTask(jsonBody(req));
    if (body.id !== id) throw badRequest('Send the Task with the id of the URL', 'INVALID_VALUE', 'invalid');
    const current = store.repo.currentOf('Task', id) as Task | undefined;
    if (!current) throw new ServiceError(404, 'not-found', `No Task ${id}`, 'RESOURCE_NOT_FOUND');
    checkTaskFocus(current, user);
    if (body.focus?.reference !== current.focus?.reference)
      throw badRequest('A review cannot move to another alert', 'INVALID_VALUE', 'invalid');
    if (current.meta?.versionId !== version)
      throw new ServiceError(
        412,
        'conflict',
        'Someone else changed this review first: read it again',
        'PRECONDITION_FAILED',
      );
    const had = current.note ?? [];
    const now = body.note ?? [];
    if (now.length < had.length || had.some((n, i) => !sameJson(n, now[i])))
      throw badRequest('Notes cannot be changed or removed, only added', 'INVALID_VALUE', 'invalid');
    // Checked and stored in one synchronous step (no await since the version was read), so no other change can
    // come between the If-Match check and the write. The body was parsed from this request and nothing else holds it: kept as it is, not copied.
    const { meta: _meta, ...rest } = body;
    const updated = store.repo.adoptVersion(rest as Task);
    return resourceAnswer(200, updated);
  }

  function task(req: ServiceRequest, id: string | undefined): ServiceAnswer {
    const user = reviewer(req);
    if (req.method === 'POST' && !id) return createTask(req, user);
    if (req.method === 'PUT' && id) return updateTask(req, user, id);
    throw new ServiceError(405, 'not-supported', `${req.method} is not allowed here`, 'UNSUPPORTED_SERVICE');
  }

  return {
    name: 'audit',
    needsUser: (method, path) =>
      !((method === 'POST' && path === '/') || (method === 'PUT' && /^\/AuditEvent\/[^/]+$/.test(path))),
    async handle(req) {
      const path = req.path;
      if (req.method === 'POST' && path === '/') return batch(req);
      if (path === '/AuditEvent/$review-counts') {
        if (req.method !== 'GET')
          throw new ServiceError(405, 'not-supported', 'Use GET', 'UNSUPPORTED_SERVICE');
        const user = reviewer(req);
        return { status: 200, body: reviewCounts(index, req.query, user.org, req.baseUrl) };
      }
      const event = /^\/AuditEvent(?:\/([^/]+))?$/.exec(path);
      if (event && req.method === 'PUT' && event[1]) {
        const id = decodeURIComponent(event[1]);
        if (!ID.test(id)) throw badRequest('Not a FHIR id', 'INVALID_RESOURCE_ID', 'value');
        const r = await writeEvent(id, jsonBody(req), req.baseUrl);
        return {
          status: r.status,
          body: r.body,
          ...(r.location ? { headers: { location: r.location } } : {}),
        };
      }
      if (event && req.method === 'POST' && !event[1])
        throw new ServiceError(
          405,
          'not-supported',
          'Write AuditEvents with PUT AuditEvent/{event UUID}',
          'UNSUPPORTED_SERVICE',
        );
      if (event && req.method === 'GET') {
        const user = reviewer(req);
        if (!event[1])
          return { status: 200, body: searchAuditEvents(index, req.query, user.org, req.baseUrl) };
        const found = store.repo.currentOf('AuditEvent', decodeURIComponent(event[1])) as
          AuditEvent | undefined;
        if (!found || eventOrganisation(found) !== user.org)
          throw new ServiceError(
            404,
            'not-found',
            'No such AuditEvent in your organisation',
            'RESOURCE_NOT_FOUND',
          );
        return resourceAnswer(200, found);
      }
      const t = /^\/Task(?:\/([A-Za-z0-9\-.]{1,64}))?(\/_history(?:\/[A-Za-z0-9\-.]{1,64})?)?$/.exec(path);
      if (t && req.method === 'GET' && !t[1] && !t[2]) {
        const user = reviewer(req);
        return {
          status: 200,
          body: searchTasks(index, req.query, user.org, req.baseUrl),
        };
      }
      if (t && req.method === 'GET') {
        const user = reviewer(req);
        const r = await store.call('GET', path, queryParams(req.query));
        return resourceAnswer(r.status, scopeTasks(store, r.body, user.org));
      }
      if (t && !t[2]) return task(req, t[1]);
      throw new ServiceError(404, 'not-found', `The audit repository has no ${path}`, 'UNSUPPORTED_SERVICE');
    },
  };
}

/** A Task read or its _history (through the router) as 404 when it reviews another organisation's alert. */
function scopeTasks(store: FhirStore, body: unknown, org: string): unknown {
  const inScope = (t: Task) => {
    const id = /^AuditEvent\/(.+)$/.exec(t.focus?.reference ?? '')?.[1];
    const e = id ? (store.repo.currentOf('AuditEvent', id) as AuditEvent | undefined) : undefined;
    return e !== undefined && eventOrganisation(e) === org;
  };
  const b = body as { resourceType?: string; entry?: { resource?: Task }[] };
  if (b.resourceType === 'Task') {
    if (!inScope(body as Task))
      throw new ServiceError(404, 'not-found', 'No such Task in your organisation', 'RESOURCE_NOT_FOUND');
    return body;
  }
  if (b.resourceType === 'Bundle' && b.entry) {
    const entry = b.entry.filter(
      (e) => !e.resource || e.resource.resourceType !== 'Task' || inScope(e.resource),
    );
    return { ...b, entry };
  }
  return body;
}

/**
 * `GET AuditEvent/$review-counts?<AuditEvent search parameters>`: how many events match under each review status,
 * as a Parameters resource (one valueInteger per status code), in one request instead of one `_summary=count`
 * search per status. Any `review-status`, paging or sort parameter given is refused: the operation sets them.
 */
function reviewCounts(index: AuditIndex, q: URLSearchParams, org: string, baseUrl: string): Parameters {
  for (const k of ['review-status', '_count', '_offset', '_sort', '_summary', '_revinclude'])
    if (q.has(k)) throw badRequest(`$review-counts sets ${k} itself: leave it out`);
  return {
    resourceType: 'Parameters',
    parameter: REVIEW_STATUSES.map((status) => {
      const p = new URLSearchParams(q);
      p.set('review-status', status);
      p.set('_summary', 'count');
      return { name: status, valueInteger: searchAuditEvents(index, p, org, baseUrl).total ?? 0 };
    }),
  };
}
