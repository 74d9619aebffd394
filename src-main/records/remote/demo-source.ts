/**
 * Demo mode's record source: the very clients live mode uses, against the test services in process (no socket;
 * docs/specs/record-services.md 8.1), loaded with the synthetic population. The services check the user's
 * card-signed token against the same card trust anchors the workstation trusts (the demo CA's).
 */
import { createTrustStore } from '../../card/verify/trust-store';
import { createSandbox } from '../../sandbox/sandbox';
import type { Logger } from '../../services/logger';
import type { UserTokenPort } from '../../session/port';
import { remoteSourceOver } from './live-source';
import type { RemoteRecordSource } from './remote-source';

/** Where demo mode's in-process services say they are (token audiences, links); never resolved or dialled. */
export const DEMO_SERVICES_ORIGIN = 'https://records.demo.invalid';
const DEMO_SEED = 'demo';
const TIMEOUT_MS = 10_000;

export async function createDemoRecordSource(o: {
  patients: number;
  anchorsPem: readonly string[];
  tokens: UserTokenPort;
  log: Logger;
}): Promise<RemoteRecordSource> {
  const sandbox = await createSandbox({
    origin: DEMO_SERVICES_ORIGIN,
    population: { patients: o.patients, seed: DEMO_SEED },
    cardTrust: createTrustStore({ anchorsPem: [...o.anchorsPem] }),
    onError: (e, where) =>
      o.log.error('demo record services: unexpected failure', { ...where, error: (e as Error).message }),
  });
  o.log.info('records: demo services in process', {
    patients: o.patients,
    loadMs: Math.round(sandbox.loaded?.ms ?? 0),
    indexMs: Math.round(sandbox.indexMs),
  });
  const service = (name: 'demographics' | 'scr' | 'sharedCare') => ({
    baseUrl: sandbox.baseUrls[name],
    timeoutMs: TIMEOUT_MS,
    transport: sandbox.handle,
  });
  return remoteSourceOver(
    { demographics: service('demographics'), scr: service('scr'), sharedCare: service('sharedCare') },
    o.tokens,
  );
}
