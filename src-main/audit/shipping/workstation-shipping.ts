/**
 * Starts a shipper for each remote audit transport in the configuration (config.audit.atna, config.audit.fhir, and
 * in live mode the SCR service's privacy alerts),
 * draining the trail's outbox, and records a delivery-failure audit event when a server refuses events for good
 * (at most one per transport per hour, so a server that refuses those too cannot start a loop).
 */
import type { AppConfig } from '../../config/schema';
import type { Logger } from '../../services/logger';
import type { LocalAuditTrail, TransportName } from '../types';
import { AtnaTransport, atnaOptionsFromFiles } from './atna/atna-transport';
import { FhirTransport, fhirOptionsFromFiles } from './fhir/fhir-transport';
import { Shipper } from './shipper';
import { ScrAlertTransport } from './scr/scr-alert-transport';
import { httpsTransportFor } from '../../records/remote/live-source';
import { allRetry, type Rejection, type SendOutcome, type Transport } from './transport';
import type { HttpTransport } from '../../net/http-types';

export interface WorkstationShipping {
  readonly shippers: readonly Shipper[];
  /** Stops every shipper (a batch in flight stays queued) and releases connections. */
  close(): Promise<void>;
}

const ALERT_INTERVAL_MS = 60 * 60_000;

/**
 * Stands in for a transport whose set-up failed (say a certificate file is missing): every attempt fails with the
 * reason, so the shipper reports it through the outbox and status like any other error, and the workstation still
 * starts (the local log keeps every event until the configuration is fixed).
 */
class UnavailableTransport implements Transport {
  constructor(
    readonly name: TransportName,
    private readonly reason: string,
  ) {}
  async send(): Promise<SendOutcome> {
    return allRetry(this.reason, true);
  }
  async close(): Promise<void> {}
}

function build(name: TransportName, make: () => Transport, log: Logger): Transport {
  try {
    return make();
  } catch (e) {
    const reason = `${name.toUpperCase()} transport cannot start: ${(e as Error).message}`;
    log.error('audit transport not started', { transport: name, error: reason });
    return new UnavailableTransport(name, reason);
  }
}

/** Demo mode's in-process audit repository (demo-services.ts), used when config.audit.fhir is not set. */
export interface DemoAuditRepository {
  baseUrl: string;
  send: HttpTransport;
}

function transportsFor(config: AppConfig, log: Logger, demo?: DemoAuditRepository): Transport[] {
  const out: Transport[] = [];
  const atna = config.audit.atna;
  if (atna) {
    const options = () => atnaOptionsFromFiles({ ...atna, workstationId: config.workstation.id });
    out.push(build('atna', () => new AtnaTransport(options()), log));
  }
  const fhir = config.audit.fhir;
  if (fhir) out.push(build('fhir', () => new FhirTransport(fhirOptionsFromFiles(fhir)), log));
  else if (config.mode === 'demo' && demo)
    out.push(build('fhir', () => new FhirTransport({ baseUrl: demo.baseUrl, send: demo.send }), log));
  if (config.mode === 'live') {
    const scr = config.records.services.scr;
    out.push(
      build(
        'scr',
        () => {
          const https = httpsTransportFor(scr);
          return new ScrAlertTransport({
            baseUrl: scr.baseUrl,
            send: https.send,
            close: () => https.close(),
          });
        },
        log,
      ),
    );
  }
  return out;
}

/**
 * Batch sizes and batches in flight per transport: big ATNA batches (a connection each, two in flight so one's
 * set-up and acceptance window overlap the other's transfer), moderate FHIR Bundles.
 */
export const SHIPPING_TUNING: Record<TransportName, { batchSize: number; concurrency: number }> = {
  atna: { batchSize: 5_000, concurrency: 2 },
  fhir: { batchSize: 250, concurrency: 2 },
  // Mostly events that are not alerts, confirmed without a request; alerts go one POST each.
  scr: { batchSize: 500, concurrency: 1 },
};

export function startWorkstationShipping(
  config: AppConfig,
  trail: LocalAuditTrail,
  log: Logger,
  demo?: DemoAuditRepository,
): WorkstationShipping {
  const transports = transportsFor(config, log, demo);
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
