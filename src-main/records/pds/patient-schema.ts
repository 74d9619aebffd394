/**
 * A PDS FHIR R4 Patient (`GET Patient/{nhsNumber}`), as zod schemas: only what the patient view reads.
 * Split in two so that a restricted patient's location fields (address, telecom, GP) are not even parsed:
 * PatientCore is read for everyone, PatientLocation only for an unrestricted patient.
 */
import { z } from 'zod';

export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

const PdsDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date (YYYY-MM-DD)');
/** Period bounds: PDS sends dates; a FHIR dateTime is accepted too (only its date is used). */
const PeriodBound = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/, 'a date (YYYY-MM-DD)');
const Period = z.looseObject({ start: PeriodBound.optional(), end: PeriodBound.optional() });
const short = z.string().max(200);

const HumanName = z.looseObject({
  use: z.enum(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden']).optional(),
  period: Period.optional(),
  given: z.array(short).max(10).optional(),
  family: short.optional(),
  prefix: z.array(short).max(10).optional(),
});
export type HumanName = z.infer<typeof HumanName>;

export const PatientCore = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string().regex(/^\d{10}$/, 'an NHS number (10 digits)'),
  identifier: z
    .array(z.looseObject({ system: z.string().max(1000).optional(), value: short.optional() }))
    .max(10)
    .optional(),
  meta: z
    .looseObject({
      versionId: short.optional(),
      security: z
        .array(z.looseObject({ system: z.string().max(1000).optional(), code: short.optional() }))
        .max(10)
        .optional(),
    })
    .optional(),
  name: z.array(HumanName).max(50).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: PdsDate.optional(),
});
export type PatientCore = z.infer<typeof PatientCore>;

const Address = z.looseObject({
  use: z.enum(['home', 'work', 'temp', 'billing', 'old']).optional(),
  period: Period.optional(),
  line: z.array(short).max(10).optional(),
  postalCode: z.string().max(20).optional(),
});
export type Address = z.infer<typeof Address>;

const GeneralPractitioner = z.looseObject({
  identifier: z.looseObject({
    system: z.string().max(1000).optional(),
    value: z.string().regex(/^[0-9A-Z]{1,12}$/, 'an ODS code'),
    period: Period.optional(),
  }),
  display: short.optional(),
});

/** Read so that a malformed answer is caught; the patient view shows no telecom. */
const ContactPoint = z.looseObject({
  system: z.enum(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other']).optional(),
  value: short.optional(),
  use: z.enum(['home', 'work', 'temp', 'old', 'mobile']).optional(),
  period: Period.optional(),
});

export const PatientLocation = z.looseObject({
  address: z.array(Address).max(50).optional(),
  telecom: z.array(ContactPoint).max(50).optional(),
  generalPractitioner: z.array(GeneralPractitioner).max(5).optional(),
});
export type PatientLocation = z.infer<typeof PatientLocation>;
