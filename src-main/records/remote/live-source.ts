/**
 * Live mode's record source: the three configured services over HTTPS (mutual TLS, kept-alive connections, the
 * configured deadlines and size cap), each with the user's card-signed token.
 */
import { readFileSync } from 'node:fs';
import type { RecordServiceConfig } from '../../config/schema';
import { createHttpsTransport } from '../../net/https-transport';
import type { HttpTransport } from '../../net/http-types';
import type { UserTokenPort } from '../../session/port';
import { createPdsClient } from './pds-client';
import { createRemoteRecordSource, type RemoteRecordSource } from './remote-source';
import { createScrClient } from './scr-client';
import { createServiceClient, type RecordServiceName } from './service-client';
import { createSharedCareClient } from './shared-care-client';

export type RecordServicesConfig = Readonly<Record<RecordServiceName, RecordServiceConfig>>;

/** The HTTPS transport of one configured service (files are read now: a missing one fails at start). */
export function httpsTransportFor(s: RecordServiceConfig) {
  return createHttpsTransport({
    ca: readFileSync(s.caFile),
    ...(s.certFile ? { cert: readFileSync(s.certFile) } : {}),
    ...(s.keyFile ? { key: readFileSync(s.keyFile) } : {}),
    connectTimeoutMs: s.connectTimeoutMs,
    timeoutMs: s.timeoutMs,
    maxBytes: s.maxBytes,
  });
}

/** The remote source over any transport per service (HTTPS in live mode; in process for tests and demos). */
export function remoteSourceOver(
  services: Readonly<
    Record<RecordServiceName, { baseUrl: string; timeoutMs: number; transport: HttpTransport }>
  >,
  tokens: UserTokenPort,
  close?: () => void,
): RemoteRecordSource {
  const client = (service: RecordServiceName) =>
    createServiceClient({ service, tokens, ...services[service] });
  return createRemoteRecordSource({
    pds: createPdsClient(client('demographics')),
    scr: createScrClient(client('scr')),
    sharedCare: createSharedCareClient(client('sharedCare')),
    ...(close ? { close } : {}),
  });
}

export function createLiveRecordSource(
  config: RecordServicesConfig,
  tokens: UserTokenPort,
): RemoteRecordSource {
  const names: RecordServiceName[] = ['demographics', 'scr', 'sharedCare'];
  const transports = Object.fromEntries(names.map((n) => [n, httpsTransportFor(config[n])])) as Record<
    RecordServiceName,
    ReturnType<typeof httpsTransportFor>
  >;
  const services = Object.fromEntries(
    names.map((n) => [
      n,
      { baseUrl: config[n].baseUrl, timeoutMs: config[n].timeoutMs, transport: transports[n].send },
    ]),
  ) as Record<RecordServiceName, { baseUrl: string; timeoutMs: number; transport: HttpTransport }>;
  return remoteSourceOver(services, tokens, () => {
    for (const n of names) transports[n].close();
  });
}
