/**
 * The shared care record (plain FHIR R4 through medplum's router) over HTTPS: the patient by NHS number (with the
 * demographics that differ from PDS), the record by patient, batches of reads, and the Consent with the sharing
 * preferences: versions as history, If-Match (412 stale, 428 missing), checks on what is written.
 */
import type { Bundle, Condition, Consent, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPatient, type DemoPatientKey } from '../../../src-main/records/demo-data/fixed-patients';
import { decodeConsent, encodeConsent } from '../../../src-main/records/shared-care/consent-codec';
import { startTestSandbox, USERS, type TestSandbox } from '../../support/sandbox/harness';

const PORT = 46604;
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox(PORT);
});
afterAll(async () => t?.close());

async function patient(key: DemoPatientKey): Promise<Patient> {
  const r = await t.call('sharedCare', `/Patient?identifier=${NHS}|${demoPatient(key).nhsNumber}`);
  expect(r.status).toBe(200);
  const b = r.json() as Bundle<Patient>;
  expect(b.entry).toHaveLength(1);
  return b.entry?.[0]?.resource as Patient;
}

async function consentOf(key: DemoPatientKey) {
  const p = await patient(key);
  const b = (await t.call('sharedCare', `/Consent?patient=Patient/${p.id}`)).json() as Bundle<Consent>;
  expect(b.entry).toHaveLength(1);
  return b.entry?.[0]?.resource as Consent & { id: string; meta: { versionId: string } };
}

const texts = (b: Bundle) => (b.entry ?? []).map((e) => (e.resource as Condition).code?.text);

