/**
 * A patient's Summary Care Record as the SCR service holds it: the SCR's Patient, the DocumentReference (the
 * latest SCR's identifier and the patient's SCR-ACSPermission), the Composition header (identifier, date, source
 * practice; its sections are written per request, under the patient's current preferences) and the GP summary's
 * items. Each item is tagged (meta.tag) with its place in the SCR and, when the GP marked it so, as private;
 * sensitivity stays in meta.security. Medication becomes MedicationRequest (course of therapy, quantity, last
 * issue), the shape that can say acute, repeat or discontinued.
 */
import type {
  DocumentReference,
  Composition,
  MedicationRequest,
  Organization,
  Patient,
  Resource,
  Coding,
} from '@medplum/fhirtypes';
import type { GeneratedPatient } from '../../records/demo-data/population-types';
import { AS_OF } from '../../records/demo-data/population-types';
import { NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM, type ClinicalResource } from '../../domain/fhir-resources';
import type { Organisation, SourceItem } from '../../domain/record-items';
import type { ScrSectionKey } from '../../records/scr/sections';
import {
  COURSE_OF_THERAPY,
  GP_RECORD_FLAG,
  GP_SUMMARY,
  LAST_ISSUED_EXTENSION,
  RFC4122,
  SCR_ACS_PERMISSION,
  SCR_PLACEMENT,
  SCR_UUID_SYSTEM,
  SNOMED,
  type ScrPermission,
} from './codes';
import { stableInt, stableUuid } from './ids';
import { lastIssued, medicationKind, medicationQuantity } from './medication';

/** Where an SCR item goes: a section, or `investigation` (a coded Observation only, no narrative section). */
export type ScrPlacement = ScrSectionKey | 'investigation';

const NHS_VERIFIED = {
  url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1',
  valueCodeableConcept: {
    coding: [
      {
        system: 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1',
        code: '01',
        display: 'Number present and verified',
      },
    ],
  },
};

export const scrPatientId = (nhs: string) => stableUuid(`scr-patient:${nhs}`);
export const scrOrganizationId = (ods: string) => stableUuid(`scr-organization:${ods}`);
/** The latest SCR's identifier (Composition.identifier, DocumentReference.masterIdentifier). */
export const scrIdentifier = (nhs: string) => stableUuid(`scr-identifier:${nhs}`).toUpperCase();

export function scrOrganization(o: Organisation): Organization {
  return {
    resourceType: 'Organization',
    id: scrOrganizationId(o.code),
    identifier: [{ system: ODS_CODE_SYSTEM, value: o.code }],
    name: o.name,
  };
}

/** The permission label the SCR service starts with: opted out = No, otherwise Ask (permission to view). */
export function initialPermission(p: GeneratedPatient): ScrPermission {
  return p.preferences.scr === 'opted-out' ? 'No' : 'Ask';
}

export function permissionLabel(code: ScrPermission): DocumentReference['securityLabel'] {
  return [{ coding: [{ system: SCR_ACS_PERMISSION, code }] }];
}

function placement(item: SourceItem): ScrPlacement | null {
  const r = item.resource;
  if (r.resourceType === 'Observation') return 'investigation';
  if (!item.scr) return null;
  switch (item.scr.group) {
    case 'medications':
      return r.resourceType === 'MedicationStatement'
        ? medicationKind(r.status, r.effectivePeriod?.start)
        : null;
    case 'allergies':
      return 'allergies';
    default:
      return item.scr.group;
  }
}

function tags(place: ScrPlacement, item: SourceItem): Coding[] {
  return [
    { system: SCR_PLACEMENT, code: place },
    ...(item.private ? [{ system: GP_RECORD_FLAG, code: 'private' }] : []),
  ];
}

