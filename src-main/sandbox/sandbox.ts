/**
 * The test record services as one object: four FHIR repositories (demographics, scr, sharedCare, audit) loaded
 * with the synthetic population, the services on top of them, the token check and fault injection.
 *
 * `handle` is the in-process HttpTransport (demo mode and unit tests: no socket); faults apply there too, with
 * the connection-cutting ones rejecting as a broken connection would. `dispatcher.serve` is what the HTTPS server
 * (https-server.ts) runs for each request, over mutual TLS.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { PopulationOptions } from '../records/demo-data/population';
import type { TrustStore } from '../card/verify/trust-store';
import type { HttpRequest, HttpResponse, HttpTransport } from '../net/http-types';
import { FaultBook } from './faults';
import { ensureFhirDefinitions } from './fhir/definitions';
import { FhirStore } from './fhir/store';
import { createDispatcher, type Dispatcher } from './http/dispatch';
import { spoil, statusFault } from './http/fault-response';
import { SERVICE_NAMES, type RecordService, type ServiceName } from './http/service';
import type { GeneratedPatient } from '../records/demo-data/population-types';
import type { Organisation } from '../domain/record-items';
import { loadPatient, loadPopulation, type LoadSummary, type Stores } from './population/load';
import { createAuditService } from './services/audit/audit-service';
import { createPdsService } from './services/pds/pds-service';
import { createScrService } from './services/scr/scr-service';
import { createSharedCareService } from './services/shared-care/shared-care-service';
import { createTokenCheck } from './token-check';
import { NHS_NUMBER_SYSTEM } from '../domain/fhir-resources';

export { DEFAULT_PATHS } from './paths';
import { DEFAULT_PATHS } from './paths';

export const DEFAULT_ORIGIN = 'https://127.0.0.1:8443';
export const DEFAULT_POPULATION: PopulationOptions = { patients: 200, seed: 'demo' };

export interface SandboxOptions {
  /** Scheme, host and port the services are reached at (token audiences and links use it). */
  origin?: string;
  paths?: Partial<Record<ServiceName, string>>;
  /** The population to load; false for empty repositories (e.g. an audit repository alone). */
  population?: PopulationOptions | false;
  /** Card trust anchors for the token check; null refuses every user token. */
  cardTrust?: TrustStore | null;
  now?: () => Date;
  /** Told about failures a service did not expect (the client gets a plain 500). */
  onError?: (e: unknown, where: { service: ServiceName; method: string; path: string }) => void;
}

export interface Sandbox {
  readonly baseUrls: Readonly<Record<ServiceName, string>>;
  readonly stores: Stores;
  readonly faults: FaultBook<ServiceName>;
  readonly dispatcher: Dispatcher;
  /** What was loaded, and how long it took; null with no population. */
  readonly loaded: LoadSummary | null;
  /** How long indexing the FHIR definitions took (the first sandbox in a process pays it). */
  readonly indexMs: number;
  /** In-process transport (no socket), with faults. */
  readonly handle: HttpTransport;
  /**
   * Writes one more synthetic patient into demographics, scr and sharedCare, as the population's are written
   * (for a record the population lacks, e.g. the bench's long SCR). Its GP, if any, must be a loaded organisation.
   */
  addPatient(p: GeneratedPatient): Promise<void>;
}

class ConnectionCut extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ConnectionCut';
  }
}

function abortError(): Error {
  const e = new Error('The request was aborted');
  e.name = 'AbortError';
  return e;
}

export async function createSandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  const indexMs = ensureFhirDefinitions();
  const origin = (o.origin ?? DEFAULT_ORIGIN).replace(/\/+$/, '');
  const paths = { ...DEFAULT_PATHS, ...o.paths };
  const baseUrls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, `${origin}${paths[s]}`])) as Record<
    ServiceName,
    string
  >;
  const stores: Stores = {
    demographics: new FhirStore(),
    scr: new FhirStore(),
    sharedCare: new FhirStore(),
    audit: new FhirStore(),
  };
  const faults = new FaultBook<ServiceName>();
  const services: Record<ServiceName, RecordService> = {
    demographics: createPdsService(stores.demographics),
    scr: createScrService(stores),
    sharedCare: createSharedCareService(stores.sharedCare),
    audit: createAuditService(stores.audit, { refusedIds: faults.refusedAuditEvents }),
  };
  const tokens = createTokenCheck({ trust: o.cardTrust ?? null, ...(o.now ? { now: o.now } : {}) });
  const dispatcher = createDispatcher(services, baseUrls, tokens, o.onError);
  const population = o.population === undefined ? DEFAULT_POPULATION : o.population;
  const scrBundleUrl = (id: string, nhs: string) =>
    `${baseUrls.scr}/Bundle?composition.identifier=${id}&composition.subject:Patient.identifier=${NHS_NUMBER_SYSTEM}|${nhs}`;
  const loaded = population ? await loadPopulation(stores, population, scrBundleUrl) : null;
  const organisations = new Map<string, Organisation>((loaded?.organisations ?? []).map((o) => [o.code, o]));
  const addPatient = async (p: GeneratedPatient) => {
    if (p.gpCode !== null && !organisations.has(p.gpCode))
      throw new Error(`addPatient: no organisation ${p.gpCode} in the sandbox`);
    await loadPatient(stores, p, (code) => organisations.get(code), scrBundleUrl);
  };

  const handle: HttpTransport = async (req: HttpRequest): Promise<HttpResponse> => {
    if (req.signal?.aborted) throw abortError();
    const r = dispatcher.route(req.url);
    const fault = r ? faults.take(r.service, req.method, r.path) : null;
    if (fault?.kind === 'slow') {
      try {
        await delay(fault.ms, undefined, req.signal ? { signal: req.signal } : {});
      } catch {
        throw abortError();
      }
    }
    if (fault?.kind === 'status') return statusFault(fault);
    if (fault?.kind === 'drop') throw new ConnectionCut('socket hang up', 'ECONNRESET');
    const served = await dispatcher.serve(req, { kind: 'in-process' });
    if (req.signal?.aborted) throw abortError();
    if (fault?.kind === 'lose-reply' || fault?.kind === 'reset')
      throw new ConnectionCut('The connection was reset', 'ECONNRESET');
    if (fault?.kind === 'truncated')
      throw new ConnectionCut('The server broke off its reply', 'ERR_STREAM_PREMATURE_CLOSE');
    return (fault ? spoil(fault, served.response) : null) ?? served.response;
  };

  return { baseUrls, stores, faults, dispatcher, loaded, indexMs, handle, addPatient };
}
