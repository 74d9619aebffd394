/**
 * `stethoscope services check --config FILE`: for each record service the configuration names (demographics,
 * scr, sharedCare, and the FHIR audit repository when configured), one JSON object on its own line: whether it
 * answered, whether TLS verified (the service's certificate against the configured CA, and ours accepted), the
 * round trip in ms, the FHIR version from its CapabilityStatement (GET [base]/metadata) where it publishes one,
 * and the error in words. Exit 0 only when every service answered.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { RecordServiceConfig } from '../../config/schema';
import { TransportError, type TransportFailure } from '../../net/https-transport';
import { httpsTransportFor } from '../../records/remote/live-source';
import { parseFlags, type CliCommand } from '../command';
import { readConfigFlag } from './config';

export interface ServiceCheck {
  service: string;
  baseUrl: string;
  /** It answered over HTTP (any status). */
  reachable: boolean;
  /** The TLS handshake verified both ways; null when no connection was made for another reason. */
  tlsVerified: boolean | null;
  roundTripMs: number | null;
  status: number | null;
  fhirVersion: string | null;
  error: string | null;
}

const FAILURE_WORDS: Record<TransportFailure, string> = {
  'connect-timeout': 'no connection within the connect deadline',
  timeout: 'no answer within the request deadline',
  connection: 'the connection was refused or dropped',
  tls: "TLS did not verify: the service's certificate does not chain to caFile or names another host, or it refused this workstation's certificate",
  'too-large': 'the answer was larger than maxBytes',
  aborted: 'cancelled',
};

const Capability = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  fhirVersion: z.string().max(20),
});

export async function checkService(service: string, s: RecordServiceConfig): Promise<ServiceCheck> {
  const out: ServiceCheck = {
    service,
    baseUrl: s.baseUrl,
    reachable: false,
    tlsVerified: null,
    roundTripMs: null,
    status: null,
    fhirVersion: null,
    error: null,
  };
  let transport;
  try {
    transport = httpsTransportFor(s);
  } catch (err) {
    out.error = `the TLS files could not be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`;
    return out;
  }
  const started = performance.now();
  try {
    const res = await transport.send({
      method: 'GET',
      url: `${s.baseUrl}/metadata`,
      headers: { accept: 'application/fhir+json', 'x-request-id': randomUUID() },
    });
    out.roundTripMs = Math.round((performance.now() - started) * 10) / 10;
    out.reachable = true;
    out.tlsVerified = true;
    out.status = res.status;
    if (res.status === 200) {
      try {
        const cap = Capability.safeParse(JSON.parse(Buffer.from(res.body).toString('utf8')));
        if (cap.success) out.fhirVersion = cap.data.fhirVersion;
        else out.error = 'its metadata is not a CapabilityStatement';
      } catch {
        out.error = 'its metadata is not JSON';
      }
    } else {
      out.error = `it publishes no CapabilityStatement (HTTP ${res.status})`;
    }
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    out.tlsVerified = err.failure === 'tls' ? false : null;
    out.error = FAILURE_WORDS[err.failure];
  } finally {
    transport.close();
  }
  return out;
}

export const servicesCheckCommand: CliCommand = {
  path: ['services', 'check'],
  summary:
    'Checks every record service a configuration names: one JSON object per service (reachable, TLS verified,\n' +
    '      round-trip ms, FHIR version, error). Exits 0 only when all answer.',
  usage: 'stethoscope services check --config FILE',
  async run(argv, io) {
    const { values } = parseFlags(argv, { config: { type: 'string' } });
    const config = readConfigFlag(values.config, io);
    if (!config) return 1;
    if (config.mode !== 'live') {
      io.stderr(
        'demo mode runs its record services in process: there is nothing to reach (use a live configuration)\n',
      );
      return 1;
    }
    const targets: [string, RecordServiceConfig][] = [
      ['demographics', config.records.services.demographics],
      ['scr', config.records.services.scr],
      ['sharedCare', config.records.services.sharedCare],
    ];
    const fhir = config.audit.fhir;
    if (fhir?.caFile) {
      targets.push([
        'audit',
        RecordServiceConfig.parse({
          baseUrl: fhir.baseUrl,
          caFile: fhir.caFile,
          ...(fhir.certFile ? { certFile: fhir.certFile } : {}),
          ...(fhir.keyFile ? { keyFile: fhir.keyFile } : {}),
        }),
      ]);
    }
    const results = await Promise.all(targets.map(([name, s]) => checkService(name, s)));
    for (const r of results) io.stdout(`${JSON.stringify(r)}\n`);
    return results.every((r) => r.reachable) ? 0 : 1;
  },
};
