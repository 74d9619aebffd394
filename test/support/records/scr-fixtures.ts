/**
 * Synthetic SCR API bundles and PDS Patients in the shapes of the public NHS specifications (our own invented
 * people, practices and numbers; NHS numbers in the 999 test range with valid check digits).
 */
import { SECTION_WITHHELD_EXTENSION } from '../../../src-main/records/scr/sections';

export const NHS = {
  /** The SCR patient and the plain PDS patient. */
  ffion: '9997000013',
  /** A retired number PDS answers with `current`. */
  retired: '9997000021',
  current: '9997000048',
  restricted: '9997000056',
  other: '9997000064',
} as const;

const BASE = 'https://scr.test.invalid/summary-care-record/FHIR/R4';

export interface SectionSpec {
  code?: string;
  title?: string;
  div?: string;
  withheld?: boolean;
  /** References listed in section.entry, e.g. "Condition/c1". */
  entries?: string[];
}

export function xhtml(inner: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;
}

/** An SCR-style table: a header row, then body rows (an empty string gives the self-closing <td/>). */
export function scrTable(id: string, header: string[], rows: string[][]): string {
  const head = `<thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map(
      (r, i) =>
        `<tr class="${i % 2 ? 'evenRow' : 'oddRow'}">${r.map((c) => (c ? `<td>${c}</td>` : '<td/>')).join('')}</tr>`,
    )
    .join('\n');
  return xhtml(`<table id="${id}" summary="Synthetic ${id} table">${head}<tbody>${body}</tbody></table>`);
}

export const TITLE_DIV = xhtml(
  '<h3 id="Disclaimer">Sourced from the patient\'s General Practice record (synthetic test data).</h3>' +
    '<p id="CreateTime">Summary Created: 02-Mar-2026 09:15</p>' +
    '<p id="Author">Created by: QUILLER, Bryn (Dr)</p>' +
    '<p id="Practice">Hollins Lane Surgery, 4 Mill Row, Exampleton, XX1 1XX.</p>',
);

export function defaultSections(): SectionSpec[] {
  return [
    { code: 'Title', title: 'General Practice Summary', div: TITLE_DIV },
    // Sent out of display order on purpose: the reader orders them.
    {
      code: 'ProblemsHeader',
      title: 'Problems and Issues',
      div: scrTable(
        'Problems',
        ['Date', 'Description', 'Additional information'],
        [
          ['11-Jan-2025', 'Asthma', 'Significant Active'],
          ['03-Feb-2024', 'Chlamydia infection', 'Problem; Resolved'],
        ],
      ),
      entries: ['Condition/cond-asthma', 'Condition/cond-sti'],
      withheld: true,
    },
    {
      code: 'AllergiesHeader',
      title: 'Allergies and Adverse Reactions',
      div: scrTable(
        'Allergies',
        ['Date', 'Description', 'Certainty', 'Severity', 'Supporting Information'],
        [['12-May-2025', 'Penicillin allergy &amp; rash', '', '', 'Problem; First']],
      ),
    },
    {
      code: 'RisksToPatientHeader',
      title: 'Risks to Patient',
      div: xhtml('<p>Lives alone.</p>'),
    },
    {
      code: 'AcuteMedsHeader',
      title: 'Acute Medications (For the 12 month period 02-Mar-2025 to 02-Mar-2026)',
      div: scrTable(
        'AcuteMeds',
        ['Type', 'Date', 'Medication Item', 'Dosage Instructions', 'Quantity'],
        [
          [
            'Acute Medication',
            'Prescribed: 20-Feb-2026',
            'Amoxicillin 500mg capsules',
            'One Three Times A Day',
            '21 capsule',
          ],
        ],
      ),
    },
    {
      code: 'RepeatMedsHeader',
      title: 'Current Repeat Medications',
      div: scrTable(
        'RepeatMeds',
        ['Type', 'Date', 'Medication Item', 'Dosage Instructions', 'Quantity'],
        [
          [
            'Repeat Medication',
            'Last Issued: 01-Feb-2026',
            'Salbutamol 100micrograms/dose inhaler',
            'Two Puffs When Required',
            '1 inhaler',
          ],
        ],
      ),
    },
    {
      code: 'DiscRepeatMedsHeader',
      title: 'Discontinued Repeat Medications',
      div: xhtml(
        '<table><thead><tr><th>Type</th><th>Date</th><th>Medication Item</th></tr></thead>' +
          '<tbody><tr><td colspan="3">No relevant information available for this category.</td></tr></tbody></table>',
      ),
    },
  ];
}

function section(s: SectionSpec) {
  const out: Record<string, unknown> = {};
  if (s.title !== undefined) out['title'] = s.title;
  if (s.code !== undefined) out['code'] = { coding: [{ code: s.code }] };
  if (s.div !== undefined) out['text'] = { status: 'generated', div: s.div };
  if (s.entries) out['entry'] = s.entries.map((reference) => ({ reference }));
  if (s.withheld) out['extension'] = [{ url: SECTION_WITHHELD_EXTENSION, valueBoolean: true }];
  return out;
}

function entry(resource: Record<string, unknown>) {
  return { fullUrl: `${BASE}/${String(resource['resourceType'])}/${String(resource['id'])}`, resource };
}

export interface BundleSpec {
  nhsNumber?: string;
  sections?: SectionSpec[];
  /** Composition fields to replace. */
  composition?: Record<string, unknown>;
  /** Author references of the Composition (default: the PractitionerRole of the practice). */
  authors?: string[];
  extra?: Record<string, unknown>[];
}

export function conditions(): Record<string, unknown>[] {
  return [
    {
      resourceType: 'Condition',
      id: 'cond-asthma',
      identifier: [{ value: 'cond-asthma' }],
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      category: [
        { coding: [{ system: 'http://snomed.info/sct', code: '163001000000103', display: 'Diagnoses' }] },
      ],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' }] },
      onsetDateTime: '2025-01-11',
    },
    {
      resourceType: 'Condition',
      id: 'cond-sti',
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'STD' }] },
      identifier: [{ value: 'cond-sti' }],
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }],
      },
      category: [
        { coding: [{ system: 'http://snomed.info/sct', code: '163001000000103', display: 'Diagnoses' }] },
      ],
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '105629000', display: 'Chlamydial infection' }],
      },
      onsetDateTime: '2024-02-03',
    },
    {
      resourceType: 'Observation',
      id: 'obs-peak-flow',
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://snomed.info/sct', code: '163141000000104', display: 'Investigation Results' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '29893006', display: 'Peak flow rate' }] },
      effectivePeriod: { start: '2026-01-05T10:00:00+00:00' },
      valueString: '420 L/min',
    },
  ];
}

/** A searchset as the SCR API answers GET Bundle?composition.identifier=.. (our synthetic content). */
export function scrBundle(spec: BundleSpec = {}): Record<string, unknown> {
  const nhs = spec.nhsNumber ?? NHS.ffion;
  const composition = {
    resourceType: 'Composition',
    id: 'comp-0001',
    meta: { lastUpdated: '2026-03-02T09:20:00+00:00' },
    identifier: {
      system: 'https://tools.ietf.org/html/rfc4122',
      value: '6f1c2a9e-4a55-4c1e-9f0a-3b7d2e1c0001',
    },
    status: 'final',
    type: {
      coding: [
        { system: 'http://snomed.info/sct', code: '196981000000101', display: 'General Practice Summary' },
      ],
    },
    category: [
      {
        coding: [
          {
            system: 'http://snomed.info/sct',
            code: '163171000000105',
            display: 'Care Professional Documentation',
          },
        ],
      },
    ],
    subject: { reference: 'Patient/pat-0001' },
    date: '2026-03-02T09:15:00+00:00',
    author: (spec.authors ?? ['PractitionerRole/role-0001']).map((reference) => ({ reference })),
    title: 'General Practice Summary',
    section: (spec.sections ?? defaultSections()).map(section),
    ...spec.composition,
  };
  const resources: Record<string, unknown>[] = [
    composition,
    {
      resourceType: 'Patient',
      id: 'pat-0001',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs }],
    },
    {
      resourceType: 'PractitionerRole',
      id: 'role-0001',
      practitioner: { reference: 'Practitioner/prac-0001' },
      organization: { reference: 'Organization/org-0001' },
    },
    { resourceType: 'Practitioner', id: 'prac-0001', name: [{ text: 'Dr Bryn Quiller' }] },
    {
      resourceType: 'Organization',
      id: 'org-0001',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'Y90001' }],
      name: 'Hollins Lane Surgery',
    },
    ...conditions(),
    ...(spec.extra ?? []),
  ];
  return {
    resourceType: 'Bundle',
    id: 'bundle-0001',
    identifier: {
      system: 'https://tools.ietf.org/html/rfc4122',
      value: '0b9e6d2c-1f0a-4d7e-8c3b-5a2f1e0d0001',
    },
    type: 'searchset',
    timestamp: '2026-03-02T10:00:00+00:00',
    total: resources.length,
    entry: resources.map(entry),
  };
}

export interface PatientSpec {
  id?: string;
  restricted?: boolean;
  security?: { system?: string; code: string }[];
  /** Fields to replace or add. */
  with?: Record<string, unknown>;
}

/** A PDS Patient as GET Patient/{nhsNumber} answers (our synthetic person). */
export function pdsPatient(spec: PatientSpec = {}): Record<string, unknown> {
  const id = spec.id ?? NHS.ffion;
  const security = spec.security ?? [
    spec.restricted
      ? {
          system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
          code: 'R',
          display: 'restricted',
        }
      : {
          system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
          code: 'U',
          display: 'unrestricted',
        },
  ];
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: id }],
    meta: { versionId: '3', security },
    name: [
      {
        id: 'n1',
        use: 'usual',
        period: { start: '2019-06-01' },
        given: ['Ffion', 'Rhiannon'],
        family: 'Marwood',
        prefix: ['Ms'],
      },
      {
        id: 'n0',
        use: 'old',
        period: { start: '1988-04-12', end: '2019-05-31' },
        given: ['Ffion'],
        family: 'Telyn',
      },
    ],
    gender: 'female',
    birthDate: '1988-04-12',
    address: [
      {
        id: 'a0',
        use: 'home',
        period: { start: '2010-01-01', end: '2020-12-31' },
        line: ['9 Old Quay', 'Formerton'],
        postalCode: 'XX9 9XX',
      },
      {
        id: 'a1',
        use: 'home',
        period: { start: '2021-01-01' },
        line: ['Flat 2', '17 Wren Street', 'Exampleton'],
        postalCode: 'XX1 2XY',
      },
    ],
    telecom: [{ id: 't1', system: 'phone', value: '01632 960999', use: 'home' }],
    generalPractitioner: [
      {
        id: 'gp1',
        type: 'Organization',
        identifier: {
          system: 'https://fhir.nhs.uk/Id/ods-organization-code',
          value: 'Y90001',
          period: { start: '2021-01-05' },
        },
      },
    ],
    ...spec.with,
  };
}
