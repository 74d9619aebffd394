/**
 * Sharing preferences as a FHIR R4 Consent in the shared care record, and back. One Consent per patient (scope
 * patient-privacy), updated in place: each change is a new version, so the history is the resource's _history.
 *
 * Four nested provisions, each permit or deny, coded in our sharing code system:
 *   scr            deny = opted out of the Summary Care Record
 *   scr-additional permit (with scr permit) = core and Additional Information, otherwise core only
 *   sensitive      permit = sensitive items included
 *   mig            permit = shared through the MIG, deny = dissent
 * Decoding is strict: each of the four codes must appear exactly once, so a Consent that does not say what the
 * patient wants is refused rather than read as a default.
 */
import { z } from 'zod';
import { NHS_NUMBER_SYSTEM } from '../../domain/fhir-resources';
import { isValidNhsNumber } from '../../../src-shared/domain/nhs-number';
import type { SharingPreferences } from '../../../src-shared/domain/records';
import { issuesText } from '../../../src-shared/validation/issues';

export const CONSENT_SCOPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/consentscope';
export const LOINC_SYSTEM = 'http://loinc.org';
/** LOINC 59284-0 "Patient Consent". */
export const CONSENT_CATEGORY_CODE = '59284-0';
export const SHARING_CODE_SYSTEM = 'https://stethoscope.invalid/fhir/CodeSystem/sharing';
export const PATIENT_STATEMENT_EXTENSION =
  'https://stethoscope.invalid/fhir/StructureDefinition/patient-statement';
export const SDS_USER_ID_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';

export type SharingCode = 'scr' | 'scr-additional' | 'sensitive' | 'mig';
const SHARING_CODES: readonly SharingCode[] = ['scr', 'scr-additional', 'sensitive', 'mig'];

export class ConsentCodecError extends Error {
  override readonly name = 'ConsentCodecError';
}

const Coding = z.looseObject({ system: z.string().optional(), code: z.string() });
const Concept = z.looseObject({ coding: z.array(Coding).min(1) });

const Provision = z.looseObject({
  type: z.enum(['permit', 'deny']),
  code: z.array(Concept).min(1),
});

export const ConsentResource = z.looseObject({
  resourceType: z.literal('Consent'),
  id: z.string().optional(),
  meta: z.looseObject({ versionId: z.string().optional(), lastUpdated: z.string().optional() }).optional(),
  status: z.enum(['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error']),
  scope: Concept,
  category: z.array(Concept).min(1),
  patient: z.looseObject({
    reference: z.string().optional(),
    identifier: z.looseObject({ system: z.literal(NHS_NUMBER_SYSTEM), value: z.string() }),
  }),
  dateTime: z.string(),
  performer: z
    .array(
      z.looseObject({
        identifier: z.looseObject({ system: z.literal(SDS_USER_ID_SYSTEM), value: z.string().min(1) }),
        display: z.string().optional(),
      }),
    )
    .min(1),
  extension: z.array(z.looseObject({ url: z.string(), valueString: z.string().optional() })).optional(),
  provision: z.looseObject({ type: z.literal('permit'), provision: z.array(Provision) }),
});
export type ConsentResource = z.infer<typeof ConsentResource>;

/** What a Consent records: the preferences, when, by whom, and the patient's own words. */
export interface ConsentRecord {
  preferences: SharingPreferences;
  patient: { nhsNumber: string; reference?: string };
  /** FHIR dateTime of the recording. */
  at: string;
  by: { userId: string; name: string };
  /** The patient's words; empty when none were recorded (the extension is then left out). */
  statement: string;
}

function provision(code: SharingCode, permit: boolean) {
  return {
    type: permit ? ('permit' as const) : ('deny' as const),
    code: [{ coding: [{ system: SHARING_CODE_SYSTEM, code }] }],
  };
}

/** The Consent resource (without id or meta) for a record of the patient's preferences. */
export function encodeConsent(r: ConsentRecord): ConsentResource {
  const p = r.preferences;
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: 'patient-privacy' }] },
    category: [{ coding: [{ system: LOINC_SYSTEM, code: CONSENT_CATEGORY_CODE }] }],
    patient: {
      ...(r.patient.reference ? { reference: r.patient.reference } : {}),
      identifier: { system: NHS_NUMBER_SYSTEM, value: r.patient.nhsNumber },
    },
    dateTime: r.at,
    performer: [{ identifier: { system: SDS_USER_ID_SYSTEM, value: r.by.userId }, display: r.by.name }],
    ...(r.statement ? { extension: [{ url: PATIENT_STATEMENT_EXTENSION, valueString: r.statement }] } : {}),
    provision: {
      type: 'permit',
      provision: [
        provision('scr', p.scr !== 'opted-out'),
        provision('scr-additional', p.scr === 'core-and-additional'),
        provision('sensitive', p.sensitive === 'included'),
        provision('mig', p.mig === 'share'),
      ],
    },
  };
}

const describeIssue = (e: z.ZodError) => issuesText(e, { max: 1, whole: 'the resource' });

/** Reads a Consent (untrusted) back into preferences; throws ConsentCodecError saying what is wrong. */
export function decodeConsent(value: unknown): ConsentRecord {
  const parsed = ConsentResource.safeParse(value);
  if (!parsed.success)
    throw new ConsentCodecError(
      `The sharing preferences are not a valid Consent (${describeIssue(parsed.error)})`,
    );
  const c = parsed.data;
  if (c.status !== 'active') throw new ConsentCodecError(`The Consent is ${c.status}, not active`);
  if (!isValidNhsNumber(c.patient.identifier.value))
    throw new ConsentCodecError('The Consent names no valid NHS number');
  if (!c.scope.coding.some((s) => s.system === CONSENT_SCOPE_SYSTEM && s.code === 'patient-privacy'))
    throw new ConsentCodecError('The Consent is not a patient-privacy consent');
  const decisions = new Map<SharingCode, boolean>();
  for (const prov of c.provision.provision) {
    for (const concept of prov.code) {
      for (const coding of concept.coding) {
        if (coding.system !== SHARING_CODE_SYSTEM) continue;
        const code = coding.code as SharingCode;
        if (!SHARING_CODES.includes(code))
          throw new ConsentCodecError(`The Consent has an unknown sharing code "${coding.code}"`);
        if (decisions.has(code)) throw new ConsentCodecError(`The Consent says "${code}" more than once`);
        decisions.set(code, prov.type === 'permit');
      }
    }
  }
  const missing = SHARING_CODES.filter((code) => !decisions.has(code));
  if (missing.length > 0) throw new ConsentCodecError(`The Consent does not say ${missing.join(', ')}`);
  const scr = decisions.get('scr') === true;
  const preferences: SharingPreferences = {
    scr: !scr ? 'opted-out' : decisions.get('scr-additional') ? 'core-and-additional' : 'core',
    sensitive: decisions.get('sensitive') ? 'included' : 'excluded',
    mig: decisions.get('mig') ? 'share' : 'dissent',
  };
  const performer = c.performer[0];
  const statement = c.extension?.find((e) => e.url === PATIENT_STATEMENT_EXTENSION)?.valueString ?? '';
  return {
    preferences,
    patient: {
      nhsNumber: c.patient.identifier.value,
      ...(c.patient.reference ? { reference: c.patient.reference } : {}),
    },
    at: c.dateTime,
    by: { userId: performer?.identifier.value ?? '', name: performer?.display ?? '' },
    statement,
  };
}
