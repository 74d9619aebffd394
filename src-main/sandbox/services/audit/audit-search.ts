/**
 * AuditEvent search for the privacy officer, over the repository's current events and always limited to the
 * officer's organisation (the event's organisation agent, ODS code).
 *
 * Parameters (FHIR R4 AuditEvent search, token and date syntax):
 *   type, subtype        code or system|code (AuditEvent.type, .subtype); repeat = and, comma = or
 *   date                 [eq|ge|gt|le|lt]instant-or-date on AuditEvent.recorded; repeat = and
 *   agent, agent:identifier      system|value or value of an agent's who.identifier (a user, an organisation,
 *                                a workstation)
 *   entity, entity:identifier, patient, patient:identifier   system|value or value of entity.what.identifier
 *   altid                the user's role profile id (agent.altId); outcome; action
 *   _id                  event ids, comma = or
 *   review-status        the businessStatus code of the alert's review Task (REVIEW_STATUSES, code or
 *                        REVIEW_STATUS_SYSTEM|code, comma = or); `new` also matches an event with no Task
 *   _sort=date | -date   (default -date, newest first); _count (1-500, default 50); _offset
 *   _summary=count       the total only: no entries, a self link
 *   _revinclude=Task:focus   after the page's matches, each matched event's review Task (search.mode include)
 * The parameters are evaluated here, not by medplum's in-memory search: that one runs FHIRPath for every event and
 * every sort comparison (about 0.9 s for 4,000 events on this machine) and cannot match references by identifier,
 * which is how workstations name users, organisations and patients. The events come from AuditIndex already in
 * time order, and each alert's Task from its index: a search starts from the smallest list an indexed parameter
 * gives (type, subtype, agent, entity, _id, or review statuses other than new), merges its alternatives in order,
 * and checks every parameter on those events only; no sort of all events, no scan of Tasks.
 */
import type { Bundle, BundleEntry, Coding, Resource } from '@medplum/fhirtypes';
import { badRequest } from '../../http/outcome';
import { compare, type AuditIndex, type EventEntry, type TokenField } from './audit-index';
import { countOnly, FHIR_ID, intParam, reviewStatuses, single, tokens, type Token } from './search-params';

export { eventOrganisation, eventUser } from './audit-index';

const PARAMS = new Set([
  'type',
  'subtype',
  'date',
  'agent',
  'agent:identifier',
  'entity',
  'entity:identifier',
  'patient',
  'patient:identifier',
  'altid',
  'outcome',
  'action',
  '_id',
  'review-status',
  '_sort',
  '_count',
  '_offset',
  '_summary',
  '_revinclude',
]);

type Test = (x: EventEntry) => boolean;

function tokenTest(wanted: readonly Token[], codings: readonly (Coding | undefined)[]): boolean {
  for (const w of wanted)
    for (const c of codings)
      if (c?.code === w.code && (w.system === undefined || (c.system ?? '') === w.system)) return true;
  return false;
}

function identifierTest(
  wanted: readonly Token[],
  ids: readonly ({ system?: string; value?: string } | undefined)[],
): boolean {
  for (const w of wanted)
    for (const i of ids)
      if (i?.value === w.code && (w.system === undefined || i.system === w.system)) return true;
  return false;
}

function dateTest(filter: string): Test {
  const m = /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?)$/.exec(filter);
  if (!m) throw badRequest(`date must be [eq|ge|gt|le|lt]YYYY-MM-DD or an instant, not ${filter}`);
  const op = m[1] ?? 'eq';
  const dayOnly = m[3] === undefined;
  const start = Date.parse(dayOnly ? `${m[2]}T00:00:00Z` : (m[2] as string));
  if (Number.isNaN(start)) throw badRequest(`date ${filter} is not a date`);
  // A day is the range [start, end); an instant is its own point. (An unreadable `recorded` is 0 in the index,
  // which AuditEventBody never lets in.)
  const end = dayOnly ? start + 86_400_000 : start + 1;
  switch (op) {
    case 'ge':
      return (x) => x.t >= start;
    case 'gt':
      return (x) => x.t >= end;
    case 'le':
      return (x) => x.t < end;
    case 'lt':
      return (x) => x.t < start;
    default:
      return (x) => x.t >= start && x.t < end;
  }
}

