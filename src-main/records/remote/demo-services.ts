/**
 * Demo mode's remote services, in process (no socket; docs/specs/record-services.md 8.1): the test services
 * (demographics, SCR, shared care record and the audit repository) loaded with the synthetic population. The
 * record source, the audit delivery and the privacy officer's review all talk to this one instance, so an override
 * made in the demo reaches the demo officer's queue through the same FHIR requests live mode makes.
 *
 * Returns at once. Loading (indexing the FHIR definitions: a second or two of CPU on this process's only thread)
 * starts LOAD_AFTER_MS after start, once the window has painted, or at the first request if one comes sooner; a
 * request made before the services are ready waits for them.
 */
import { createTrustStore } from '../../card/verify/trust-store';
import type { Sandbox } from '../../sandbox/sandbox';
import { DEFAULT_PATHS } from '../../sandbox/paths';
import type { HttpTransport } from '../../net/http-types';
import type { Logger } from '../../services/logger';

/** Where demo mode's in-process services say they are (token audiences, links); never resolved or dialled. */
export const DEMO_SERVICES_ORIGIN = 'https://records.demo.invalid';
const DEMO_SEED = 'demo';
const LOAD_AFTER_MS = 2500;

export type DemoServiceName = keyof typeof DEFAULT_PATHS;

export interface DemoServices {
  readonly transport: HttpTransport;
  baseUrl(service: DemoServiceName): string;
  /** The loaded services (null when they failed to start), loading them now if they are not yet. */
  ready(): Promise<Sandbox | null>;
  close(): void;
}

export function createDemoServices(o: {
  patients: number;
  anchorsPem: readonly string[];
  log: Logger;
  /** Called once with the loaded services (e.g. to fill the audit repository with the demo's history). */
  onLoaded?: (sandbox: Sandbox) => Promise<void> | void;
}): DemoServices {
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
            o.log.error('demo services: unexpected failure', { ...where, error: (e as Error).message }),
        }),
      )
      .then(async (sandbox) => {
        await o.onLoaded?.(sandbox);
        return sandbox;
      })
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
    // Told to the user as a service that cannot be reached.
    if (!sandbox) throw Object.assign(new Error('the demo services did not start'), { code: 'EDEMO' });
    return sandbox.handle(req);
  };
  return {
    transport,
    baseUrl: (service) => `${DEMO_SERVICES_ORIGIN}${DEFAULT_PATHS[service]}`,
    ready: load,
    close: () => clearTimeout(timer),
  };
}
