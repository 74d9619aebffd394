/**
 * Where an encounter's privacy officer alerts stand on their way to the organisation: each alert's audit receipt is
 * looked up in the outbox (still queued on which transports?) and the trail's status (are those transports
 * failing?). "Told" means the event left the outbox of every configured transport: FHIR and the SCR service
 * delivered it, ATNA sent it. Nothing here claims more than the outbox knows.
 */
import type { AlertDelivery } from '../../src-shared/domain/records';
import type { AuditStatus } from '../../src-shared/ipc/channels/audit';
import type { AuditReceipt, DeliveryState, LocalAuditTrail } from '../audit/types';

/** What the encounter needs of the audit trail to follow its alerts. */
export interface AlertDeliveryPort extends DeliveryState {
  status(): AuditStatus;
  onStatus(listener: (status: AuditStatus) => void): () => void;
}

/** The port over the local trail: its outbox says what is queued, its status which transports fail. */
export function deliveryPortOf(
  trail: Pick<LocalAuditTrail, 'outbox' | 'status' | 'onStatus'>,
): AlertDeliveryPort {
  return {
    get transports() {
      return trail.outbox.transports;
    },
    pendingOn: (seq) => trail.outbox.pendingOn(seq),
    status: () => trail.status(),
    onStatus: (listener) => trail.onStatus(listener),
  };
}

/** The delivery state of one alert now. */
export function deliveryOf(port: AlertDeliveryPort, receipt: AuditReceipt): AlertDelivery {
  const status = port.status();
  // With no audit service configured nothing leaves the workstation: never "told".
  if (port.transports.length === 0) return { id: receipt.uuid, state: 'waiting', waiting: status.queueDepth };
  const pending = port.pendingOn(receipt.seq);
  if (pending.length === 0) return { id: receipt.uuid, state: 'told', waiting: 0 };
  const failing = status.transports.some((t) => pending.includes(t.name) && t.state !== 'ok');
  return {
    id: receipt.uuid,
    state: failing ? 'waiting' : 'sending',
    waiting: Math.max(1, status.queueDepth),
  };
}

/** The note on a self-claimed relationship: the privacy officer "has been told" only once the alert arrived. */
export function selfClaimNote(delivery: AlertDelivery | null): string {
  const claimed = 'You self-claimed a legitimate relationship';
  if (!delivery) return `${claimed}; the privacy officer will be told.`;
  switch (delivery.state) {
    case 'told':
      return `${claimed}; the privacy officer has been told.`;
    case 'sending':
      return `${claimed}; the privacy officer is being told now.`;
    case 'waiting':
      return `${claimed}. The privacy officer will be told when this workstation is back online (${waitingText(delivery.waiting)}).`;
  }
}

function waitingText(n: number): string {
  return `${n} audit ${n === 1 ? 'event' : 'events'} waiting on this workstation`;
}