/** Where a search can start: events in ascending order, a superset of the matches. */
interface Source {
  size: number;
  list: () => readonly EventEntry[];
  /** The test every event of the list passes (it need not be checked again). */
  covers?: Test;
}

interface Plan {
  tests: Test[];
  sources: Source[];
}

/** Ascending lists merged into one, each event once. */
function merge(lists: readonly (readonly EventEntry[])[]): readonly EventEntry[] {
  const live = lists.filter((l) => l.length > 0);
  if (live.length === 0) return [];
  if (live.length === 1) return live[0] as readonly EventEntry[];
  const at = live.map(() => 0);
  const out: EventEntry[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < live.length; i++) {
      const x = (live[i] as readonly EventEntry[])[at[i] as number];
      if (
        x &&
        (best < 0 || compare(x, (live[best] as readonly EventEntry[])[at[best] as number] as EventEntry) < 0)
      )
        best = i;
    }
    if (best < 0) return out;
    const x = (live[best] as readonly EventEntry[])[at[best] as number] as EventEntry;
    at[best] = (at[best] as number) + 1;
    if (out[out.length - 1] !== x) out.push(x);
  }
}

function tokenSource(
  index: AuditIndex,
  org: string,
  field: TokenField,
  w: readonly Token[],
  covers: Test,
): Source {
  const lists = w.map((t) => index.eventsWith(org, field, t.system, t.code));
  return { size: lists.reduce((n, l) => n + l.length, 0), list: () => merge(lists), covers };
}

function plan(q: URLSearchParams, index: AuditIndex, org: string): Plan {
  const tests: Test[] = [];
  const sources: Source[] = [];
  const named: Set<string>[] = [];
  for (const [k, v] of q) {
    if (!PARAMS.has(k)) throw badRequest(`Unknown parameter ${k}`, 'ADDITIONAL_PROPERTIES', 'invalid');
    switch (k) {
      case 'type': {
        const w = tokens(k, v);
        const test: Test = (x) => tokenTest(w, [x.e.type]);
        tests.push(test);
        sources.push(tokenSource(index, org, 'type', w, test));
        break;
      }
      case 'subtype': {
        const w = tokens(k, v);
        const test: Test = (x) => tokenTest(w, x.e.subtype ?? []);
        tests.push(test);
        sources.push(tokenSource(index, org, 'subtype', w, test));
        break;
      }
      case 'date':
        tests.push(dateTest(v));
        break;
      case 'agent':
      case 'agent:identifier': {
        const w = tokens(k, v);
        const test: Test = (x) =>
          identifierTest(
            w,
            (x.e.agent ?? []).map((a) => a.who?.identifier),
          );
        tests.push(test);
        sources.push(tokenSource(index, org, 'agent', w, test));
        break;
      }
      case 'entity':
      case 'entity:identifier':
      case 'patient':
      case 'patient:identifier': {
        const w = tokens(k, v);
        const test: Test = (x) =>
          identifierTest(
            w,
            (x.e.entity ?? []).map((y) => y.what?.identifier),
          );
        tests.push(test);
        sources.push(tokenSource(index, org, 'entity', w, test));
        break;
      }
      case 'altid': {
        const w = v.split(',');
        tests.push((x) => w.some((a) => (x.e.agent ?? []).some((g) => g.altId === a)));
        break;
      }
      case 'outcome': {
        const w = v.split(',');
        tests.push((x) => w.includes(x.e.outcome ?? ''));
        break;
      }
      case 'action': {
        const w = v.split(',');
        tests.push((x) => w.includes(x.e.action ?? ''));
        break;
      }
      case '_id': {
        const w = v.split(',');
        if (w.some((id) => !FHIR_ID.test(id))) throw badRequest('_id must be FHIR ids, comma separated');
        named.push(new Set(w));
        break;
      }
      case 'review-status': {
        const w = reviewStatuses(k, v);
        const withoutTask = w.has('new');
        const test: Test = (x) => {
          const status = index.statusOf(x.id);
          return status === null ? withoutTask : (w as Set<string>).has(status);
        };
        tests.push(test);
        // Without `new`, only alerts with a Task can match: start from the Tasks with those statuses.
        if (!withoutTask)
          sources.push({
            size: index.taskCount,
            list: () => {
              const out: EventEntry[] = [];
              for (const r of index.allTasks()) {
                if (!(w as Set<string>).has(r.status) || r.alert === undefined) continue;
                const x = index.event(r.alert);
                if (x && x.org === org && index.reviewOf(r.alert) === r) out.push(x);
              }
              return out.sort(compare);
            },
            covers: test,
          });
        break;
      }
    }
  }
  const [first, ...others] = named;
  if (first) {
    const ids = [...first].filter((id) => others.every((o) => o.has(id)));
    sources.push({
      size: ids.length,
      list: () => {
        const out: EventEntry[] = [];
        for (const id of ids) {
          const x = index.event(id);
          if (x && x.org === org) out.push(x);
        }
        return out.sort(compare);
      },
    });
  }
  return { tests, sources };
}

