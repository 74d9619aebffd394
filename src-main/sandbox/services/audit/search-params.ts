/**
 * Search parameter syntax shared by the audit repository's AuditEvent and Task searches: tokens (comma = or),
 * paging numbers, review status codes. Errors are 400s in plain words that name the parameter, never quote it.
 */
import { REVIEW_STATUS_SYSTEM, REVIEW_STATUSES, type ReviewStatusCode } from '../../../domain/review-task';
import { badRequest } from '../../http/outcome';

export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface Token {
  system: string | undefined;
  code: string;
}

/** `a,b,system|c` as tokens; an empty alternative is refused. */
export function tokens(name: string, value: string): Token[] {
  return value.split(',').map((w) => {
    const bar = w.indexOf('|');
    const t = bar >= 0 ? { system: w.slice(0, bar), code: w.slice(bar + 1) } : { system: undefined, code: w };
    if (!t.code) throw badRequest(`${name} has an empty value`);
    return t;
  });
}

/** A number parameter in [min, max], or `def` when absent. */
export function intParam(q: URLSearchParams, name: string, def: number, min: number, max: number): number {
  const all = q.getAll(name);
  if (all.length === 0) return def;
  const v = all[0] as string;
  if (all.length > 1 || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw badRequest(`${name} must be ${min} to ${max}`);
  return Number(v);
}

/** One value of a parameter that may be given once, or null. */
export function single(q: URLSearchParams, name: string): string | null {
  const all = q.getAll(name);
  if (all.length > 1) throw badRequest(`${name} may be given only once`);
  return all[0] ?? null;
}

/** `_summary`: absent, `false` (the matches) or `count` (only the total). */
export function countOnly(q: URLSearchParams): boolean {
  const v = single(q, '_summary');
  if (v === null || v === 'false') return false;
  if (v === 'count') return true;
  throw badRequest('_summary supports count');
}

/** Review status codes (`new` or `REVIEW_STATUS_SYSTEM|new`, comma = or); any other code or system is a 400. */
export function reviewStatuses(name: string, value: string): Set<ReviewStatusCode> {
  const out = new Set<ReviewStatusCode>();
  for (const t of tokens(name, value)) {
    if (t.system !== undefined && t.system !== REVIEW_STATUS_SYSTEM)
      throw badRequest(`${name} codes are of the system ${REVIEW_STATUS_SYSTEM}`);
    if (!(REVIEW_STATUSES as readonly string[]).includes(t.code))
      throw badRequest(`${name} must be one of ${REVIEW_STATUSES.join(', ')}`);
    out.add(t.code as ReviewStatusCode);
  }
  return out;
}

/** The review status a Task holds (its businessStatus code), or undefined when it holds none we know. */
export function taskStatus(t: { businessStatus?: { coding?: { code?: string }[] } }): string | undefined {
  return t.businessStatus?.coding?.[0]?.code;
}
