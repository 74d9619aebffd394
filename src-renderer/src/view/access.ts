/**
 * Plain words for permission to view, the overrides and the access banner over a record.
 */
import type { AlertDelivery, PtvView } from '../../../src-shared/domain/records';
import { formatDateTime } from './dates';

export type AccessBasis = 'permission' | 'emergency' | 'legal';

/** SCR alert codes offered for a legal override (4 and 5 belong to the duty-of-care route). */
export const LEGAL_REASONS = [
  { code: 1, label: 'Public interest' },
  { code: 2, label: 'Required by statute' },
  { code: 3, label: 'Court order' },
  { code: 6, label: 'Other' },
] as const;
export type LegalReasonCode = (typeof LEGAL_REASONS)[number]['code'];

export const EMERGENCY_REASONS = [
  {
    value: 'medical-emergency',
    label: 'Medical emergency and the patient cannot consent',
    hint: 'For example, they are unconscious, confused or unable to communicate.',
  },
  {
    value: 'safeguarding',
    label: "Safeguarding concern about the patient's or someone else's welfare",
    hint: 'Asking the patient could put them or someone else at risk.',
  },
] as const;
export type EmergencyReason = (typeof EMERGENCY_REASONS)[number]['value'];

export const RELATIONSHIP_REASONS = [
  { value: 'treating-now', label: 'I am treating this patient now' },
  { value: 'referred-informally', label: 'The patient was referred to me informally' },
  { value: 'other', label: 'Other reason' },
] as const;
export type RelationshipReason = (typeof RELATIONSHIP_REASONS)[number]['value'];

function legalReasonLabel(code: number): string {
  return LEGAL_REASONS.find((r) => r.code === code)?.label ?? `Code ${code}`;
}

/** The banner's title for the basis of access in force. */
export function accessTitle(basis: AccessBasis): string {
  switch (basis) {
    case 'permission':
      return 'The patient gave permission to view';
    case 'emergency':
      return 'Emergency access: the patient could not be asked (duty of care)';
    case 'legal':
      return 'Legal override of consent';
  }
}

export function isOverride(basis: AccessBasis): boolean {
  return basis !== 'permission';
}

/**
 * Whether the privacy officer knows, in words that are true now: "has been told" only once main says the alert
 * reached the organisation's audit service; until then what is happening, and while offline how much waits here.
 */
export function alertSentence(alert: AlertDelivery | undefined): string {
  if (!alert) return 'This access is logged, and the privacy officer will be told.';
  switch (alert.state) {
    case 'told':
      return 'This access is logged and the privacy officer has been told.';
    case 'sending':
      return 'This access is logged; the privacy officer is being told now.';
    case 'waiting': {
      const n = alert.waiting;
      return `This access is logged on this workstation. The privacy officer will be told when this workstation is back online (${n} audit ${n === 1 ? 'event' : 'events'} waiting).`;
    }
  }
}

/** One sentence for the banner: the basis, when it expires, and for overrides whether the privacy officer knows. */
export function accessSentence(
  basis: AccessBasis,
  expiresAt: string,
  reasonCode?: number,
  alert?: AlertDelivery,
): string {
  const until = `Access ends at ${formatDateTime(expiresAt)}, or sooner if you change patient or remove your card.`;
  if (basis === 'permission') return until;
  const why =
    basis === 'legal' && reasonCode !== undefined ? ` Reason: ${legalReasonLabel(reasonCode)}.` : '';
  return `${alertSentence(alert)}${why} ${until}`;
}

/** A short status line for the permission-to-view state of the encounter. */
export function ptvSummary(ptv: PtvView): string {
  switch (ptv.state) {
    case 'not-asked':
      return 'Permission to view has not been recorded for this encounter.';
    case 'refused':
      return `The patient refused permission to view at ${formatDateTime(ptv.at)}. Nothing from their record is shown.`;
    case 'granted':
      return accessTitle(ptv.basis);
  }
}
