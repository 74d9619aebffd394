/**
 * Starts a shipper for each remote audit transport in the configuration (config.audit.atna, config.audit.fhir),
 * draining the trail's outbox, and records a delivery-failure audit event when a server refuses events for good
 * (at most one per transport per hour, so a server that refuses those too cannot start a loop).
 */
import type { AppConfig } from '../../config/schema';
import type { Logger } from '../../services/logger';
import type { LocalAuditTrail, TransportName } from '../types';
import { AtnaTransport, atnaOptionsFromFiles } from './atna/atna-transport';
import { FhirTransport, fhirOptionsFromFiles } from './fhir/fhir-transport';
import { Shipper } from './shipper';
import type { Rejection, Transport } from './transport';

export interface WorkstationShipping {
  readonly shippers: readonly Shipper[];
  /** Stops every shipper (a batch in flight stays queued) and releases connections. */
  close(): Promise<void>;
}

const ALERT_INTERVAL_MS = 60 * 60_000;

function transportsFor(config: AppConfig): Transport[] {
  const out: Transport[] = [];
  const atna = config.audit.atna;
  if (atna)
    out.push(new AtnaTransport(atnaOptionsFromFiles({ ...atna, workstationId: config.workstation.id })));
  const fhir = config.audit.fhir;
  if (fhir) out.push(new FhirTransport(fhirOptionsFromFiles(fhir)));
  return out;
}

/** Batch sizes per transport: big ATNA rounds (connection per batch), moderate FHIR Bundles. */
export const SHIPPING_TUNING: Record<TransportName, { batchSize: number; concurrency: number }> = {
  atna: { batchSize: 5_000, concurrency: 1 },
  fhir: { batchSize: 250, concurrency: 2 },
};

export function startWorkstationShipping(
  config: AppConfig,
  trail: LocalAuditTrail,
  log: Logger,
): WorkstationShipping {
  const transports = transportsFor(config);
  const lastAlert = new Map<TransportName, number>();
  const alert = (transport: TransportName, rejections: readonly Rejection[]) => {
    const now = Date.now();
    if (now - (lastAlert.get(transport) ?? -Infinity) < ALERT_INTERVAL_MS) return;
    lastAlert.set(transport, now);
    try {
      trail.record({
        kind: 'delivery-failure',
        actor: { workstationId: config.workstation.id },
        transport,
        error: `${rejections.length} event(s) refused: ${rejections[0]?.error ?? ''}`.slice(0, 1_000),
      });
    } catch (e) {
      log.error('could not record the audit delivery failure', { transport, error: (e as Error).message });
    }
  };
  const shippers = transports.map(
    (transport) =>
      new Shipper({
        outbox: trail.outbox,
        transport,
        log,
        ...SHIPPING_TUNING[transport.name],
        onRejected: (r) => alert(transport.name, r),
      }),
  );
  for (const s of shippers) s.start();
  return {
    shippers,
    async close() {
      await Promise.all(shippers.map((s) => s.stop()));
      await Promise.all(transports.map((t) => t.close()));
    },
  };
}