describe('shared care record (FHIR R4)', () => {
  it('finds the patient by NHS number, with the demographics the shared care record holds', async () => {
    const olivia = await patient('core-only');
    expect(olivia).toMatchObject({
      name: [{ family: 'Brackley', given: ['Olivia', 'Jane'] }],
      birthDate: '1956-03-14',
      address: [{ postalCode: 'AM1 4QT' }],
    });
    const shared = await patient('demographics-mismatch');
    const pds = (
      await t.call('demographics', `/Patient/${demoPatient('demographics-mismatch').nhsNumber}`)
    ).json() as Patient;
    expect([pds.name?.[0]?.given, pds.birthDate, pds.gender]).toEqual([
      ['Catherine'],
      '1984-12-03',
      'female',
    ]);
    expect([shared.name?.[0]?.given, shared.birthDate, shared.gender]).toEqual([
      ['Katherine'],
      '1984-03-12',
      'female',
    ]);
    const restricted = await patient('restricted');
    expect(restricted.meta?.security?.[0]?.code).toBe('R');
    expect(restricted.address).toBeUndefined();
  });

  it('gives the record by patient: shared items with sensitivity labels, never private ones', async () => {
    const olivia = await patient('core-only');
    const q = (type: string) => t.call('sharedCare', `/${type}?patient=Patient/${olivia.id}`);
    expect(texts((await q('Condition')).json() as Bundle)).toEqual(['Essential hypertension']);
    expect(((await q('MedicationStatement')).json() as Bundle).entry).toHaveLength(2);
    expect(((await q('AllergyIntolerance')).json() as Bundle).entry?.[0]?.resource).toMatchObject({
      code: { text: 'Penicillin' },
    });
    expect(((await q('Observation')).json() as Bundle).entry?.[0]?.resource).toMatchObject({
      valueString: '5.4 mmol/L',
    });
    const tom = await patient('sensitive-included');
    const conditions = (
      await t.call('sharedCare', `/Condition?patient=Patient/${tom.id}`)
    ).json() as Bundle<Condition>;
    expect(texts(conditions)).toContain('Human immunodeficiency virus infection');
    expect(texts(conditions)).not.toContain('Alcohol misuse counselling');
    const hiv = conditions.entry?.find((e) => e.resource?.code?.text?.startsWith('Human'))?.resource;
    expect(hiv?.meta?.security?.map((c) => c.code)).toContain('HIV');
    const daniel = await patient('ooh-treated');
    const encounters = (
      await t.call('sharedCare', `/Encounter?patient=Patient/${daniel.id}`)
    ).json() as Bundle;
    expect(encounters.entry?.[0]?.resource).toMatchObject({
      serviceProvider: {
        identifier: { value: 'NWOOH1' },
        reference: expect.stringMatching(/^Organization\//),
      },
    });
  });

  it('answers a batch of reads, and refuses a batch that writes', async () => {
    const olivia = await patient('core-only');
    const batch = (method: string) => ({
      resourceType: 'Bundle',
      type: 'batch',
      entry: ['Condition', 'AllergyIntolerance', 'Immunization'].map((type) => ({
        request: { method, url: `${type}?patient=Patient/${olivia.id}` },
      })),
    });
    const r = await t.call('sharedCare', '/', { body: batch('GET') });
    expect(r.status).toBe(200);
    const b = r.json() as Bundle;
    expect(b.type).toBe('batch-response');
    expect(b.entry?.map((e) => e.response?.status)).toEqual(['200', '200', '200']);
    expect((b.entry?.[2]?.resource as Bundle).entry?.[0]?.resource).toMatchObject({
      vaccineCode: { text: 'Seasonal influenza vaccination' },
    });
    expect((await t.call('sharedCare', '/', { body: batch('DELETE') })).status).toBe(400);
    expect(
      (await t.call('sharedCare', `/Condition/${'9990000018-4'}`, { method: 'PUT', body: {} })).status,
    ).toBe(405);
  });

  it('holds one Consent per patient with the seeded preferences; its history is the versions, newest first', async () => {
    const priya = await consentOf('sensitive-excluded');
    expect(decodeConsent(priya).preferences).toEqual({
      scr: 'core-and-additional',
      sensitive: 'excluded',
      mig: 'share',
    });
    const h = (await t.call('sharedCare', `/Consent/${priya.id}/_history`)).json() as Bundle<Consent>;
    expect(h.type).toBe('history');
    const versions = (h.entry ?? []).map((e) => decodeConsent(e.resource));
    expect(versions.map((v) => [v.preferences.scr, v.statement])).toEqual([
      ['core-and-additional', 'I would like Additional Information shared, but not anything sensitive.'],
      ['core', ''],
    ]);
    const olivia = await consentOf('core-only');
    const oh = (await t.call('sharedCare', `/Consent/${olivia.id}/_history`)).json() as Bundle;
    expect(oh.entry).toHaveLength(1);
  });

  it('changes a Consent only with If-Match of the current version: 412 when stale, 428 without', async () => {
    const before = await consentOf('mig-dissent');
    const now = decodeConsent(before);
    const change = (sensitive: 'included' | 'excluded', statement: string) => ({
      ...encodeConsent({
        ...now,
        preferences: { ...now.preferences, sensitive },
        at: '2026-11-21T09:00:00.000Z',
        by: { userId: USERS.gp.userId, name: USERS.gp.name },
        statement,
      }),
      id: before.id,
    });
    const put = (body: unknown, ifMatch?: string, user: 'gp' | 'officer' = 'gp') =>
      t.call('sharedCare', `/Consent/${before.id}`, {
        method: 'PUT',
        body,
        user,
        ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
      });
    const first = await put(change('included', 'Include sensitive items.'), `W/"${before.meta.versionId}"`);
    expect(first.status).toBe(200);
    const updated = first.json() as Consent;
    expect(first.headers['etag']).toBe(`W/"${updated.meta?.versionId}"`);
    const stale = await put(
      change('excluded', 'A second clinician, working from the old version.'),
      `W/"${before.meta.versionId}"`,
    );
    expect(stale.status).toBe(412);
    expect(JSON.stringify(stale.json())).toContain('changed by someone else');
    expect((await put(change('excluded', 'No If-Match.'))).status).toBe(428);
    expect(
      (await put(change('excluded', 'Officer.'), `W/"${updated.meta?.versionId}"`, 'officer')).status,
    ).toBe(403);
    const h = (await t.call('sharedCare', `/Consent/${before.id}/_history`)).json() as Bundle<Consent>;
    expect((h.entry ?? []).map((e) => decodeConsent(e.resource).statement)).toEqual([
      'Include sensitive items.',
      'Share my Summary Care Record but do not share my GP record through the MIG.',
      '',
    ]);
  });

  it('refuses a Consent that does not say what the patient wants, is for another patient, in another user’s name, or a second one', async () => {
    const c = await consentOf('end-of-life');
    const byGp = (
      by: { userId: string; name: string } = { userId: USERS.gp.userId, name: USERS.gp.name },
    ) => ({
      ...encodeConsent({ ...decodeConsent(c), by }),
      id: c.id,
    });
    const put = (body: unknown) =>
      t.call('sharedCare', `/Consent/${c.id}`, {
        method: 'PUT',
        body,
        headers: { 'if-match': `W/"${c.meta.versionId}"` },
      });
    const r = await put({ ...byGp(), provision: { type: 'permit', provision: [] } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json())).toContain(
      'The Consent does not say scr, scr-additional, sensitive, mig',
    );
    const other = await patient('core-only');
    const moved = await put({
      ...byGp(),
      patient: {
        reference: `Patient/${other.id}`,
        identifier: { system: NHS, value: demoPatient('core-only').nhsNumber },
      },
    });
    expect(moved.status).toBe(400);
    expect(JSON.stringify(moved.json())).toContain('The Consent is for another patient');
    const n = await put(byGp({ userId: USERS.receptionist.userId, name: USERS.receptionist.name }));
    expect(n.status).toBe(403);
    expect(JSON.stringify(n.json())).toContain('must name you as the one who recorded it');
    const { id: _id, ...fresh } = byGp();
    const second = await t.call('sharedCare', '/Consent', { body: fresh });
    expect(second.status).toBe(409);
  });
});
