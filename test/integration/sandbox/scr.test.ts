/**
 * The Summary Care Record service in the SCR API's shape over HTTPS: the latest SCR's DocumentReference (consent
 * label), the SCR Bundle written under the patient's current preferences (core / Additional Information,
 * sensitive items only when included, private items never, withheld sections marked, medication split into acute,
 * repeat and discontinued), $setPermission, and privacy alerts stored once per id.
 */
import type {
  Bundle,
  Composition,
  CompositionSection,
  Condition,
  DocumentReference,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import { demoPatient, type DemoPatientKey } from '../../../src-main/records/demo-data/fixed-patients';
import { decodeConsent, encodeConsent } from '../../../src-main/records/shared-care/consent-codec';
import { SECTION_WITHHELD_EXTENSION } from '../../../src-main/records/scr/sections';
import { itemBuilder } from '../../../src-main/records/demo-data/builders';
import { DEFAULT_DEMO_ORGANISATIONS } from '../../../src-main/records/demo-data/orgs';
import { startTestSandbox, USERS, type UserKey, type TestSandbox } from '../../support/sandbox/harness';

const PORT = 46603;
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox(PORT);
});
afterAll(async () => t?.close());

async function latest(key: DemoPatientKey | string) {
  const nhs = /^\d{10}$/.test(key) ? key : demoPatient(key as DemoPatientKey).nhsNumber;
  const r = await t.call(
    'scr',
    `/DocumentReference?patient=${NHS}|${nhs}&type=http://snomed.info/sct|196981000000101&_sort=date&_count=1`,
  );
  expect(r.status).toBe(200);
  return { nhs, bundle: r.json() as Bundle };
}

async function scr(key: DemoPatientKey, user: UserKey = 'gp') {
  const { nhs, bundle } = await latest(key);
  const doc = bundle.entry?.[0]?.resource as DocumentReference;
  const r = await t.call(
    'scr',
    `/Bundle?composition.identifier=${doc.masterIdentifier?.value}&composition.subject:Patient.identifier=${NHS}|${nhs}`,
    { user },
  );
  return { status: r.status, body: r.json() as Bundle, doc };
}

const composition = (b: Bundle) =>
  b.entry?.find((e) => e.resource?.resourceType === 'Composition')?.resource as Composition;
const section = (b: Bundle, code: string) =>
  composition(b).section?.find((s) => s.code?.coding?.[0]?.code === code) as CompositionSection;
const withheld = (s: CompositionSection) =>
  s.extension?.some((e) => e.url === SECTION_WITHHELD_EXTENSION && e.valueBoolean === true) ?? false;
const codes = (b: Bundle) => composition(b).section?.map((s) => s.code?.coding?.[0]?.code);

