/**
 * FHIR R4-shaped resources held by a record source, as zod schemas (parsed on every read: the store is a file we
 * did not necessarily write) with their TypeScript types. Only the elements the workstation uses are modelled;
 * unknown elements are kept (loose) so a remote source's extra fields do not fail parsing.
 */
import { z } from 'zod';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

export const Coding = z.looseObject({
  system: z.string().optional(),
  code: z.string(),
  display: z.string().optional(),
});
export type Coding = z.infer<typeof Coding>;

export const CodeableConcept = z.looseObject({ coding: z.array(Coding).optional(), text: z.string() });
export type CodeableConcept = z.infer<typeof CodeableConcept>;

export const OrgReference = z.looseObject({
  identifier: z.looseObject({ system: z.literal(ODS_CODE_SYSTEM), value: z.string() }),
  display: z.string().optional(),
});
export type OrgReference = z.infer<typeof OrgReference>;

const Meta = z.looseObject({ security: z.array(Coding).optional() });
const Subject = z.looseObject({
  identifier: z.looseObject({ system: z.literal(NHS_NUMBER_SYSTEM), value: z.string() }),
});

const base = {
  id: z.string().min(1),
  meta: Meta.optional(),
  subject: Subject.optional(),
  patient: Subject.optional(),
};

export const AllergyIntolerance = z.looseObject({
  resourceType: z.literal('AllergyIntolerance'),
  ...base,
  clinicalStatus: CodeableConcept.optional(),
  category: z.array(z.enum(['food', 'medication', 'environment', 'biologic'])).optional(),
  criticality: z.enum(['low', 'high', 'unable-to-assess']).optional(),
  code: CodeableConcept,
  recordedDate: z.string().optional(),
  reaction: z.array(z.looseObject({ manifestation: z.array(CodeableConcept) })).optional(),
});

/** MedicationRequest / MedicationStatement: the date of the last issue (R4 has no element for it). */
export const LAST_ISSUED_EXTENSION = 'https://stethoscope.invalid/fhir/StructureDefinition/last-issued';
/** MedicationStatement: the quantity issued each time (R4 keeps it on MedicationRequest.dispenseRequest only). */
export const QUANTITY_EXTENSION = 'https://stethoscope.invalid/fhir/StructureDefinition/issued-quantity';

const MedicationExtension = z.looseObject({
  url: z.string(),
  valueDate: z.string().optional(),
  valueQuantity: z.looseObject({ value: z.number(), unit: z.string().optional() }).optional(),
});

export const MedicationStatement = z.looseObject({
  resourceType: z.literal('MedicationStatement'),
  ...base,
  status: z.enum([
    'active',
    'completed',
    'stopped',
    'on-hold',
    'intended',
    'entered-in-error',
    'not-taken',
    'unknown',
  ]),
  medicationCodeableConcept: CodeableConcept,
  dosage: z.array(z.looseObject({ text: z.string() })).optional(),
  effectivePeriod: z.looseObject({ start: z.string().optional(), end: z.string().optional() }).optional(),
  extension: z.array(MedicationExtension).optional(),
});

export const Condition = z.looseObject({
  resourceType: z.literal('Condition'),
  ...base,
  clinicalStatus: CodeableConcept.optional(),
  code: CodeableConcept,
  onsetDateTime: z.string().optional(),
  recordedDate: z.string().optional(),
});

export const Procedure = z.looseObject({
  resourceType: z.literal('Procedure'),
  ...base,
  status: z.string(),
  code: CodeableConcept,
  performedDateTime: z.string().optional(),
});

export const Immunization = z.looseObject({
  resourceType: z.literal('Immunization'),
  ...base,
  status: z.enum(['completed', 'entered-in-error', 'not-done']),
  vaccineCode: CodeableConcept,
  occurrenceDateTime: z.string(),
});

/** Anticipatory care and end-of-life care plans. */
export const CarePlan = z.looseObject({
  resourceType: z.literal('CarePlan'),
  ...base,
  status: z.string(),
  intent: z.string(),
  category: z.array(CodeableConcept).optional(),
  title: z.string(),
  description: z.string().optional(),
  created: z.string().optional(),
});

/** Communication preferences and other alerts. */
export const Flag = z.looseObject({
  resourceType: z.literal('Flag'),
  ...base,
  status: z.enum(['active', 'inactive', 'entered-in-error']),
  category: z.array(CodeableConcept).optional(),
  code: CodeableConcept,
  period: z.looseObject({ start: z.string().optional() }).optional(),
});

export const Encounter = z.looseObject({
  resourceType: z.literal('Encounter'),
  ...base,
  status: z.string(),
  class: Coding,
  type: z.array(CodeableConcept).optional(),
  period: z.looseObject({ start: z.string().optional() }).optional(),
  serviceProvider: OrgReference,
});

/** Investigations (test results). */
export const Observation = z.looseObject({
  resourceType: z.literal('Observation'),
  ...base,
  status: z.string(),
  code: CodeableConcept,
  effectiveDateTime: z.string().optional(),
  valueString: z.string().optional(),
});

/** Referrals. */
export const ServiceRequest = z.looseObject({
  resourceType: z.literal('ServiceRequest'),
  ...base,
  status: z.string(),
  intent: z.string(),
  code: CodeableConcept,
  authoredOn: z.string().optional(),
  performer: z.array(OrgReference).min(1),
});

export const ClinicalResource = z.discriminatedUnion('resourceType', [
  AllergyIntolerance,
  MedicationStatement,
  Condition,
  Procedure,
  Immunization,
  CarePlan,
  Flag,
  Encounter,
  Observation,
  ServiceRequest,
]);
export type ClinicalResource = z.infer<typeof ClinicalResource>;
export type ClinicalResourceType = ClinicalResource['resourceType'];

export const FhirPatient = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string(),
  identifier: z.array(z.looseObject({ system: z.string(), value: z.string() })).min(1),
  name: z
    .array(
      z.looseObject({
        family: z.string(),
        given: z.array(z.string()),
        prefix: z.array(z.string()).optional(),
      }),
    )
    .min(1),
  gender: z.enum(['male', 'female', 'other', 'unknown']),
  birthDate: z.string(),
  address: z.array(z.looseObject({ line: z.array(z.string()), postalCode: z.string() })),
  generalPractitioner: z.array(OrgReference).optional(),
  communication: z
    .array(z.looseObject({ language: CodeableConcept, preferred: z.boolean().optional() }))
    .optional(),
});
export type FhirPatient = z.infer<typeof FhirPatient>;
