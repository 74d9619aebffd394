/**
 * Sensitivity labels (FHIR meta.security) and which ones the SCR treats as sensitive.
 *
 * Codes are from HL7 v3-ActCode, ActInformationSensitivityPolicy:
 * - STD  "sexually transmitted disease information sensitivity": STIs.
 * - HIV  "HIV/AIDS information sensitivity": HIV.
 * - SEX  "sexuality and reproductive health information sensitivity": IVF / human fertilisation and embryology,
 *        terminations of pregnancy, and gender reassignment. v3-ActCode has no narrower code for these three, so
 *        SEX is the policy label, and a second, local coding (SCR_SENSITIVE_CATEGORY_SYSTEM) names which of the
 *        spec's categories the item belongs to, for display in audit reviews and tests.
 * ETH (substance abuse) exists in the value set but is not one of the SCR's sensitive categories, so it is not used.
 * The policy decides on the v3 code only; the local category is descriptive.
 */
import type { Coding } from './fhir-resources';

export const V3_ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const SCR_SENSITIVE_CATEGORY_SYSTEM = 'https://stethoscope.example/CodeSystem/scr-sensitive-category';

export type SensitivityCode = 'STD' | 'HIV' | 'SEX';
export const SENSITIVE_CODES: readonly SensitivityCode[] = ['STD', 'HIV', 'SEX'];

export type SensitiveCategory = 'sti' | 'hiv' | 'ivf' | 'termination' | 'gender-reassignment';

const categoryCode: Record<SensitiveCategory, SensitivityCode> = {
  sti: 'STD',
  hiv: 'HIV',
  ivf: 'SEX',
  termination: 'SEX',
  'gender-reassignment': 'SEX',
};

/** The meta.security codings for an item in one of the spec's sensitive categories. */
export function securityLabels(category: SensitiveCategory): Coding[] {
  return [
    { system: V3_ACT_CODE_SYSTEM, code: categoryCode[category] },
    { system: SCR_SENSITIVE_CATEGORY_SYSTEM, code: category },
  ];
}

/** True when any meta.security coding is one of the SCR's sensitive v3-ActCode labels. */
export function isSensitive(security: readonly Coding[] | undefined): boolean {
  if (!security) return false;
  return security.some(
    (c) => c.system === V3_ACT_CODE_SYSTEM && (SENSITIVE_CODES as readonly string[]).includes(c.code),
  );
}
