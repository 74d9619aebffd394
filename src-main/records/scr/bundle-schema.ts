/**
 * The SCR API's answer to `GET Bundle?composition.identifier=..` as zod schemas: a searchset Bundle holding one
 * Composition (the General Practice Summary, its sections' XHTML narrative), the Patient, coded Conditions and
 * Observations, and the Practitioners, PractitionerRoles, Organizations, Encounters and Devices they refer to.
 * Only what the workstation reads is modelled; other elements pass through unread (loose objects), and
 * resources of other types are not looked at beyond their resourceType and id.
 */
import { z } from 'zod';

const FHIR_DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
export const FhirDateTime = z.string().regex(FHIR_DATE_TIME, 'a FHIR date or dateTime');

const short = z.string().max(1_000);

export const Coding = z.looseObject({
  system: short.optional(),
  code: short.optional(),
  display: z.string().max(10_000).optional(),
});
export type Coding = z.infer<typeof Coding>;

export const CodeableConcept = z.looseObject({
  coding: z.array(Coding).max(100).optional(),
  text: z.string().max(10_000).optional(),
});

const Meta = z.looseObject({
  lastUpdated: FhirDateTime.optional(),
  security: z.array(Coding).max(100).optional(),
});

export const Reference = z.looseObject({ reference: short.optional(), display: short.optional() });

const Identifier = z.looseObject({ system: short.optional(), value: short.optional() });

export const Extension = z.looseObject({ url: short, valueBoolean: z.boolean().optional() });

export const ScrSection = z.looseObject({
  title: short.optional(),
  code: CodeableConcept.optional(),
  text: z.looseObject({ status: short.optional(), div: z.string() }).optional(),
  entry: z.array(Reference).max(100_000).optional(),
  extension: z.array(Extension).max(100).optional(),
});
export type ScrSection = z.infer<typeof ScrSection>;

export const ScrComposition = z.looseObject({
  resourceType: z.literal('Composition'),
  id: short.min(1),
  meta: Meta.optional(),
  identifier: Identifier.optional(),
  status: short,
  type: CodeableConcept,
  subject: Reference,
  date: FhirDateTime.optional(),
  author: z.array(Reference).max(100).optional(),
  title: short,
  section: z.array(ScrSection).max(200).optional(),
});
export type ScrComposition = z.infer<typeof ScrComposition>;

export const ScrPatient = z.looseObject({
  resourceType: z.literal('Patient'),
  id: short.min(1),
  identifier: z.array(Identifier).max(50).optional(),
});

const coded = {
  id: short.min(1),
  meta: Meta.optional(),
  code: CodeableConcept,
};

export const ScrCondition = z.looseObject({
  resourceType: z.literal('Condition'),
  ...coded,
  clinicalStatus: CodeableConcept.optional(),
  onsetDateTime: FhirDateTime.optional(),
  recordedDate: FhirDateTime.optional(),
});
export type ScrCondition = z.infer<typeof ScrCondition>;

export const ScrObservation = z.looseObject({
  resourceType: z.literal('Observation'),
  ...coded,
  status: short,
  effectiveDateTime: FhirDateTime.optional(),
  effectivePeriod: z.looseObject({ start: FhirDateTime.optional(), end: FhirDateTime.optional() }).optional(),
  valueString: z.string().max(10_000).optional(),
});
export type ScrObservation = z.infer<typeof ScrObservation>;

export const ScrOrganization = z.looseObject({
  resourceType: z.literal('Organization'),
  id: short.min(1),
  name: short.optional(),
  identifier: z.array(Identifier).max(50).optional(),
});

export const ScrPractitionerRole = z.looseObject({
  resourceType: z.literal('PractitionerRole'),
  id: short.min(1),
  organization: Reference.optional(),
});

/** The Bundle itself; each entry's resource is parsed by its own schema once its type is known. */
export const ScrBundleShell = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  timestamp: FhirDateTime.optional(),
  total: z.number().int().min(0).optional(),
  entry: z
    .array(
      z.looseObject({
        fullUrl: short.optional(),
        resource: z.looseObject({ resourceType: z.string().max(100), id: short.optional() }),
      }),
    )
    .max(100_000)
    .optional(),
});
