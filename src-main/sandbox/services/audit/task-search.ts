/**
 * Task search for the privacy officer: the reviews of alerts of the officer's organisation (the organisation of
 * the Task's focus AuditEvent), scoped before counting and paging so `total` and the pages are the officer's own.
 *
 * Parameters:
 *   focus              AuditEvent/{id} (or the bare id), comma = or; repeat = and
 *   business-status    review status code or REVIEW_STATUS_SYSTEM|code (REVIEW_STATUSES), comma = or
 *   owner              the owner's SDS user id: value or https://fhir.nhs.uk/Id/sds-user-id|value, comma = or
 *   _sort              -_lastUpdated (default, newest change first) or _lastUpdated; ties by id
 *   _count (1-500, default 50), _offset, _summary=count
 * Evaluated here, not by medplum's search (FHIRPath per resource), over the Tasks the audit index knows.
 */
import type { Bundle, Task } from '@medplum/fhirtypes';
import { SDS_USER_ID, taskFocusId } from '../../../domain/review-task';
import { badRequest } from '../../http/outcome';
import type { AuditIndex } from './audit-index';
import { countOnly, FHIR_ID, intParam, reviewStatuses, single, taskStatus, tokens } from './search-params';

const PARAMS = new Set(['focus', 'business-status', 'owner', '_sort', '_count', '_offset', '_summary']);

type Test = (t: Task) => boolean;

function tests(q: URLSearchParams): Test[] {
  const out: Test[] = [];
  for (const [k, v] of q) {
    if (!PARAMS.has(k)) throw badRequest(`Unknown parameter ${k}`, 'ADDITIONAL_PROPERTIES', 'invalid');
    switch (k) {
      case 'focus': {
        const ids = new Set(
          v.split(',').map((ref) => {
            const id = /^(?:AuditEvent\/)?([^/]+)$/.exec(ref)?.[1];
            if (!id || !FHIR_ID.test(id)) throw badRequest('focus must be AuditEvent/{id}, comma separated');
            return id;
          }),
        );
        out.push((t) => ids.has(taskFocusId(t) ?? ''));
        break;
      }
      case 'business-status': {
        const w = reviewStatuses(k, v) as Set<string>;
        out.push((t) => w.has(taskStatus(t) ?? ''));
        break;
      }
      case 'owner': {
        const w = tokens(k, v);
        if (w.some((x) => x.system !== undefined && x.system !== SDS_USER_ID))
          throw badRequest(`owner is the owner's SDS user id (${SDS_USER_ID})`);
        const values = new Set(w.map((x) => x.code));
        out.push((t) => {
          const i = t.owner?.identifier;
          return i?.system === SDS_USER_ID && values.has(i.value ?? '');
        });
        break;
      }
    }
  }
  return out;
}

export function searchTasks(
  index: AuditIndex,
  q: URLSearchParams,
  org: string,
  baseUrl: string,
): Bundle<Task> {
  const sort = single(q, '_sort') ?? '-_lastUpdated';
  if (sort !== '_lastUpdated' && sort !== '-_lastUpdated')
    throw badRequest('_sort supports _lastUpdated and -_lastUpdated');
  const count = intParam(q, '_count', 50, 1, 500);
  const offset = intParam(q, '_offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const summaryCount = countOnly(q);
  const checks = tests(q);

  const matches: Task[] = [];
  for (const { alert, task } of index.allTasks()) {
    // The organisation first: another organisation's reviews are not counted, not paged, not seen.
    const event = alert === undefined ? undefined : index.event(alert);
    if (!event || event.org !== org) continue;
    if (checks.every((c) => c(task))) matches.push(task);
  }
  const total = matches.length;
  if (summaryCount)
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total,
      link: [{ relation: 'self', url: `${baseUrl}/Task?${q.toString()}` }],
    };
  const dir = sort === '_lastUpdated' ? 1 : -1;
  const key = (t: Task) => t.meta?.lastUpdated ?? '';
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  matches.sort((a, b) => dir * cmp(key(a), key(b)) || cmp(a.id ?? '', b.id ?? ''));
  const page = matches.slice(offset, offset + count);
  const link = (at: number) => {
    const p = new URLSearchParams(q);
    p.set('_count', String(count));
    p.set('_offset', String(at));
    return `${baseUrl}/Task?${p.toString()}`;
  };
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: [
      { relation: 'self', url: link(offset) },
      ...(offset + count < total ? [{ relation: 'next', url: link(offset + count) }] : []),
      ...(offset > 0 ? [{ relation: 'previous', url: link(Math.max(0, offset - count)) }] : []),
    ],
    entry: page.map((t) => ({ fullUrl: `${baseUrl}/Task/${t.id}`, resource: t, search: { mode: 'match' } })),
  };
}
