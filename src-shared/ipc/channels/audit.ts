/** Channels and events for audit delivery status (queue depth, oldest undelivered, last delivery, last error). */
import { z } from 'zod';
import { channel } from '../define';

export const TransportStatus = z.object({
  name: z.enum(['atna', 'fhir', 'scr']),
  state: z.enum(['ok', 'retrying', 'offline', 'disabled']),
  queueDepth: z.number().int().min(0),
  oldestUndeliveredAgeMs: z.number().min(0).nullable(),
  lastDeliveredAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type TransportStatus = z.infer<typeof TransportStatus>;

export const AuditStatus = z.object({
  /** Events in the local log not yet delivered (sent, for ATNA) on every configured transport. */
  queueDepth: z.number().int().min(0),
  oldestUndeliveredAgeMs: z.number().min(0).nullable(),
  lastDeliveredAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** false when the local log cannot be written (e.g. disk full): record access is refused. */
  writable: z.boolean(),
  transports: z.array(TransportStatus),
});
export type AuditStatus = z.infer<typeof AuditStatus>;

export const auditChannels = {
  'audit.status': channel(z.object({}).strict(), AuditStatus),
};

export const auditEvents = {
  auditStatus: AuditStatus,
};