/**
 * Calls `visit` with each of the organisation's events in the order asked (ties by id, ascending, either way)
 * until it answers false.
 */
function walk(list: readonly EventEntry[], descending: boolean, visit: (x: EventEntry) => boolean): void {
  if (!descending) {
    for (const x of list) if (!visit(x)) return;
    return;
  }
  let i = list.length - 1;
  while (i >= 0) {
    const t = (list[i] as EventEntry).t;
    let j = i;
    while (j > 0 && (list[j - 1] as EventEntry).t === t) j--;
    for (let k = j; k <= i; k++) if (!visit(list[k] as EventEntry)) return;
    i = j - 1;
  }
}

export function searchAuditEvents(
  index: AuditIndex,
  q: URLSearchParams,
  org: string,
  baseUrl: string,
): Bundle<Resource> {
  const sort = single(q, '_sort') ?? '-date';
  if (sort !== 'date' && sort !== '-date') throw badRequest('_sort supports date and -date');
  const count = intParam(q, '_count', 50, 1, 500);
  const offset = intParam(q, '_offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const summaryCount = countOnly(q);
  const revinclude = single(q, '_revinclude');
  if (revinclude !== null && revinclude !== 'Task:focus') throw badRequest('_revinclude supports Task:focus');
  const { tests, sources } = plan(q, index, org);
  // The smallest starting list; every test is still checked on each of its events.
  const all = index.eventsOf(org);
  const start = sources.reduce<Source>((a, b) => (b.size < a.size ? b : a), {
    size: all.length,
    list: () => all,
  });
  const list = start.list();
  const checks = tests.filter((t) => t !== start.covers);

  let total = 0;
  const page: EventEntry[] = [];
  walk(list, sort === '-date', (x) => {
    for (const test of checks) if (!test(x)) return true;
    if (!summaryCount && total >= offset && total < offset + count) page.push(x);
    total++;
    return true;
  });

  const link = (at: number) => {
    const p = new URLSearchParams(q);
    p.set('_count', String(count));
    p.set('_offset', String(at));
    return `${baseUrl}/AuditEvent?${p.toString()}`;
  };
  if (summaryCount)
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total,
      link: [{ relation: 'self', url: `${baseUrl}/AuditEvent?${q.toString()}` }],
    };
  const entry: BundleEntry<Resource>[] = page.map(({ e }) => ({
    fullUrl: `${baseUrl}/AuditEvent/${e.id}`,
    resource: e,
    search: { mode: 'match' },
  }));
  if (revinclude)
    for (const x of page) {
      const task = index.taskOf(x.id);
      if (task)
        entry.push({ fullUrl: `${baseUrl}/Task/${task.id}`, resource: task, search: { mode: 'include' } });
    }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: [
      { relation: 'self', url: link(offset) },
      ...(offset + count < total ? [{ relation: 'next', url: link(offset + count) }] : []),
      ...(offset > 0 ? [{ relation: 'previous', url: link(Math.max(0, offset - count)) }] : []),
    ],
    entry,
  };
}
