/**
 * Code systems and codes used in this workstation's AuditEvents (IHE BALP patterns on FHIR R4).
 * Published systems are spelled as their owners publish them; codes that no published system carries live under
 * LOCAL_SYSTEM_BASE, one place to change when the organisation registers its own namespace.
 */
import type { Coding } from './fhir';

export const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
export const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
export const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
export const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
export const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
export const ROLE_CLASS = 'http://terminology.hl7.org/CodeSystem/v3-RoleClass';
export const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
export const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
export const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
export const BALP_AUTHZ_SUBTYPE = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType';

/** NHS England identifier systems. */
export const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
export const SDS_USER_ID = 'https://fhir.nhs.uk/Id/sds-user-id';
export const SDS_ROLE_PROFILE_ID = 'https://fhir.nhs.uk/Id/sds-role-profile-id';
export const SDS_JOB_ROLE = 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode';
export const ODS_ORGANISATION = 'https://fhir.nhs.uk/Id/ods-organization-code';

/**
 * Our own systems. example.org-style placeholder (RFC 2606) on purpose: a deployment sets the organisation's
 * registered base here; the codes below it do not change.
 */
export const LOCAL_SYSTEM_BASE = 'https://stethoscope.example/fhir';
export const WORKSTATION_ID = `${LOCAL_SYSTEM_BASE}/Id/workstation`;
export const LOCAL_EVENT_SUBTYPE = `${LOCAL_SYSTEM_BASE}/CodeSystem/audit-event-subtype`;
/** SCR alert reason codes 1-6 (access policy spec). */
export const SCR_ALERT_REASON = `${LOCAL_SYSTEM_BASE}/CodeSystem/scr-alert-reason`;
export const LR_CLAIM_REASON = `${LOCAL_SYSTEM_BASE}/CodeSystem/lr-self-claim-reason`;
/** Purposes of use declared for privacy-officer reports and extracts (src-main/review/reports/purpose.ts). */
export const REPORT_PURPOSE = `${LOCAL_SYSTEM_BASE}/CodeSystem/report-purpose`;

// Frozen: shared by every event, never changed, and canonicalJson reuses the text of frozen objects.
const dcm = (code: string, display: string): Coding => Object.freeze({ system: DCM, code, display });
const local = (code: string, display: string): Coding =>
  Object.freeze({ system: LOCAL_EVENT_SUBTYPE, code, display });

