/**
 * Delivery priority per entry kind: overrides and other privacy-officer alerts go first, then checkpoints (the
 * truncation defence only works once a checkpoint has left the machine), then routine events.
 */
import type { AuditEntry } from '../types';
import { codes } from './codes';
import type { Coding } from './fhir';

export const PRIORITY_ALERT = 10;
export const PRIORITY_CHECKPOINT = 5;
export const PRIORITY_ROUTINE = 0;

export function priorityOf(kind: AuditEntry['kind']): number {
  switch (kind) {
    case 'emergency-override':
    case 'legal-override':
    case 'lr-self-claim':
    case 'override-pin-refused':
    case 'tamper-detected':
    case 'delivery-failure':
      return PRIORITY_ALERT;
    default:
      return PRIORITY_ROUTINE;
  }
}

/**
 * The same priority, read back from a stored AuditEvent (used when a transport is enabled after events were
 * already recorded and the backlog is queued for it). Must agree with priorityOf; a unit test holds them together.
 */
export function priorityOfEvent(event: unknown): number {
  if (typeof event !== 'object' || event === null) return PRIORITY_ROUTINE;
  const { type, subtype } = event as {
    type?: { code?: unknown };
    subtype?: { system?: unknown; code?: unknown }[];
  };
  const subs = Array.isArray(subtype) ? subtype : [];
  const has = (c: Coding) => subs.some((x) => x.system === c.system && x.code === c.code);
  if (has(codes.checkpoint)) return PRIORITY_CHECKPOINT;
  if (type?.code === codes.securityAlert.code && !has(codes.authzConsent)) return PRIORITY_ALERT;
  return PRIORITY_ROUTINE;
}
