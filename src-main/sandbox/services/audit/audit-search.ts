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
 *   _sort=date | -date   (default -date, newest first); _count (1-500, default 50); _offset
 * The parameters are evaluated here, not by medplum's in-memory search: that one runs FHIRPath for every event and
 * every sort comparison (about 0.9 s for 4,000 events on this machine) and cannot match references by identifier,
 * which is how workstations name users, organisations and patients.
 */
import type { AuditEvent, Bundle, Coding } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../../../domain/fhir-resources';
import type { FhirStore } from '../../fhir/store';
import { badRequest } from '../../http/outcome';

const SDS_USER_ID = 'https://fhir.nhs.uk/Id/sds-user-id';
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
  '_sort',
  '_count',
  '_offset',
]);

export function eventOrganisation(e: AuditEvent): string | undefined {
  return e.agent?.find((a) => a.who?.identifier?.system === ODS_CODE_SYSTEM)?.who?.identifier?.value;
}

/** The user (SDS user id) who did what the event records. */
export function eventUser(e: AuditEvent): string | undefined {
  return e.agent?.find((a) => a.requestor && a.who?.identifier?.system === SDS_USER_ID)?.who?.identifier
    ?.value;
}

type Test = (e: AuditEvent) => boolean;

function tokenMatches(wanted: string, codings: readonly (Coding | undefined)[]): boolean {
  return wanted.split(',').some((w) => {
    const bar = w.indexOf('|');
    const system = bar >= 0 ? w.slice(0, bar) : undefined;
    const code = bar >= 0 ? w.slice(bar + 1) : w;
    return codings.some((c) => c?.code === code && (system === undefined || (c.system ?? '') === system));
  });
}

function identifierMatches(
  wanted: string,
  ids: readonly ({ system?: string; value?: string } | undefined)[],
): boolean {
  return wanted.split(',').some((w) => {
    const bar = w.indexOf('|');
    const system = bar >= 0 ? w.slice(0, bar) : undefined;
    const value = bar >= 0 ? w.slice(bar + 1) : w;
    return ids.some((i) => i?.value === value && (system === undefined || i.system === system));
  });
}

function dateTest(filter: string): Test {
  const m = /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?)$/.exec(filter);
  if (!m) throw badRequest(`date must be [eq|ge|gt|le|lt]YYYY-MM-DD or an instant, not ${filter}`);
  const op = m[1] ?? 'eq';
  const dayOnly = m[3] === undefined;
  const start = Date.parse(dayOnly ? `${m[2]}T00:00:00Z` : (m[2] as string));
  if (Number.isNaN(start)) throw badRequest(`date ${filter} is not a date`);
  // A day is the range [start, end); an instant is its own point.
  const end = dayOnly ? start + 86_400_000 : start + 1;
  return (e) => {
    const t = Date.parse(e.recorded ?? '');
    if (Number.isNaN(t)) return false;
    switch (op) {
      case 'ge':
        return t >= start;
      case 'gt':
        return t >= end;
      case 'le':
        return t < end;
      case 'lt':
        return t < start;
      default:
        return t >= start && t < end;
    }
  };
}

function tests(q: URLSearchParams): Test[] {
  const out: Test[] = [];
  for (const [k, v] of q) {
    if (!PARAMS.has(k)) throw badRequest(`Unknown parameter ${k}`, 'ADDITIONAL_PROPERTIES', 'invalid');
    switch (k) {
      case 'type':
        out.push((e) => tokenMatches(v, [e.type]));
        break;
      case 'subtype':
        out.push((e) => tokenMatches(v, e.subtype ?? []));
        break;
      case 'date':
        out.push(dateTest(v));
        break;
      case 'agent':
      case 'agent:identifier':
        out.push((e) =>
          identifierMatches(
            v,
            (e.agent ?? []).map((a) => a.who?.identifier),
          ),
        );
        break;
      case 'entity':
      case 'entity:identifier':
      case 'patient':
      case 'patient:identifier':
        out.push((e) =>
          identifierMatches(
            v,
            (e.entity ?? []).map((x) => x.what?.identifier),
          ),
        );
        break;
      case 'altid':
        out.push((e) => v.split(',').some((w) => (e.agent ?? []).some((a) => a.altId === w)));
        break;
      case 'outcome':
        out.push((e) => v.split(',').includes(e.outcome ?? ''));
        break;
      case 'action':
        out.push((e) => v.split(',').includes(e.action ?? ''));
        break;
    }
  }
  return out;
}

function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null) return def;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw badRequest(`${name} must be ${min} to ${max}`);
  return Number(v);
}

export function searchAuditEvents(
  store: FhirStore,
  q: URLSearchParams,
  org: string,
  baseUrl: string,
): Bundle<AuditEvent> {
  const sort = q.get('_sort') ?? '-date';
  if (sort !== 'date' && sort !== '-date') throw badRequest('_sort supports date and -date');
  const count = intParam(q, '_count', 50, 1, 500);
  const offset = intParam(q, '_offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const checks = tests(q);
  const matches: { e: AuditEvent; t: number }[] = [];
  for (const id of store.repo.idsOf('AuditEvent')) {
    const e = store.repo.currentOf('AuditEvent', id) as AuditEvent | undefined;
    if (!e || eventOrganisation(e) !== org) continue;
    if (checks.every((c) => c(e))) matches.push({ e, t: Date.parse(e.recorded ?? '') || 0 });
  }
  const dir = sort === 'date' ? 1 : -1;
  matches.sort((a, b) => dir * (a.t - b.t) || (a.e.id ?? '').localeCompare(b.e.id ?? ''));
  const page = matches.slice(offset, offset + count);
  const link = (at: number) => {
    const p = new URLSearchParams(q);
    p.set('_count', String(count));
    p.set('_offset', String(at));
    return `${baseUrl}/AuditEvent?${p.toString()}`;
  };
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link: [
      { relation: 'self', url: link(offset) },
      ...(offset + count < matches.length ? [{ relation: 'next', url: link(offset + count) }] : []),
      ...(offset > 0 ? [{ relation: 'previous', url: link(Math.max(0, offset - count)) }] : []),
    ],
    entry: page.map(({ e }) => ({
      fullUrl: `${baseUrl}/AuditEvent/${e.id}`,
      resource: e,
      search: { mode: 'match' },
    })),
  };
}
