/**
 * How well a PDS patient matches a search, as PDS scores it: 1.0 is an exact match on everything asked, less is a
 * partial match. Non-fuzzy searches match names exactly or by wildcard (`Sm*`), dates exactly or by range, and
 * postcodes ignoring case and spaces; fuzzy searches also match names that sound alike (Soundex), given and
 * family names swapped, and a date of birth with day and month swapped. Each criterion asked counts with a
 * weight; an exact hit scores it fully, a partial hit 0.8 of it.
 */
import type { Patient } from '@medplum/fhirtypes';

export interface Criteria {
  family?: string;
  given: string[];
  /** PDS date filters, e.g. eq2010-10-22, ge2010-01-01. */
  birthdate: string[];
  gender?: string;
  postcode?: string;
  gp?: string;
  phone?: string;
  email?: string;
  deathDate?: string;
  fuzzy: boolean;
}

type Hit = 'exact' | 'partial' | 'miss';

const WEIGHTS = { family: 0.3, given: 0.25, birthdate: 0.25, gender: 0.1, postcode: 0.1 } as const;
const PARTIAL = 0.8;

/** American Soundex (R163 for Robert), for homophones such as Smith and Smythe. */
export function soundex(name: string): string {
  const s = name.toUpperCase().replace(/[^A-Z]/g, '');
  if (!s) return '';
  const codes: Record<string, string> = {};
  for (const [letters, d] of [
    ['BFPV', '1'],
    ['CGJKQSXZ', '2'],
    ['DT', '3'],
    ['L', '4'],
    ['MN', '5'],
    ['R', '6'],
  ] as const)
    for (const c of letters) codes[c] = d;
  let out = s[0] as string;
  let last = codes[out] ?? '';
  for (const c of s.slice(1)) {
    const d = codes[c] ?? '';
    if (d && d !== last) out += d;
    if (c !== 'H' && c !== 'W') last = d;
    if (out.length === 4) break;
  }
  return out.padEnd(4, '0');
}

const norm = (s: string) => s.trim().toLowerCase();

/** Exact (case-insensitive) or wildcard match of one name. */
function nameHit(wanted: string, actual: string): Hit {
  if (wanted.includes('*')) {
    const re = new RegExp(
      `^${wanted
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    );
    return re.test(actual) ? 'partial' : 'miss';
  }
  return norm(wanted) === norm(actual) ? 'exact' : 'miss';
}

function fuzzyName(wanted: string, actual: string): Hit {
  if (norm(wanted) === norm(actual)) return 'exact';
  return soundex(wanted) === soundex(actual) ? 'partial' : 'miss';
}

function dateHit(filter: string, birthDate: string, fuzzy: boolean): Hit {
  const op = filter.slice(0, 2);
  const date = filter.slice(2);
  if (op === 'eq') {
    if (date === birthDate) return 'exact';
    if (fuzzy) {
      const [y, m, d] = date.split('-');
      if (`${y}-${d}-${m}` === birthDate) return 'partial';
    }
    return 'miss';
  }
  if (op === 'ge') return birthDate >= date ? 'partial' : 'miss';
  return birthDate <= date ? 'partial' : 'miss';
}

const compactPostcode = (p: string) => p.replace(/\s+/g, '').toUpperCase();

function postcodeHit(wanted: string, actual: string, fuzzy: boolean): Hit {
  const w = compactPostcode(wanted);
  const a = compactPostcode(actual);
  if (w.includes('*')) return a.startsWith(w.split('*')[0] ?? '') ? 'partial' : 'miss';
  if (w === a) return 'exact';
  // The outward code (the part before the space) still matches after a local move.
  if (fuzzy && actual.split(' ')[0]?.toUpperCase() === wanted.trim().split(' ')[0]?.toUpperCase())
    return 'partial';
  return 'miss';
}

/** The score (0..1, two decimals) of a patient for the criteria, or null when the patient does not match. */
export function matchScore(c: Criteria, p: Patient): number | null {
  const name = p.name?.find((n) => n.use === 'usual') ?? p.name?.[0];
  const family = name?.family ?? '';
  const given = name?.given ?? [];
  const hits: { weight: number; hit: Hit }[] = [];

  if (c.family !== undefined || c.given.length > 0) {
    let fam: Hit =
      c.family === undefined ? 'exact' : c.fuzzy ? fuzzyName(c.family, family) : nameHit(c.family, family);
    const givenHits = c.given.map((g, i) =>
      c.fuzzy ? fuzzyName(g, given[i] ?? '') : nameHit(g, given[i] ?? ''),
    );
    let giv: Hit = givenHits.includes('miss') ? 'miss' : givenHits.includes('partial') ? 'partial' : 'exact';
    // Fuzzy: given and family names written the other way round.
    if (c.fuzzy && (fam === 'miss' || giv === 'miss') && c.family && c.given[0]) {
      if (norm(c.family) === norm(given[0] ?? '') && norm(c.given[0]) === norm(family)) {
        fam = 'partial';
        giv = 'partial';
      }
    }
    if (c.family !== undefined) hits.push({ weight: WEIGHTS.family, hit: fam });
    if (c.given.length > 0) hits.push({ weight: WEIGHTS.given, hit: giv });
  }
  for (const f of c.birthdate)
    hits.push({
      weight: WEIGHTS.birthdate / c.birthdate.length,
      hit: dateHit(f, p.birthDate ?? '', c.fuzzy),
    });
  if (c.gender !== undefined)
    hits.push({ weight: WEIGHTS.gender, hit: c.gender === p.gender ? 'exact' : 'miss' });
  if (c.postcode !== undefined) {
    const postcodes = (p.address ?? []).map((a) => a.postalCode ?? '');
    const best = postcodes.map((a) => postcodeHit(c.postcode as string, a, c.fuzzy));
    hits.push({
      weight: WEIGHTS.postcode,
      hit: best.includes('exact') ? 'exact' : best.includes('partial') ? 'partial' : 'miss',
    });
  }
  // Exact-only criteria: a mismatch excludes the patient.
  if (
    c.gp !== undefined &&
    !(p.generalPractitioner ?? []).some((g) => g.identifier?.value?.toUpperCase() === c.gp?.toUpperCase())
  )
    return null;
  if (
    c.phone !== undefined &&
    !(p.telecom ?? []).some(
      (t) => t.system === 'phone' && t.value?.replace(/\s/g, '') === c.phone?.replace(/\s/g, ''),
    )
  )
    return null;
  if (
    c.email !== undefined &&
    !(p.telecom ?? []).some((t) => t.system === 'email' && norm(t.value ?? '') === norm(c.email ?? ''))
  )
    return null;
  if (c.deathDate !== undefined && !p.deceasedDateTime) return null;

  if (hits.some((h) => h.hit === 'miss')) return null;
  const total = hits.reduce((s, h) => s + h.weight, 0);
  const got = hits.reduce((s, h) => s + h.weight * (h.hit === 'exact' ? 1 : PARTIAL), 0);
  return total === 0 ? null : Math.round((got / total) * 100) / 100;
}
