/**
 * The demographics service in the PDS shape over HTTPS, with the population loaded: reads (restricted,
 * superseded, unknown, invalid), searches with scores (exact, wildcard, fuzzy), PDS's search rules, and
 * TOO_MANY_MATCHES.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import { demoPatient } from '../../../src-main/records/demo-data/fixed-patients';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox/harness';

const PORT = 46602;
let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox(PORT);
});
afterAll(async () => t?.close());

const get = (path: string) => t.call('demographics', path);
const search = async (query: string) => {
  const r = await get(`/Patient?${query}`);
  return {
    status: r.status,
    body: r.json() as Bundle<Patient> & { issue?: { details: { coding: { code: string }[] } }[] },
  };
};
const scores = (b: Bundle<Patient>) => (b.entry ?? []).map((e) => [e.resource?.id, e.search?.score]);

describe('demographics (PDS shape)', () => {
  it('loads the population: every fixed patient can be read by NHS number', async () => {
    expect(t.sandbox.loaded?.patients).toBe(200);
    for (const key of ['core-only', 'restricted', 'superseded', 'demographics-mismatch'] as const) {
      const r = await get(`/Patient/${demoPatient(key).nhsNumber}`);
      expect(r.status, key).toBe(200);
    }
  });

  it('reads a patient in the PDS shape with its version as ETag', async () => {
    const r = await get(`/Patient/${demoPatient('core-only').nhsNumber}`);
    const p = r.json() as Patient;
    expect(r.headers['etag']).toBe(`W/"${p.meta?.versionId}"`);
    expect(p).toMatchObject({
      resourceType: 'Patient',
      id: '9990000018',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'U' }] },
      name: [{ use: 'usual', family: 'Brackley', given: ['Olivia', 'Jane'], prefix: ['Mrs'] }],
      gender: 'female',
      birthDate: '1956-03-14',
      address: [{ use: 'home', line: ['12 Mill Lane', 'Ashby Moor'], postalCode: 'AM1 4QT' }],
      generalPractitioner: [
        { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'C81007' } },
      ],
    });
    expect(p.telecom?.[0]?.value).toMatch(/^01632 960\d{3}$/);
  });

  it('answers a restricted patient without address, telecom or GP, labelled R', async () => {
    const p = (await get(`/Patient/${demoPatient('restricted').nhsNumber}`)).json() as Patient;
    expect(p.meta?.security).toEqual([
      {
        system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
        code: 'R',
        display: 'restricted',
      },
    ]);
    expect(p.name?.[0]?.family).toBe('Larkworthy');
    expect(p.address).toBeUndefined();
    expect(p.telecom).toBeUndefined();
    expect(p.generalPractitioner).toBeUndefined();
  });

  it('answers the current record for a superseded number: the id differs from the number asked', async () => {
    const info = demoPatient('superseded');
    const r = await get(`/Patient/${info.supersededNhsNumber}`);
    expect(r.status).toBe(200);
    const p = r.json() as Patient;
    expect(p.id).toBe(info.nhsNumber);
    expect(p.id).not.toBe(info.supersededNhsNumber);
    expect(p.name?.[0]?.family).toBe('Pellow');
  });

  it('404 for a valid number nobody has, 400 for an invalid one', async () => {
    const nine = '999000900';
    const unknown = `${nine}${nhsCheckDigit(nine)}`;
    const missing = await get(`/Patient/${unknown}`);
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.json())).toContain('RESOURCE_NOT_FOUND');
    const invalid = await get('/Patient/9990000019');
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.json())).toContain('INVALID_RESOURCE_ID');
  });

  it('scores an exact match 1 and a wildcard match lower, best first', async () => {
    const exact = await search('family=Brackley&given=Olivia&birthdate=eq1956-03-14');
    expect(exact.body.type).toBe('searchset');
    expect(scores(exact.body)).toEqual([['9990000018', 1]]);
    expect(exact.body.entry?.[0]?.fullUrl).toBe(`${t.sandbox.baseUrls.demographics}/Patient/9990000018`);
    const wild = await search('family=Brack*&birthdate=eq1956-03-14');
    const [[id, score]] = scores(wild.body) as [[string, number]];
    expect(id).toBe('9990000018');
    expect(score).toBeLessThan(1);
    expect(score).toBeGreaterThan(0.5);
  });

  it('finds a misspelt name only when asked for a fuzzy search, and then as a close match', async () => {
    const q = 'family=Brakley&given=Olivia&birthdate=eq1956-03-14';
    expect((await search(q)).body.total).toBe(0);
    const fuzzy = await search(`${q}&_fuzzy-match=true`);
    const [[id, score]] = scores(fuzzy.body) as [[string, number]];
    expect(id).toBe('9990000018');
    expect(score).toBeLessThan(1);
    // Day and month of birth swapped (Catherine Oyelaran was born 1984-12-03).
    const swapped = 'family=Oyelaran&given=Catherine&birthdate=eq1984-03-12';
    expect((await search(swapped)).body.total).toBe(0);
    const [[sid, sscore]] = scores((await search(`${swapped}&_fuzzy-match=true`)).body) as [[string, number]];
    expect(sid).toBe('9990000123');
    expect(sscore).toBeLessThan(1);
    // Given and family names written the other way round.
    const transposed = await search('family=Olivia&given=Brackley&birthdate=eq1956-03-14&_fuzzy-match=true');
    expect(scores(transposed.body).map(([i]) => i)).toContain('9990000018');
    const exactOnly = await search(`${q}&_fuzzy-match=true&_exact-match=true`);
    expect(exactOnly.body.total).toBe(0);
  });

  it('keeps restricted patients out of searches that name a postcode', async () => {
    const q = 'family=Larkworthy&birthdate=eq1990-02-17';
    const found = await search(q);
    expect(scores(found.body)).toEqual([['9990000107', 1]]);
    expect(found.body.entry?.[0]?.resource?.address).toBeUndefined();
    expect((await search(`${q}&address-postalcode=AM1%206NB`)).body.total).toBe(0);
  });

  it('says TOO_MANY_MATCHES (200, OperationOutcome) when more match than _max-results', async () => {
    const patients = t.sandbox.stores.demographics.repo
      .idsOf('Patient')
      .map((id) => t.sandbox.stores.demographics.repo.currentOf('Patient', id) as Patient)
      .filter((p) => p.active !== false);
    const byFamily = new Map<string, number>();
    for (const p of patients)
      byFamily.set(p.name?.[0]?.family ?? '', (byFamily.get(p.name?.[0]?.family ?? '') ?? 0) + 1);
    const [family] = [...byFamily].find(([, n]) => n >= 2) as [string, number];
    const q = `family=${encodeURIComponent(family)}&birthdate=ge1900-01-01`;
    const all = await search(q);
    expect(all.body.total).toBe(byFamily.get(family));
    const capped = await search(`${q}&_max-results=1`);
    expect(capped.status).toBe(200);
    expect(capped.body.resourceType).toBe('OperationOutcome');
    expect(capped.body.issue?.[0]?.details.coding[0]?.code).toBe('TOO_MANY_MATCHES');
  });

  it('refuses searches PDS refuses, in words', async () => {
    const refusals: [string, string][] = [
      ['family=Brackley', 'A search needs at least the family name and the date of birth'],
      [
        'family=Brackley&birthdate=eq1956-03-14&_fuzzy-match=true',
        'A fuzzy search needs given name, family name and date of birth',
      ],
      ['family=B*&birthdate=eq1956-03-14', 'A wildcard needs two characters before it (family)'],
      [
        'family=Br*&given=Olivia&birthdate=eq1956-03-14&_fuzzy-match=true',
        'Wildcards cannot be used in a fuzzy search (family)',
      ],
      ['family=Brackley&birthdate=eq1956-03-14&_max-results=51', '_max-results must be between 1 and 50'],
      ['family=Brackley&birthdate=1956-03-14', "Invalid value - '1956-03-14' in field 'birthdate'"],
      ['family=Brackley&birthdate=eq1956-03-14&gender=mal', "Invalid value - 'mal' in field 'gender'"],
      ['family=Brackley&birthdate=eq1956-03-14&colour=blue', 'Unknown parameter colour'],
    ];
    for (const [q, text] of refusals) {
      const r = await search(q);
      expect(r.status, q).toBe(400);
      expect(JSON.stringify(r.body), q).toContain(text);
    }
  });
});
