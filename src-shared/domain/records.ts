/**
 * What the renderer may receive about patients and their shared records.
 * These are display views assembled and filtered in main; withheld items never appear here, only the
 * `withheld` flag, which says that something was withheld but never what or how many.
 */
import { z } from 'zod';
import { NarrativeView } from './scr-view';
import { NHS_NUMBER_PROBLEM_TEXT, nhsNumberProblem, normaliseNhsNumber } from './nhs-number';

/** The marker a schema issue carries when the value is not a valid NHS number (the wire answers 'invalid-nhs-number'). */
export const INVALID_NHS_NUMBER = 'invalid-nhs-number';

/**
 * A valid NHS number: spaces and dashes allowed on input, ten digits with a correct check digit out. A bad one
 * fails with the plain-words reason and the INVALID_NHS_NUMBER marker in the issue's params.
 */
export const NhsNumber = z.string().transform((input, ctx) => {
  const problem = input.length > 20 ? 'not-ten-digits' : nhsNumberProblem(input);
  if (problem === null) return normaliseNhsNumber(input);
  ctx.addIssue({
    code: 'custom',
    message: NHS_NUMBER_PROBLEM_TEXT[problem],
    params: { marker: INVALID_NHS_NUMBER },
  });
  return z.NEVER;
});

export const DemographicMismatch = z.object({
  field: z.enum(['name', 'birthDate', 'gender']),
  /** As the demographics service (PDS) holds it. */
  demographics: z.string(),
  /** As the shared care record holds it. */
  sharedCare: z.string(),
});
export type DemographicMismatch = z.infer<typeof DemographicMismatch>;

export const PatientSummary = z.object({
  nhsNumber: NhsNumber,
  family: z.string(),
  given: z.array(z.string()),
  prefix: z.string().optional(),
  birthDate: z.string(),
  gender: z.enum(['male', 'female', 'other', 'unknown']),
  /** First part of the address and postcode, enough to tell two people apart. */
  addressLine: z.string(),
  postcode: z.string(),
  gpPracticeName: z.string(),
  /** Restricted record (PDS): no address, telecom or GP is held or shown; the banner says so. */
  restricted: z.literal(true).optional(),
  /** The NHS number that was asked for, when it has been superseded by `nhsNumber`. */
  supersededNumber: z.string().optional(),
  /** How close a demographic search result is (PDS's score band); a close match is never preselected. */
  match: z.enum(['exact', 'close']).optional(),
  /** Where the shared care record's demographics differ from PDS, field by field. */
  mismatch: z.array(DemographicMismatch).optional(),
});
export type PatientSummary = z.infer<typeof PatientSummary>;

export const ScrLevel = z.enum(['opted-out', 'core', 'core-and-additional']);
export const SensitiveConsent = z.enum(['excluded', 'included']);
export const MigConsent = z.enum(['share', 'dissent']);

export const SharingPreferences = z.object({
  scr: ScrLevel,
  sensitive: SensitiveConsent,
  mig: MigConsent,
});
export type SharingPreferences = z.infer<typeof SharingPreferences>;

export const PreferenceChange = z.object({
  at: z.string(),
  byUserId: z.string(),
  byName: z.string(),
  from: SharingPreferences,
  to: SharingPreferences,
  patientStatement: z.string(),
});
export type PreferenceChange = z.infer<typeof PreferenceChange>;

export const LegitimateRelationship = z.enum(['registered', 'referred', 'treating', 'self-claimed', 'none']);
export type LegitimateRelationship = z.infer<typeof LegitimateRelationship>;

/** The permission-to-view state of the current encounter with this patient. */
/**
 * Where a privacy officer alert (an override, a self-claimed relationship) stands: `told` once it reached every
 * configured audit service (FHIR delivered, ATNA sent, SCR alert delivered); `sending` while it is queued and the
 * services answer; `waiting` while it is queued and a service is failing or offline, with how many audit events
 * wait on this workstation. The screen says "the privacy officer has been told" only for `told`.
 */
export const AlertDelivery = z.object({
  /** The alert's audit event id (the screen asks for it again by this id). */
  id: z.string().min(1).max(100),
  state: z.enum(['told', 'sending', 'waiting']),
  waiting: z.number().int().min(0),
});
export type AlertDelivery = z.infer<typeof AlertDelivery>;

export const PtvView = z.discriminatedUnion('state', [
  z.object({ state: z.literal('not-asked') }),
  z.object({ state: z.literal('refused'), at: z.string() }),
  z.object({
    state: z.literal('granted'),
    basis: z.enum(['permission', 'emergency', 'legal']),
    at: z.string(),
    expiresAt: z.string(),
    reasonCode: z.number().int().min(1).max(6).optional(),
    /** For an override: where its privacy officer alert stands (absent when not known). */
    alert: AlertDelivery.optional(),
  }),
]);
export type PtvView = z.infer<typeof PtvView>;

export const EncounterView = z.object({
  patient: PatientSummary,
  relationship: LegitimateRelationship,
  ptv: PtvView,
  preferences: SharingPreferences,
  /** What the signed-in role profile may do here. */
  can: z.object({
    askPermission: z.boolean(),
    emergency: z.boolean(),
    /**
     * The emergency path: no relationship is recorded, the patient cannot be asked, and the role has emergency
     * access; one form records the self-claimed relationship and the override together.
     */
    emergencyClaim: z.boolean(),
    legal: z.boolean(),
    changePreferences: z.boolean(),
    viewScr: z.boolean(),
    viewMig: z.boolean(),
  }),
  /** Plain-words reasons when a view is unavailable (e.g. "The patient has opted out of the SCR"). */
  notes: z.array(z.string()),
});
export type EncounterView = z.infer<typeof EncounterView>;

export const RecordEntry = z.object({
  id: z.string(),
  text: z.string(),
  date: z.string().optional(),
  status: z.string().optional(),
  detail: z.string().optional(),
  /** Medication: the quantity issued each time ("56 tablets") and the date of the last issue. */
  quantity: z.string().optional(),
  lastIssued: z.string().optional(),
});
export type RecordEntry = z.infer<typeof RecordEntry>;

export const RecordSection = z.object({
  key: z.string(),
  title: z.string(),
  /** An SCR core section (medication, allergies and adverse reactions): main decides, the renderer follows. */
  core: z.boolean(),
  entries: z.array(RecordEntry),
  /** The section's text as the Summary Care Record service wrote it, as typed blocks (never markup). */
  narrative: NarrativeView.optional(),
});
export type RecordSection = z.infer<typeof RecordSection>;

export const AccessBanner = z.object({
  basis: z.enum(['permission', 'emergency', 'legal']),
  expiresAt: z.string(),
});

/** A warning the record screen shows before anything else; main finds it in what it releases. */
export const RecordWarning = z.object({
  kind: z.enum(['allergy', 'end-of-life']),
  text: z.string(),
});
export type RecordWarning = z.infer<typeof RecordWarning>;

export const RecordView = z.object({
  kind: z.enum(['scr', 'mig']),
  patient: PatientSummary,
  access: AccessBanner,
  sections: z.array(RecordSection),
  /** true when one or more entries were withheld; says nothing of what or how many. */
  withheld: z.boolean(),
  /** High-criticality allergies and end-of-life care information, from the released sections only. */
  warnings: z.array(RecordWarning).optional(),
  /** Which service answered, and (SCR) when the GP summary was last updated and by which practice. */
  origin: z
    .object({
      service: z.string(),
      lastUpdated: z.string().nullable(),
      practice: z.string().nullable(),
    })
    .optional(),
});
export type RecordView = z.infer<typeof RecordView>;
