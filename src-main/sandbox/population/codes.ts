/** Code systems and extensions the sandbox's synthetic records use (ours under stethoscope.invalid). */
export {
  SCR_ACS_PERMISSION,
  SCR_ALERT_REASON,
  SCR_ALERT_TYPE,
  SCR_NOTIFICATION_EXTENSION,
} from '../../domain/scr-api';

export const V3_CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const SNOMED = 'http://snomed.info/sct';
/** SNOMED CT 196981000000101 General Practice Summary: the SCR's document type. */
export const GP_SUMMARY = { system: SNOMED, code: '196981000000101', display: 'General Practice Summary' };
export const SCR_UUID_SYSTEM = 'https://fhir.nhs.uk/Id/nhsSCRUUID';
export const RFC4122 = 'https://tools.ietf.org/html/rfc4122';
export const COURSE_OF_THERAPY = 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy';

/** Where an item sits in the SCR (meta.tag): a section key from records/scr/sections.ts, or `investigation`. */
export const SCR_PLACEMENT = 'https://stethoscope.invalid/fhir/CodeSystem/scr-placement';
/** meta.tag code `private`: the GP marked the item private; it never leaves the practice. */
export const GP_RECORD_FLAG = 'https://stethoscope.invalid/fhir/CodeSystem/gp-record-flag';
export { LAST_ISSUED_EXTENSION, QUANTITY_EXTENSION } from '../../domain/fhir-resources';

export type ScrPermission = 'Yes' | 'No' | 'Ask';
