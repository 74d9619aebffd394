/**
 * Builds the AuditStatus the UI shows: queue depth and oldest undelivered age over the configured transports,
 * last delivery, the current error, whether the log takes writes, and the same per transport.
 */
import type { AuditStatus, TransportStatus } from '../../../src-shared/ipc/channels/audit';
import type { ReportedTransportState, TransportName } from '../types';
import type { AuditRepository } from './repository';

export interface StatusInputs {
  repo: AuditRepository;
  transports: readonly TransportName[];
  reported: ReadonlyMap<TransportName, ReportedTransportState>;
  writable: boolean;
  writeError: string | null;
  now: number;
}

function ageMs(repo: AuditRepository, seq: number | null, now: number): number | null {
  if (seq === null) return null;
  const at = repo.recordedAt(seq);
  const t = at === null ? NaN : Date.parse(at);
  return Number.isFinite(t) ? Math.max(0, now - t) : null;
}

const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : a > b ? a : b;

export function computeStatus(i: StatusInputs): AuditStatus {
  const transports: TransportStatus[] = i.transports.map((name) => {
    const depth = i.repo.depth(name);
    const row = i.repo.transport(name);
    const lastDeliveredAt = row?.last_delivered_at ?? null;
    const lastErrorAt = row?.last_error_at ?? null;
    const failingNow = lastErrorAt !== null && (lastDeliveredAt === null || lastErrorAt > lastDeliveredAt);
    const reported = i.reported.get(name);
    const state =
      reported === 'offline' ? 'offline' : failingNow || reported === 'retrying' ? 'retrying' : 'ok';
    return {
      name,
      state,
      queueDepth: depth.count,
      oldestUndeliveredAgeMs: ageMs(i.repo, depth.oldest_seq, i.now),
      lastDeliveredAt,
      lastError: row?.last_error ?? null,
    };
  });
  const pending = i.repo.pendingAny(i.transports);
  let lastDeliveredAt: string | null = null;
  let lastError: string | null = null;
  let lastErrorAt: string | null = null;
  for (const t of transports) {
    lastDeliveredAt = later(lastDeliveredAt, t.lastDeliveredAt);
    const at = i.repo.transport(t.name)?.last_error_at ?? null;
    // Only errors not yet followed by a delivery are current; history stays in the per-transport rows.
    if (
      t.state !== 'ok' &&
      t.lastError !== null &&
      (lastErrorAt === null || (at !== null && at > lastErrorAt))
    ) {
      lastError = `${t.name}: ${t.lastError}`;
      lastErrorAt = at;
    }
  }
  return {
    queueDepth: pending.count,
    oldestUndeliveredAgeMs: ageMs(i.repo, pending.oldest_seq, i.now),
    lastDeliveredAt,
    lastError: i.writeError ?? lastError,
    writable: i.writable,
    transports,
  };
}
