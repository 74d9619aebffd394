/**
 * The organisation's audit repository (docs/specs/privacy-officer.md, "Where alerts live"):
 *   PUT  AuditEvent/{uuid}   an event delivered by a workstation, stored under its UUID (update-as-create:
 *                            a resend after a lost reply writes a new version of the same resource, never a
 *                            second event); 201 the first time, 200 after
 *   POST [base]              a batch Bundle of such PUTs (the FHIR transport's default), answered entry by entry
 *   POST AuditEvent          405: a server-chosen id would make a resend a duplicate
 *   GET  AuditEvent?...      the privacy officer's search (audit-search.ts); GET AuditEvent/{id}
 *   Task                     review state per alert: POST to create, PUT with If-Match to change (412 when
 *                            stale), GET reads, searches and _history through the router
 * Writes of AuditEvents are the workstation's delivery: its client certificate (mutual TLS) authenticates it and
 * no user token is needed (the shipper runs when nobody is signed in). Everything else needs the user's token
 * with B0015, B0016 or B0011 and is limited to events of the user's organisation; nobody may create or change the
 * review of an alert about their own access.
 */
import type { AuditEvent, Bundle, BundleEntry, Task } from '@medplum/fhirtypes';
import { z } from 'zod';
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
import { eventOrganisation, eventUser, searchAuditEvents } from './audit-search';
import { issuesText } from '../../../../src-shared/validation/issues';

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

export function createAuditService(store: FhirStore, o: AuditServiceOptions): RecordService {
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

  /** The alert a Task is about, in the reviewer's organisation and not about their own access. */
  async function checkTaskFocus(task: Task, user: VerifiedUser): Promise<void> {
    const ref = task.focus?.reference ?? '';
    const m = /^AuditEvent\/([A-Za-z0-9\-.]{1,64})$/.exec(ref);
    if (!m)
      throw badRequest('Task.focus must reference the AuditEvent under review', 'INVALID_VALUE', 'invalid');
    const event = store.repo.currentOf('AuditEvent', m[1] as string) as AuditEvent | undefined;
    if (!event || eventOrganisation(event) !== user.org)
      throw badRequest('Task.focus is not an alert of your organisation', 'INVALID_VALUE', 'invalid');
    if (eventUser(event) === user.userId) throw forbidden('You cannot review an alert about your own access');
  }

  async function task(req: ServiceRequest, id: string | undefined): Promise<ServiceAnswer> {
    const user = reviewer(req);
    if (req.method === 'POST' && !id) {
      const body = jsonBody(req) as Task;
      if (body?.resourceType !== 'Task') throw badRequest('Send a Task', 'INVALID_VALUE', 'invalid');
      await checkTaskFocus(body, user);
      const r = await store.call('POST', '/Task', {}, body);
      const created = r.body as Task;
      return resourceAnswer(
        r.status,
        r.body,
        r.status === 201 ? { location: `${req.baseUrl}/Task/${created.id}` } : {},
      );
    }
    if (req.method === 'PUT' && id) {
      const ifMatch = req.headers['if-match'];
      if (!ifMatch)
        throw new ServiceError(
          428,
          'required',
          'Send If-Match with the version you changed, e.g. W/"<versionId>"',
          'PRECONDITION_FAILED',
        );
      const body = jsonBody(req) as Task;
      if (body?.resourceType !== 'Task' || body.id !== id)
        throw badRequest('Send the Task with the id of the URL', 'INVALID_VALUE', 'invalid');
      const current = store.repo.currentOf('Task', id) as Task | undefined;
      if (!current) throw new ServiceError(404, 'not-found', `No Task ${id}`, 'RESOURCE_NOT_FOUND');
      await checkTaskFocus(current, user);
      if (body.focus?.reference !== current.focus?.reference)
        throw badRequest('A review cannot move to another alert', 'INVALID_VALUE', 'invalid');
      const r = await store.call('PUT', `/Task/${id}`, {}, body, { 'if-match': ifMatch });
      if (r.status === 412)
        throw new ServiceError(
          412,
          'conflict',
          'Someone else changed this review first: read it again',
          'PRECONDITION_FAILED',
        );
      return resourceAnswer(r.status, r.body);
    }
    throw new ServiceError(405, 'not-supported', `${req.method} is not allowed here`, 'UNSUPPORTED_SERVICE');
  }

  return {
    name: 'audit',
    needsUser: (method, path) =>
      !((method === 'POST' && path === '/') || (method === 'PUT' && /^\/AuditEvent\/[^/]+$/.test(path))),
    async handle(req) {
      const path = req.path;
      if (req.method === 'POST' && path === '/') return batch(req);
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
          return { status: 200, body: searchAuditEvents(store, req.query, user.org, req.baseUrl) };
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

/** Leaves out of a Task answer (one Task or a Bundle of them) the reviews of other organisations' alerts. */
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