export const codes = {
  applicationActivity: dcm('110100', 'Application Activity'),
  patientRecord: dcm('110110', 'Patient Record'),
  securityAlert: dcm('110113', 'Security Alert'),
  userAuthentication: dcm('110114', 'User Authentication'),
  login: dcm('110122', 'Login'),
  logout: dcm('110123', 'Logout'),
  query: dcm('110112', 'Query'),
  emergencyOverrideStarted: dcm('110127', 'Emergency Override Started'),
  sourceRole: dcm('110153', 'Source Role ID'),
  destinationRole: dcm('110152', 'Destination Role ID'),
  rest: Object.freeze({
    system: AUDIT_EVENT_TYPE,
    code: 'rest',
    display: 'Restful Operation',
  } satisfies Coding),
  read: Object.freeze({ system: RESTFUL_INTERACTION, code: 'read', display: 'read' } satisfies Coding),
  update: Object.freeze({ system: RESTFUL_INTERACTION, code: 'update', display: 'update' } satisfies Coding),
  authzConsent: Object.freeze({
    system: BALP_AUTHZ_SUBTYPE,
    code: 'AuthZ-Consent',
    display: 'Authorization Decision using Roles and Consent',
  } satisfies Coding),
  informationRecipient: Object.freeze({
    system: PARTICIPATION_TYPE,
    code: 'IRCP',
    display: 'information recipient',
  } satisfies Coding),
  healthcareProvider: Object.freeze({
    system: ROLE_CLASS,
    code: 'PROV',
    display: 'healthcare provider',
  } satisfies Coding),
  entityPerson: Object.freeze({ system: ENTITY_TYPE, code: '1', display: 'Person' } satisfies Coding),
  /** The encounter an event happened in (FHIR resource type as the entity type, as IHE BALP does). */
  entityEncounter: Object.freeze({
    system: 'http://hl7.org/fhir/resource-types',
    code: 'Encounter',
    display: 'Encounter',
  } satisfies Coding),
  entitySystemObject: Object.freeze({
    system: ENTITY_TYPE,
    code: '2',
    display: 'System Object',
  } satisfies Coding),
  rolePatient: Object.freeze({ system: OBJECT_ROLE, code: '1', display: 'Patient' } satisfies Coding),
  roleDomainResource: Object.freeze({
    system: OBJECT_ROLE,
    code: '4',
    display: 'Domain Resource',
  } satisfies Coding),
  roleSecurityResource: Object.freeze({
    system: OBJECT_ROLE,
    code: '13',
    display: 'Security Resource',
  } satisfies Coding),
  roleDataRepository: Object.freeze({
    system: OBJECT_ROLE,
    code: '17',
    display: 'Data Repository',
  } satisfies Coding),
  roleDataDestination: Object.freeze({
    system: OBJECT_ROLE,
    code: '16',
    display: 'Data Destination',
  } satisfies Coding),
  roleReport: Object.freeze({ system: OBJECT_ROLE, code: '3', display: 'Report' } satisfies Coding),
  userDevice: Object.freeze({ system: SOURCE_TYPE, code: '1', display: 'User Device' } satisfies Coding),
  // Subtypes no published system has a code for.
  sessionLocked: local('session-locked', 'Session locked'),
  sessionUnlocked: local('session-unlocked', 'Session unlocked'),
  legalOverride: local('legal-override', 'Legal override of consent'),
  lrSelfClaim: local('lr-self-claim', 'Legitimate relationship self-claimed'),
  preferenceChanged: local('sharing-preference-changed', 'Sharing preference changed'),
  overridePinRefused: local('override-pin-refused', 'PIN refused while confirming an override'),
  preferencesRead: local('sharing-preferences-read', 'Sharing preferences read'),
  deliveryFailure: local('audit-delivery-failure', 'Audit delivery failure'),
  tamperDetected: local('audit-tamper-detected', 'Audit log tampering detected'),
  checkpoint: local('audit-log-checkpoint', 'Audit log checkpoint'),
  greenReport: local('green-report', 'Aggregated report (green data)'),
  amberExtract: local('amber-extract', 'Pseudonymised extract (amber data)'),
  alertReview: local('alert-review', 'Privacy officer review of an alert'),
} as const;

export type PurposeCode = 'TREAT' | 'ETREAT' | 'HLEGAL';
const purposeDisplay: Record<PurposeCode, string> = {
  TREAT: 'treatment',
  ETREAT: 'Emergency Treatment',
  HLEGAL: 'legal',
};
const purposes: Record<PurposeCode, Coding> = {
  TREAT: Object.freeze({ system: ACT_REASON, code: 'TREAT', display: purposeDisplay.TREAT }),
  ETREAT: Object.freeze({ system: ACT_REASON, code: 'ETREAT', display: purposeDisplay.ETREAT }),
  HLEGAL: Object.freeze({ system: ACT_REASON, code: 'HLEGAL', display: purposeDisplay.HLEGAL }),
};
export function purpose(code: PurposeCode): Coding {
  return purposes[code];
}

const scrAlertReasons: Record<1 | 2 | 3 | 4 | 5 | 6, string> = {
  1: 'Public interest',
  2: 'Required by statute',
  3: 'Court order',
  4: 'Self claimed emergency access',
  5: 'Access made in an emergency',
  6: 'Other',
};
/** The words of an SCR alert reason code ('1'..'6'), or null for a code that is not one. */
export function scrAlertReasonLabel(code: string): string | null {
  return Object.hasOwn(scrAlertReasons, code) ? scrAlertReasons[Number(code) as 1 | 2 | 3 | 4 | 5 | 6] : null;
}

export function scrAlertReason(code: 1 | 2 | 3 | 4 | 5 | 6): Coding {
  return { system: SCR_ALERT_REASON, code: String(code), display: scrAlertReasons[code] };
}
