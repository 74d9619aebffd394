/**
 * The audit delivery state in a few words for the status bar, with a tone (ok, warn, error) for its colour.
 */
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { formatDateTime } from './dates';

export type Tone = 'ok' | 'warn' | 'error';

export interface AuditLine {
  tone: Tone;
  text: string;
}

export function auditLine(status: AuditStatus | null): AuditLine {
  if (!status) return { tone: 'warn', text: 'Audit status not known' };
  if (!status.writable) {
    return { tone: 'error', text: 'Audit log cannot be written: records cannot be opened' };
  }
  if (status.transports.length === 0) {
    return { tone: 'ok', text: 'Audit logged on this workstation (no audit service configured)' };
  }
  const offline = status.transports.some((t) => t.state === 'offline');
  const retrying = status.transports.some((t) => t.state === 'retrying');
  const last = status.lastDeliveredAt
    ? `last delivered ${formatDateTime(status.lastDeliveredAt)}`
    : 'nothing delivered yet';
  const waiting = `${status.queueDepth} ${status.queueDepth === 1 ? 'event' : 'events'} waiting`;
  // A configured service that is failing is never "up to date", even with nothing queued just now.
  if (offline)
    return { tone: 'warn', text: `Audit offline: ${waiting} (kept safely on this laptop), ${last}` };
  if (retrying) return { tone: 'warn', text: `Audit retrying: ${waiting}, ${last}` };
  if (status.queueDepth === 0) {
    return { tone: 'ok', text: `Audit up to date, ${last}` };
  }
  return { tone: 'ok', text: `Audit sending: ${waiting}, ${last}` };
}