function medicationRequest(
  r: ClinicalResource & { resourceType: 'MedicationStatement' },
  kind: ScrPlacement,
) {
  const course = kind === 'medications-acute' ? 'acute' : 'continuous';
  const dose = r.dosage?.map((d) => d.text).join('; ') ?? '';
  const resource: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: r.id,
    status: kind === 'medications-discontinued' ? 'stopped' : 'active',
    intent: 'order',
    courseOfTherapyType: {
      coding: [
        {
          system: COURSE_OF_THERAPY,
          code: course,
          display: course === 'acute' ? 'Short course (acute) therapy' : 'Continuous long term therapy',
        },
      ],
    },
    medicationCodeableConcept: { text: r.medicationCodeableConcept.text },
    subject: {},
    ...(r.effectivePeriod?.start ? { authoredOn: r.effectivePeriod.start } : {}),
    dosageInstruction: dose ? [{ text: dose }] : [],
    dispenseRequest: { quantity: medicationQuantity(r.medicationCodeableConcept.text, dose) },
    extension: [
      {
        url: LAST_ISSUED_EXTENSION,
        valueDate: lastIssued(kind as Parameters<typeof lastIssued>[0], r.id, r.effectivePeriod?.start),
      },
    ],
  };
  return resource;
}

/** The item as the SCR holds it, or null when it is not part of the SCR. */
function scrItem(
  item: SourceItem,
  patientRef: { reference: string; identifier: { system: string; value: string } },
) {
  const place = placement(item);
  if (!place) return null;
  const r = item.resource;
  const base = r.resourceType === 'MedicationStatement' ? medicationRequest(r, place) : structuredClone(r);
  const out = { ...base } as Resource & Record<string, unknown>;
  out['meta'] = { ...(r.meta?.security ? { security: r.meta.security } : {}), tag: tags(place, item) };
  if ('patient' in r && r.patient) out['patient'] = patientRef;
  else out['subject'] = patientRef;
  return out as Resource;
}

export interface ScrRecord {
  patient: Patient;
  documentReference: DocumentReference;
  composition: Composition;
  items: Resource[];
}

export function scrRecord(
  p: GeneratedPatient,
  practice: Organisation | null,
  bundleUrl: (identifier: string, nhs: string) => string,
): ScrRecord {
  const patientId = scrPatientId(p.nhs);
  const identifier = scrIdentifier(p.nhs);
  const patientRef = {
    reference: `Patient/${patientId}`,
    identifier: { system: NHS_NUMBER_SYSTEM, value: p.nhs },
  };
  // The GP summary was last sent to the SCR some days before the population's reference date.
  const updated = new Date(
    Date.parse(`${AS_OF}T08:00:00Z`) - stableInt(`scr-date:${p.nhs}`, 60) * 86_400_000,
  );
  const date = updated.toISOString().replace('.000Z', '+00:00');
  const patient: Patient = {
    resourceType: 'Patient',
    id: patientId,
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhs, extension: [NHS_VERIFIED] }],
    name: [{ use: 'usual', family: p.family, given: p.given, ...(p.prefix ? { prefix: [p.prefix] } : {}) }],
    gender: p.gender,
    birthDate: p.birthDate,
  };
  const documentReference: DocumentReference = {
    resourceType: 'DocumentReference',
    id: stableUuid(`scr-document:${p.nhs}`),
    masterIdentifier: { system: SCR_UUID_SYSTEM, value: identifier },
    status: 'current',
    type: { coding: [GP_SUMMARY] },
    subject: { reference: `Patient/${patientId}` },
    date,
    securityLabel: permissionLabel(initialPermission(p)),
    content: [{ attachment: { url: bundleUrl(identifier, p.nhs) } }],
    context: { event: [{ coding: [GP_SUMMARY] }] },
  };
  const composition: Composition = {
    resourceType: 'Composition',
    id: stableUuid(`scr-composition:${p.nhs}`),
    meta: { lastUpdated: updated.toISOString() },
    identifier: { system: RFC4122, value: identifier },
    status: 'final',
    type: { coding: [GP_SUMMARY] },
    category: [
      { coding: [{ system: SNOMED, code: '163171000000105', display: 'Care Professional Documentation' }] },
    ],
    subject: { reference: `Patient/${patientId}` },
    date,
    author: [
      practice
        ? { reference: `Organization/${scrOrganizationId(practice.code)}`, display: practice.name }
        : { display: 'No registered GP practice' },
    ],
    title: 'General Practice Summary',
  };
  const items = p.items.map((i) => scrItem(i, patientRef)).filter((r): r is Resource => r !== null);
  return { patient, documentReference, composition, items };
}
