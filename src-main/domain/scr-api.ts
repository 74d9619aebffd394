/**
 * Code systems of the NHS SCR FHIR API that both the workstation's client and the test SCR service speak: the
 * patient's SCR consent (SCR-ACSPermission) and the privacy alerts (alert type, reason, notification message).
 */
export const SCR_ACS_PERMISSION = 'https://fhir.nhs.uk/CodeSystem/SCR-ACSPermission';
export const SCR_ALERT_TYPE = 'https://fhir.nhs.uk/CodeSystem/SCR-AlertType';
export const SCR_ALERT_REASON = 'https://fhir.nhs.uk/CodeSystem/SCR-AlertReason';
export const SCR_NOTIFICATION_EXTENSION =
  'https://fhir.nhs.uk/StructureDefinition/Extension-SCR-NotificationMessage';

/** The API's alert types: 1 "Create LR (Self Claimed)", 2 "Access Alert". */
export const SCR_ALERT_TYPES = { '1': 'Create LR (Self Claimed)', '2': 'Access Alert' } as const;

/** The API's alert reasons (the same codes as the workstation's override reasons). */
export const SCR_ALERT_REASONS = {
  '1': 'Public interest',
  '2': 'Required by statute',
  '3': 'Court order',
  '4': 'Self-claimed emergency access',
  '5': 'Access made in an emergency',
  '6': 'Other',
} as const;

/** The API's table: type 1 takes reasons 1-4 and 6; type 2 takes 1-3 and 5. */
export function permittedCombination(type: '1' | '2', reason: string): boolean {
  return type === '1' ? ['1', '2', '3', '4', '6'].includes(reason) : ['1', '2', '3', '5'].includes(reason);
}