describe('Summary Care Record (SCR API shape)', () => {
  it('gives the latest SCR identifier and the consent label; an empty searchset for a patient without an SCR', async () => {
    const { nhs, bundle } = await latest('core-only');
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const doc = bundle.entry?.[0]?.resource as DocumentReference;
    expect(doc).toMatchObject({
      resourceType: 'DocumentReference',
      status: 'current',
      masterIdentifier: { system: 'https://fhir.nhs.uk/Id/nhsSCRUUID' },
      type: { coding: [{ system: 'http://snomed.info/sct', code: '196981000000101' }] },
      securityLabel: [
        { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/SCR-ACSPermission', code: 'Ask' }] },
      ],
    });
    expect(doc.content[0]?.attachment.url).toBe(
      `${t.sandbox.baseUrls.scr}/Bundle?composition.identifier=${doc.masterIdentifier?.value}&composition.subject:Patient.identifier=${NHS}|${nhs}`,
    );
    expect(bundle.entry?.[1]?.resource).toMatchObject({
      resourceType: 'Patient',
      identifier: [{ value: nhs }],
    });
    const nine = '999000901';
    const none = await latest(`${nine}${nhsCheckDigit(nine)}`);
    expect(none.bundle.total).toBe(0);
    expect(none.bundle.entry ?? []).toEqual([]);
    const bad = await t.call('scr', `/DocumentReference?patient=${NHS}|9990000018&_count=2`);
    expect(bad.status).toBe(400);
  });

  it('writes core sections only when the patient shares core only', async () => {
    const { status, body } = await scr('core-only');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      identifier: { system: 'https://tools.ietf.org/html/rfc4122' },
    });
    expect(codes(body)).toEqual([
      'Title',
      'AllergiesHeader',
      'AcuteMedsHeader',
      'RepeatMedsHeader',
      'DiscRepeatMedsHeader',
    ]);
    expect(composition(body)).toMatchObject({
      status: 'final',
      title: 'General Practice Summary',
      author: [{ display: 'Example Surgery' }],
    });
    expect(section(body, 'AllergiesHeader').text?.div).toContain(
      '<td>Penicillin</td><td>Anaphylaxis</td><td>High</td>',
    );
    expect(section(body, 'RepeatMedsHeader').text?.div).toContain('Amlodipine 5mg tablets');
    expect(section(body, 'Title').text?.div).toContain('Source: Example Surgery (C81007)');
    expect(body.entry?.map((e) => e.resource?.resourceType)).toEqual([
      'Composition',
      'Patient',
      'Organization',
    ]);
  });

  it('leaves sensitive and private items out, marks the sections it left them out of, and codes the rest', async () => {
    const { body } = await scr('sensitive-excluded');
    expect(codes(body)).toEqual([
      'Title',
      'AllergiesHeader',
      'AcuteMedsHeader',
      'RepeatMedsHeader',
      'DiscRepeatMedsHeader',
      'ProblemsHeader',
      'ProceduresHeader',
      'AnticipatoryCareHeader',
      'EndOfLifeHeader',
      'ImmunisationsHeader',
    ]);
    const text = JSON.stringify(body);
    for (const hidden of ['Chlamydia', 'In vitro', 'Bereavement']) expect(text).not.toContain(hidden);
    expect(section(body, 'ProblemsHeader').text?.div).toContain('Asthma');
    expect(withheld(section(body, 'ProblemsHeader'))).toBe(true);
    expect(withheld(section(body, 'ProceduresHeader'))).toBe(true);
    expect(withheld(section(body, 'AllergiesHeader'))).toBe(false);
    const conditions = body.entry
      ?.filter((e) => e.resource?.resourceType === 'Condition')
      .map((e) => (e.resource as Condition).code?.text);
    expect(conditions).toEqual(['Asthma']);
  });

  it('includes sensitive items with the patient’s consent (labelled), but never a private one', async () => {
    const { body } = await scr('sensitive-included');
    const problems = section(body, 'ProblemsHeader');
    expect(problems.text?.div).toContain('Human immunodeficiency virus infection');
    expect(JSON.stringify(body)).not.toContain('Alcohol misuse counselling');
    expect(withheld(problems)).toBe(true);
    const hiv = body.entry?.find(
      (e) => (e.resource as Condition | undefined)?.code?.text === 'Human immunodeficiency virus infection',
    )?.resource as Condition;
    expect(hiv.meta?.security?.map((c) => c.code)).toContain('HIV');
    expect(hiv.meta?.tag).toBeUndefined();
    expect(section(body, 'RepeatMedsHeader').text?.div).toContain('Emtricitabine');
  });

  it('splits medication into acute, repeat and discontinued, with dosage, quantity, start and last issue', async () => {
    const { body } = await scr('superseded');
    const acute = section(body, 'AcuteMedsHeader').text?.div ?? '';
    expect(acute).toContain(
      '<th>Medication</th><th>Dosage</th><th>Quantity</th><th>Start date</th><th>Last issued</th>',
    );
    expect(acute).toContain(
      '<td>Amoxicillin 500mg capsules</td><td>One capsule three times a day for 7 days</td><td>21 capsules</td><td>24-Oct-2026</td><td>24-Oct-2026</td>',
    );
    const repeat = section(body, 'RepeatMedsHeader').text?.div ?? '';
    expect(repeat).toContain(
      '<td>Ramipril 5mg capsules</td><td>One capsule once a day</td><td>28 capsules</td><td>02-Feb-2014</td>',
    );
    expect(repeat).toContain('Tamsulosin');
    expect(section(body, 'DiscRepeatMedsHeader').text?.div).toContain('<td>Simvastatin 40mg tablets</td>');
    expect(section(body, 'ImmunisationsHeader').text?.div).toContain('Pneumococcal');
  });

  it('returns an empty searchset for an identifier that is not the latest, and refuses what it must', async () => {
    const nhs = demoPatient('core-only').nhsNumber;
    const stale = await t.call(
      'scr',
      `/Bundle?composition.identifier=00000000-0000-4000-8000-000000000000&composition.subject:Patient.identifier=${NHS}|${nhs}`,
    );
    expect(stale.status).toBe(200);
    expect((stale.json() as Bundle).total).toBe(0);
    const optedOut = await scr('opted-out');
    expect(optedOut.doc.securityLabel?.[0]?.coding?.[0]?.code).toBe('No');
    expect(optedOut.status).toBe(403);
    expect(JSON.stringify(optedOut.body)).toContain('opted out of the Summary Care Record');
    const clerk = await scr('core-only', 'receptionist');
    expect(clerk.status).toBe(403);
    expect(JSON.stringify(clerk.body)).toContain('B0370');
  });

  it('writes the record under the patient’s current Consent in the shared care record', async () => {
    const key = 'other-practice';
    expect(codes((await scr(key)).body)).not.toContain('ProblemsHeader');
    const nhs = demoPatient(key).nhsNumber;
    const patient = (await t.call('sharedCare', `/Patient?identifier=${NHS}|${nhs}`)).json() as Bundle;
    const pid = patient.entry?.[0]?.resource?.id;
    const found = (await t.call('sharedCare', `/Consent?patient=Patient/${pid}`)).json() as Bundle;
    const current = found.entry?.[0]?.resource as { id: string; meta: { versionId: string } };
    const now = decodeConsent(current);
    const next = {
      ...encodeConsent({
        ...now,
        preferences: { ...now.preferences, scr: 'core-and-additional' },
        at: '2026-11-20T10:00:00.000Z',
        by: { userId: USERS.gp.userId, name: USERS.gp.name },
        statement: 'Please add my Additional Information.',
      }),
      id: current.id,
    };
    const put = await t.call('sharedCare', `/Consent/${current.id}`, {
      method: 'PUT',
      body: next,
      headers: { 'if-match': `W/"${current.meta.versionId}"` },
    });
    expect(put.status).toBe(200);
    const after = await scr(key);
    expect(section(after.body, 'ProblemsHeader').text?.div).toContain('Hypothyroidism');
  });

  it('records the SCR consent with $setPermission (B0020), then answers by it', async () => {
    const nhs = demoPatient('mig-dissent').nhsNumber;
    const params = (code: string) => ({
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'setPermissions',
          part: [
            { name: 'nhsNumber', valueString: nhs },
            {
              name: 'permissionCode',
              valueCoding: { system: 'https://fhir.nhs.uk/CodeSystem/SCR-ACSPermission', code },
            },
          ],
        },
      ],
    });
    const set = await t.call('scr', '/$setPermission', { body: params('No'), user: 'receptionist' });
    expect(set.status).toBe(201);
    expect((await scr('mig-dissent')).status).toBe(403);
    expect((await t.call('scr', '/$setPermission', { body: params('Ask') })).status).toBe(201);
    expect((await scr('mig-dissent')).status).toBe(200);
    const officer = await t.call('scr', '/$setPermission', { body: params('No'), user: 'officer' });
    expect(officer.status).toBe(403);
    const bad = await t.call('scr', '/$setPermission', {
      body: { resourceType: 'Parameters', parameter: [] },
    });
    expect(bad.status).toBe(400);
    const text = await t.call('scr', '/$setPermission', {
      body: params('No'),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  it('stores a privacy alert once per id, checks the type and reason table, and takes the channel’s word without a token', async () => {
    const alert = (id: string, type: '1' | '2', reason: string, user: string = USERS.gp.userId) => ({
      resourceType: 'AuditEvent',
      id,
      extension: [
        {
          url: 'https://fhir.nhs.uk/StructureDefinition/Extension-SCR-NotificationMessage',
          valueString: `Alert: emergency access ${id}`,
        },
      ],
      type: {
        system: 'https://fhir.nhs.uk/CodeSystem/SCR-AlertType',
        code: type,
        display: type === '1' ? 'Create LR (Self Claimed)' : 'Access Alert',
      },
      subtype: [
        {
          system: 'https://fhir.nhs.uk/CodeSystem/SCR-AlertReason',
          code: reason,
          display: 'Access made in an emergency',
        },
      ],
      recorded: '2026-11-20T10:00:00+00:00',
      outcomeDesc: 'Patient unconscious on arrival',
      agent: [
        {
          who: { identifier: { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: user } },
          requestor: true,
        },
        {
          who: {
            identifier: { system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: USERS.gp.role.urid },
          },
          requestor: false,
        },
        {
          who: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'C81007' } },
          requestor: false,
        },
      ],
      source: {
        observer: { identifier: { system: 'https://fhir.nhs.uk/Id/nhsSpineASID', value: '999000000001' } },
      },
      entity: [{ what: { identifier: { value: '9990000018' } } }],
    });
    const id = 'a1e7c0de-0000-4000-8000-000000000001';
    expect((await t.call('scr', '/AuditEvent', { body: alert(id, '2', '5') })).status).toBe(201);
    expect((await t.call('scr', '/AuditEvent', { body: alert(id, '2', '5') })).status).toBe(200);
    expect(t.sandbox.stores.scr.repo.idsOf('AuditEvent')).toEqual([id]);
    expect(t.sandbox.stores.scr.repo.versionsOf('AuditEvent', id)).toHaveLength(2);
    const notPermitted = await t.call('scr', '/AuditEvent', {
      body: alert('a1e7c0de-0000-4000-8000-000000000002', '2', '4'),
    });
    expect(notPermitted.status).toBe(400);
    expect(JSON.stringify(notPermitted.json())).toContain('Alert type 2 cannot have reason 4');
    const queued = await t.call('scr', '/AuditEvent', {
      body: alert('a1e7c0de-0000-4000-8000-000000000003', '1', '4'),
      user: null,
    });
    expect(queued.status).toBe(201);
    const someoneElse = await t.call('scr', '/AuditEvent', {
      body: alert('a1e7c0de-0000-4000-8000-000000000004', '1', '4', USERS.officer.userId),
    });
    expect(someoneElse.status).toBe(403);
  });
});

