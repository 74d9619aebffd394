/**
 * The demographics service in the PDS FHIR API's shape (docs/specs/record-services.md):
 *   GET Patient/{nhs}  the patient; for a superseded number the current record (its id differs from the number
 *                      asked); 404 when unknown; 400 for a number that is not valid
 *   GET Patient?family&given&birthdate=eqYYYY-MM-DD[&gender][&address-postalcode][&_fuzzy-match][&_exact-match]
 *                      [&_max-results<=50]  a searchset, best first, each entry with search.score; more matches
 *                      than _max-results is PDS's TOO_MANY_MATCHES (200 with an OperationOutcome)
 * Restricted patients (meta.security v3-Confidentiality R) are answered without address, telecom or GP, and are
 * left out of searches that name a postcode or a GP, as PDS does.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { isValidNhsNumber } from '../../../../src-shared/domain/nhs-number';
import type { FhirStore } from '../../fhir/store';
import { badRequest, notFound, operationOutcome, ServiceError } from '../../http/outcome';
import {
  resourceAnswer,
  type RecordService,
  type ServiceAnswer,
  type ServiceRequest,
} from '../../http/service';
import { V3_CONFIDENTIALITY } from '../../population/codes';
import { matchScore, type Criteria } from './match';

const MAX_RESULTS = 50;
const PARAMS = [
  'family',
  'given',
  'gender',
  'birthdate',
  'address-postalcode',
  'address-postcode',
  'general-practitioner',
  'phone',
  'email',
  'death-date',
  '_fuzzy-match',
  '_exact-match',
  '_history',
  '_max-results',
];
const GENDERS = ['male', 'female', 'other', 'unknown'];

export function isRestricted(p: Patient): boolean {
  return p.meta?.security?.some((s) => s.system === V3_CONFIDENTIALITY && s.code === 'R') ?? false;
}

/** The patient as PDS answers it: a restricted patient's address, telecom and GP removed. */
function answered(p: Patient): Patient {
  if (!isRestricted(p)) return p;
  const { address: _a, telecom: _t, generalPractitioner: _g, ...rest } = p;
  return rest;
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === 'false') return false;
  if (v === 'true') return true;
  throw badRequest(`${name} must be true or false`);
}

function one(q: URLSearchParams, name: string): string | undefined {
  const all = q.getAll(name);
  if (all.length > 1) throw badRequest(`${name} may appear only once`);
  const v = all[0]?.trim();
  if (v === '') throw badRequest(`${name} is empty`);
  return v;
}

function checkWildcard(name: string, value: string | undefined, fuzzy: boolean): void {
  if (!value?.includes('*')) return;
  if (fuzzy)
    throw badRequest(
      `Wildcards cannot be used in a fuzzy search (${name})`,
      'INVALID_SEARCH_DATA',
      'invalid',
    );
  if (value.indexOf('*') < 2)
    throw badRequest(`A wildcard needs two characters before it (${name})`, 'INVALID_SEARCH_DATA', 'invalid');
}

function criteria(q: URLSearchParams): { c: Criteria; exact: boolean; max: number } {
  if ([...q.keys()].length === 0)
    throw badRequest('No search parameters were given', 'UNSUPPORTED_SERVICE', 'invalid');
  for (const k of q.keys())
    if (!PARAMS.includes(k)) throw badRequest(`Unknown parameter ${k}`, 'ADDITIONAL_PROPERTIES', 'invalid');
  if (q.has('address-postalcode') && q.has('address-postcode'))
    throw badRequest(
      'Give address-postalcode or address-postcode, not both',
      'INVALID_SEARCH_DATA',
      'invalid',
    );
  const fuzzy = flag(q, '_fuzzy-match');
  const exact = flag(q, '_exact-match');
  flag(q, '_history');
  const maxText = one(q, '_max-results') ?? String(MAX_RESULTS);
  if (!/^\d+$/.test(maxText) || Number(maxText) < 1 || Number(maxText) > MAX_RESULTS)
    throw badRequest(`_max-results must be between 1 and ${MAX_RESULTS}`);
  const gender = one(q, 'gender');
  if (gender !== undefined && !GENDERS.includes(gender))
    throw badRequest(`Invalid value - '${gender}' in field 'gender'`);
  const birthdate = q.getAll('birthdate');
  for (const b of birthdate) {
    const m = /^(eq|ge|le)(\d{4}-\d{2}-\d{2})$/.exec(b);
    if (
      !m ||
      Number.isNaN(Date.parse(`${m[2]}T00:00:00Z`)) ||
      new Date(`${m[2]}T00:00:00Z`).toISOString().slice(0, 10) !== m[2]
    )
      throw badRequest(
        `Invalid value - '${b}' in field 'birthdate' (use eqYYYY-MM-DD, geYYYY-MM-DD or leYYYY-MM-DD)`,
      );
    if (fuzzy && !b.startsWith('eq'))
      throw badRequest('A fuzzy search needs one exact date of birth', 'INVALID_SEARCH_DATA', 'invalid');
  }
  const c: Criteria = {
    ...(one(q, 'family') !== undefined ? { family: one(q, 'family') as string } : {}),
    given: q
      .getAll('given')
      .map((g) => g.trim())
      .filter(Boolean),
    birthdate,
    ...(gender ? { gender } : {}),
    ...((one(q, 'address-postalcode') ?? one(q, 'address-postcode')) !== undefined
      ? { postcode: (one(q, 'address-postalcode') ?? one(q, 'address-postcode')) as string }
      : {}),
    ...(one(q, 'general-practitioner') ? { gp: one(q, 'general-practitioner') as string } : {}),
    ...(one(q, 'phone') ? { phone: one(q, 'phone') as string } : {}),
    ...(one(q, 'email') ? { email: one(q, 'email') as string } : {}),
    ...(one(q, 'death-date') ? { deathDate: one(q, 'death-date') as string } : {}),
    fuzzy,
  };
  checkWildcard('family', c.family, fuzzy);
  c.given.forEach((g) => checkWildcard('given', g, fuzzy));
  checkWildcard('address-postalcode', c.postcode, fuzzy);
  const has = (k: 'family' | 'gender' | 'postcode') => c[k] !== undefined;
  const given = c.given.length > 0;
  const dob = birthdate.length > 0;
  if (fuzzy) {
    const ok =
      (given && has('family') && dob) ||
      (has('family') && dob && has('gender') && has('postcode')) ||
      (given && dob && has('gender') && has('postcode'));
    if (!ok)
      throw badRequest(
        'A fuzzy search needs given name, family name and date of birth; or date of birth, gender and postcode with a family or given name',
        'INVALID_SEARCH_DATA',
        'invalid',
      );
  } else if (!has('family') || !dob) {
    throw badRequest(
      'A search needs at least the family name and the date of birth',
      'INVALID_SEARCH_DATA',
      'invalid',
    );
  }
  return { c, exact, max: Number(maxText) };
}

