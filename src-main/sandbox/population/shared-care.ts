/**
 * A patient in the regional shared care record: the Patient (with the demographics the shared care record
 * holds, which can differ from PDS), the clinical items the GP shares through the MIG (never the private ones;
 * sensitivity in meta.security for the workstation to filter), organisations as references the record can be
 * searched by, and one Consent with the patient's sharing preferences, whose versions are the history.
 */
import type { Organization, Patient, Resource } from '@medplum/fhirtypes';
import { REGISTRATION_CLERK } from '../../records/demo-data/population';
import { AS_OF, type GeneratedPatient } from '../../records/demo-data/population-types';
import { NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM } from '../../domain/fhir-resources';
import type { Organisation } from '../../domain/record-items';
import { DEFAULT_PREFERENCES } from '../../domain/record-items';
import { encodeConsent, type ConsentResource } from '../../records/shared-care/consent-codec';
import { LAST_ISSUED_EXTENSION, QUANTITY_EXTENSION, V3_CONFIDENTIALITY } from './codes';
import { lastIssued, medicationKind, medicationQuantity } from './medication';
import type { ClinicalResource } from '../../domain/fhir-resources';
import { stableUuid } from './ids';
import { addressLines } from './pds';

export const sharedPatientId = (nhs: string) => stableUuid(`shared-patient:${nhs}`);
export const sharedOrganizationId = (ods: string) => stableUuid(`shared-organization:${ods}`);
export const consentId = (nhs: string) => stableUuid(`consent:${nhs}`);

/** When the default preferences of every demo patient are taken to have been recorded. */
const DEFAULTS_RECORDED = '2020-01-06T09:00:00.000Z';

/** The GP system's issue details of a medication (the same, derived the same way, as the SCR's MedicationRequest). */
function issueDetails(
  m: Extract<ClinicalResource, { resourceType: 'MedicationStatement' }>,
): { url: string; valueDate?: string; valueQuantity?: object }[] {
  const dose = m.dosage?.map((d) => d.text).join('; ') ?? '';
  const kind = medicationKind(m.status, m.effectivePeriod?.start);
  return [
    { url: LAST_ISSUED_EXTENSION, valueDate: lastIssued(kind, m.id, m.effectivePeriod?.start) },
    { url: QUANTITY_EXTENSION, valueQuantity: medicationQuantity(m.medicationCodeableConcept.text, dose) },
  ];
}

export function sharedOrganization(o: Organisation): Organization {
  return {
    resourceType: 'Organization',
    id: sharedOrganizationId(o.code),
    identifier: [{ system: ODS_CODE_SYSTEM, value: o.code }],
    name: o.name,
  };
}

function withOrgReference<T extends { identifier: { value: string } }>(ref: T): T & { reference: string } {
  return { ...ref, reference: `Organization/${sharedOrganizationId(ref.identifier.value)}` };
}

export interface SharedCareRecord {
  patient: Patient;
  items: Resource[];
  /** The Consent's versions, oldest first (written as one resource updated in place). */
  consentVersions: (ConsentResource & { id: string })[];
}

export function sharedCareRecord(
  p: GeneratedPatient,
  orgName: (code: string) => string | undefined,
): SharedCareRecord {
  const id = sharedPatientId(p.nhs);
  const d = {
    family: p.family,
    given: p.given,
    birthDate: p.birthDate,
    gender: p.gender,
    ...p.sharedCareDemographics,
  };
  const restricted = p.pds?.restricted === true;
  const patient: Patient = {
    resourceType: 'Patient',
    id,
    ...(restricted
      ? { meta: { security: [{ system: V3_CONFIDENTIALITY, code: 'R', display: 'restricted' }] } }
      : {}),
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhs }],
    name: [{ use: 'usual', family: d.family, given: d.given, ...(p.prefix ? { prefix: [p.prefix] } : {}) }],
    gender: d.gender,
    birthDate: d.birthDate,
    // A restricted patient's whereabouts are not passed on from PDS, here either.
    ...(restricted
      ? {}
      : { address: [{ use: 'home', line: addressLines(p.addressLine), postalCode: p.postcode }] }),
    ...(p.gpCode && !restricted
      ? {
          generalPractitioner: [
            withOrgReference({
              identifier: { system: ODS_CODE_SYSTEM, value: p.gpCode },
              ...(orgName(p.gpCode) ? { display: orgName(p.gpCode) } : {}),
            }),
          ],
        }
      : {}),
  };
  const patientRef = { reference: `Patient/${id}`, identifier: { system: NHS_NUMBER_SYSTEM, value: p.nhs } };
  const items: Resource[] = [];
  for (const item of p.items) {
    if (item.private || item.mig === null) continue;
    const r = structuredClone(item.resource) as Resource & Record<string, unknown>;
    if ('patient' in r) r['patient'] = patientRef;
    else r['subject'] = patientRef;
    if (item.resource.resourceType === 'Encounter')
      r['serviceProvider'] = withOrgReference(item.resource.serviceProvider);
    if (item.resource.resourceType === 'ServiceRequest')
      r['performer'] = item.resource.performer.map(withOrgReference);
    if (item.resource.resourceType === 'MedicationStatement') r['extension'] = issueDetails(item.resource);
    items.push(r);
  }
  const consent = (prefs: GeneratedPatient['preferences'], at: string, statement: string) => ({
    ...encodeConsent({
      preferences: prefs,
      patient: { nhsNumber: p.nhs, reference: `Patient/${id}` },
      at,
      by: { userId: REGISTRATION_CLERK.id, name: REGISTRATION_CLERK.name },
      statement,
    }),
    id: consentId(p.nhs),
  });
  const consentVersions = [consent(DEFAULT_PREFERENCES, DEFAULTS_RECORDED, '')];
  // As in the SQLite population: a recorded wish is one change from the defaults, made on the reference date.
  const differs = (Object.keys(DEFAULT_PREFERENCES) as (keyof typeof DEFAULT_PREFERENCES)[]).some(
    (k) => p.preferences[k] !== DEFAULT_PREFERENCES[k],
  );
  if (p.preferenceStatement || differs)
    consentVersions.push(consent(p.preferences, `${AS_OF}T09:00:00.000Z`, p.preferenceStatement ?? ''));
  return { patient, items, consentVersions };
}
