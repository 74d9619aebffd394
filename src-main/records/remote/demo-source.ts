/**
 * Demo mode's record source: the very clients live mode uses, against the test services in process (no socket;
 * docs/specs/record-services.md 8.1), loaded with the synthetic population. The services check the user's
 * card-signed token against the same card trust anchors the workstation trusts (the demo CA's).
 */
import { createTrustStore } from '../../card/verify/trust-store';
import type { Sandbox } from '../../sandbox/sandbox';
import { DEFAULT_PATHS } from '../../sandbox/paths';
import type { HttpTransport } from '../../net/http-types';
import type { Logger } from '../../services/logger';
import type { UserTokenPort } from '../../session/port';
import { remoteSourceOver } from './live-source';
import type { RemoteRecordSource } from './remote-source';

/** Where demo mode's in-process services say they are (token audiences, links); never resolved or dialled. */
export const DEMO_SERVICES_ORIGIN = 'https://records.demo.invalid';
const DEMO_SEED = 'demo';
const TIMEOUT_MS = 10_000;

/** How long after start the services begin loading when nothing asked for them sooner. */
const LOAD_AFTER_MS = 2500;

/**
 * Returns at once. Loading the services (indexing the FHIR definitions: a second or two of CPU on this process's
 * only thread) starts LOAD_AFTER_MS after start, once the window has painted, or at the first request if one
 * comes sooner; a request made before they are ready waits for them.
 */
export function createDemoRecordSource(o: {
  patients: number;
  anchorsPem: readonly string[];
  tokens: UserTokenPort;
  log: Logger;
}): RemoteRecordSource {
  let ready: Promise<Sandbox | null> | null = null;
  const load = (): Promise<Sandbox | null> =>
    // Imported when first needed: the FHIR engine and its definitions are large, and the window should not wait.
    (ready ??= import('../../sandbox/sandbox')
      .then(({ createSandbox }) =>
        createSandbox({
          origin: DEMO_SERVICES_ORIGIN,
          population: { patients: o.patients, seed: DEMO_SEED },
          cardTrust: createTrustStore({ anchorsPem: [...o.anchorsPem] }),
          onError: (e, where) =>
            o.log.error('demo record services: unexpected failure', {
              ...where,
              error: (e as Error).message,
            }),
        }),
      )
      .then(
        (sandbox) => {
          o.log.info('records: demo services in process', {
            patients: o.patients,
            loadMs: Math.round(sandbox.loaded?.ms ?? 0),
            indexMs: Math.round(sandbox.indexMs),
          });
          return sandbox;
        },
        (err: unknown) => {
          o.log.error('records: demo services did not start', { error: (err as Error).message });
          return null;
        },
      ));
  const timer = setTimeout(() => void load(), LOAD_AFTER_MS);
  timer.unref();
  const transport: HttpTransport = async (req) => {
    const sandbox = await load();
    // Told to the clinician as a service that cannot be reached.
    if (!sandbox) throw Object.assign(new Error('the demo record services did not start'), { code: 'EDEMO' });
    return sandbox.handle(req);
  };
  const service = (name: 'demographics' | 'scr' | 'sharedCare') => ({
    baseUrl: `${DEMO_SERVICES_ORIGIN}${DEFAULT_PATHS[name]}`,
    timeoutMs: TIMEOUT_MS,
    transport,
  });
  return remoteSourceOver(
    { demographics: service('demographics'), scr: service('scr'), sharedCare: service('sharedCare') },
    o.tokens,
    () => clearTimeout(timer),
  );
}