export function createPdsService(store: FhirStore): RecordService {
  /**
   * Every current patient record; matchScore does the matching. (medplum's in-memory search of `birthdate` costs
   * about 50 ms over 200 patients here, against well under 1 ms for this scan.)
   */
  function candidates(): Patient[] {
    return store.repo
      .idsOf('Patient')
      .map((id) => store.repo.currentOf('Patient', id) as Patient | undefined)
      .filter((p): p is Patient => p !== undefined);
  }

  async function search(req: ServiceRequest): Promise<ServiceAnswer> {
    const { c, exact, max } = criteria(req.query);
    const locating = c.postcode !== undefined || c.gp !== undefined;
    const scored = candidates()
      .filter((p) => p.active !== false && !(p.link ?? []).some((l) => l.type === 'replaced-by'))
      .filter((p) => !(locating && isRestricted(p)))
      .map((p) => ({ p, score: matchScore(c, p) }))
      .filter((x): x is { p: Patient; score: number } => x.score !== null && (!exact || x.score === 1))
      .sort((a, b) => b.score - a.score || (a.p.id ?? '').localeCompare(b.p.id ?? ''));
    if (scored.length > max)
      return {
        status: 200,
        body: operationOutcome(
          'multiple-matches',
          'Too many matches: add more details to the search',
          'TOO_MANY_MATCHES',
        ),
      };
    const bundle: Bundle<Patient> = {
      resourceType: 'Bundle',
      type: 'searchset',
      timestamp: new Date().toISOString(),
      total: scored.length,
      entry: scored.map(({ p, score }) => ({
        fullUrl: `${req.baseUrl}/Patient/${p.id}`,
        search: { score },
        resource: answered(p),
      })),
    };
    return { status: 200, body: bundle };
  }

  async function read(req: ServiceRequest, id: string): Promise<ServiceAnswer> {
    if (!/^\d{10}$/.test(id) || !isValidNhsNumber(id))
      throw badRequest(`Invalid NHS number ${id}`, 'INVALID_RESOURCE_ID', 'value');
    let p = (await store.repo.readResource<Patient>('Patient', id).catch(() => null)) as Patient | null;
    const next = p?.link?.find((l) => l.type === 'replaced-by')?.other.reference;
    if (p && next)
      p = (await store.repo.readReference<Patient>({ reference: next }).catch(() => null)) as Patient | null;
    if (!p) throw notFound(`No patient has NHS number ${id}`);
    void req;
    return resourceAnswer(200, answered(p));
  }

  return {
    name: 'demographics',
    needsUser: () => true,
    async handle(req) {
      if (req.method === 'GET' && req.path === '/Patient') return search(req);
      const m = /^\/Patient\/([^/]+)$/.exec(req.path);
      if (req.method === 'GET' && m) return read(req, decodeURIComponent(m[1] as string));
      if (req.path === '/Patient' || m)
        throw new ServiceError(
          405,
          'not-supported',
          `${req.method} is not supported here`,
          'UNSUPPORTED_SERVICE',
        );
      throw new ServiceError(
        404,
        'not-found',
        `The demographics service has no ${req.path}`,
        'UNSUPPORTED_SERVICE',
      );
    },
  };
}