describe('a patient added after start-up (Sandbox.addPatient)', () => {
  it('is answered by demographics, the SCR service and the shared care record like a loaded one', async () => {
    const nhs = '9990009015';
    expect(nhsCheckDigit(nhs.slice(0, 9))).toBe(Number(nhs[9]));
    const b = itemBuilder(nhs);
    b.medication('Synthetic medication 5mg tablets', 'One tablet once a day', '2020-01-01', 'active');
    b.allergy('Synthetic allergen', 'Urticaria', 'medication', 'high', '2019-01-01');
    await t.sandbox.addPatient({
      nhs,
      family: 'Quillfeather',
      given: ['Rosalind'],
      birthDate: '1948-09-17',
      gender: 'female',
      addressLine: '9 Tannery Walk, Ashby Moor',
      postcode: 'AM1 7RB',
      gpCode: DEFAULT_DEMO_ORGANISATIONS.practice.code,
      items: b.items,
      relations: b.relations,
      preferences: { scr: 'core', sensitive: 'excluded', mig: 'share' },
    });
    expect((await t.call('demographics', `/Patient/${nhs}`)).status).toBe(200);
    const { bundle } = await latest(nhs);
    const doc = bundle.entry?.[0]?.resource as DocumentReference;
    const r = await t.call(
      'scr',
      `/Bundle?composition.identifier=${doc.masterIdentifier?.value}&composition.subject:Patient.identifier=${NHS}|${nhs}`,
    );
    expect(r.status).toBe(200);
    const body = r.json() as Bundle;
    expect(section(body, 'AllergiesHeader').text?.div).toContain('Synthetic allergen');
    expect(section(body, 'RepeatMedsHeader').text?.div).toContain('Synthetic medication 5mg tablets');
    const shared = await t.call('sharedCare', `/Patient?identifier=${NHS}|${nhs}`);
    expect((shared.json() as Bundle).entry).toHaveLength(1);
  });

  it('must have a GP the sandbox holds', async () => {
    await expect(
      t.sandbox.addPatient({
        nhs: '9990009023',
        family: 'Nobody',
        given: ['No'],
        birthDate: '1950-01-01',
        gender: 'male',
        addressLine: '1 Nowhere',
        postcode: 'AM1 1AA',
        gpCode: 'Z99999',
        items: [],
        relations: [],
        preferences: { scr: 'core', sensitive: 'excluded', mig: 'share' },
      }),
    ).rejects.toThrow(/no organisation Z99999/);
  });
});
