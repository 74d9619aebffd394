/**
 * One request through the services: find the service by path prefix, check the NHS request headers and the
 * user's token (token-check.ts) unless the service says the channel authenticates this request, run the
 * service, and answer FHIR JSON with the request ids mirrored back and the service's own time
 * (`Server-Timing: app;dur=<ms>`). Errors become OperationOutcomes here and nowhere else; an unexpected one is
 * answered 500 in plain words, without its message or stack.
 */
import type { HttpRequest, HttpResponse } from '../../net/http-types';
import type { TokenCheck } from '../token-check';
import { operationOutcome, ServiceError, type OperationOutcome } from './outcome';
import type { Channel, RecordService, ServiceAnswer, ServiceName } from './service';

export const FHIR_JSON = 'application/fhir+json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Route {
  service: ServiceName;
  /** The path below the service's base, '/' at least. */
  path: string;
}

export interface Served {
  route: Route | null;
  response: HttpResponse;
  /** Time spent in the services (ms), also sent as Server-Timing. */
  appMs: number;
}

export interface Dispatcher {
  route(url: string): Route | null;
  serve(req: HttpRequest, channel: Channel): Promise<Served>;
}

export function encode(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': FHIR_JSON, ...headers },
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}

function outcomeAnswer(e: ServiceError): ServiceAnswer {
  return { status: e.status, body: operationOutcome(e.code, e.message, e.spine) };
}

/** The NHS headers every user request carries (docs/specs/record-services.md, "Every request"). */
function headerProblem(h: Readonly<Record<string, string>>): ServiceError | null {
  for (const [name, shown] of [
    ['x-request-id', 'X-Request-ID'],
    ['x-correlation-id', 'X-Correlation-ID'],
  ] as const) {
    const v = h[name];
    if (!v) return new ServiceError(400, 'required', `The ${shown} header is missing`, 'MISSING_VALUE');
    if (!UUID.test(v))
      return new ServiceError(400, 'value', `The ${shown} header is not a UUID`, 'INVALID_VALUE');
  }
  if (!h['nhsd-session-urid'])
    return new ServiceError(400, 'required', 'The NHSD-Session-URID header is missing', 'MISSING_VALUE');
  return null;
}

const SERVICE_TITLES: Record<ServiceName, string> = {
  demographics: 'Stethoscope sandbox: demographics (PDS shape)',
  scr: 'Stethoscope sandbox: Summary Care Record (SCR API shape)',
  sharedCare: 'Stethoscope sandbox: shared care record',
  audit: 'Stethoscope sandbox: audit repository',
};

function capabilityStatement(service: ServiceName) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-01',
    kind: 'instance',
    software: { name: SERVICE_TITLES[service] },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
  };
}

export function createDispatcher(
  services: Readonly<Record<ServiceName, RecordService>>,
  baseUrls: Readonly<Record<ServiceName, string>>,
  tokens: TokenCheck,
  /** Told about failures a service did not expect (the answer is a plain 500 without them). */
  onError?: (e: unknown, where: { service: ServiceName; method: string; path: string }) => void,
): Dispatcher {
  const prefixes = (Object.entries(baseUrls) as [ServiceName, string][])
    .map(([service, url]) => ({ service, prefix: new URL(url).pathname.replace(/\/+$/, '') }))
    .sort((a, b) => b.prefix.length - a.prefix.length);

  function route(url: string): Route | null {
    let pathname: string;
    try {
      pathname = new URL(url).pathname;
    } catch {
      return null;
    }
    for (const { service, prefix } of prefixes) {
      if (pathname === prefix || pathname === `${prefix}/`) return { service, path: '/' };
      if (pathname.startsWith(`${prefix}/`)) return { service, path: pathname.slice(prefix.length) };
    }
    return null;
  }

  async function answer(req: HttpRequest, r: Route, channel: Channel): Promise<ServiceAnswer> {
    const service = services[r.service];
    const h = req.headers;
    // The CapabilityStatement, as FHIR servers publish it: no user needed (over HTTPS the channel is still
    // mutual TLS), so `stethoscope services check` can tell the FHIR version without a card.
    if (req.method === 'GET' && r.path === '/metadata')
      return { status: 200, body: capabilityStatement(r.service) };
    let user = null;
    if (service.needsUser(req.method, r.path)) {
      const problem = headerProblem(h);
      if (problem) return outcomeAnswer(problem);
      const v = await tokens.verify(h['authorization'], baseUrls[r.service], h['nhsd-session-urid']);
      if (!v.ok) return { status: v.status, body: operationOutcome('forbidden', v.reason, 'ACCESS_DENIED') };
      user = v.user;
    } else if (h['authorization']) {
      // Not needed here, but a token that is sent must be good.
      const v = await tokens.verify(h['authorization'], baseUrls[r.service], h['nhsd-session-urid']);
      if (!v.ok) return { status: v.status, body: operationOutcome('forbidden', v.reason, 'ACCESS_DENIED') };
      user = v.user;
    }
    const url = new URL(req.url);
    try {
      return await service.handle({
        method: req.method,
        path: r.path,
        query: url.searchParams,
        headers: h,
        body: req.body,
        user,
        channel,
        baseUrl: baseUrls[r.service],
      });
    } catch (e) {
      if (e instanceof ServiceError) return outcomeAnswer(e);
      onError?.(e, { service: r.service, method: req.method, path: r.path });
      const failed: OperationOutcome = operationOutcome(
        'exception',
        'The service failed to handle the request',
      );
      return { status: 500, body: failed };
    }
  }

  return {
    route,
    async serve(req, channel) {
      const started = performance.now();
      const r = route(req.url);
      const a: ServiceAnswer = r
        ? await answer(req, r, channel)
        : { status: 404, body: operationOutcome('not-found', 'No record service at this address') };
      const body = new TextEncoder().encode(JSON.stringify(a.body));
      const appMs = performance.now() - started;
      const mirrored: Record<string, string> = {};
      for (const name of ['x-request-id', 'x-correlation-id'] as const) {
        const v = req.headers[name];
        if (v) mirrored[name] = v;
      }
      const response: HttpResponse = {
        status: a.status,
        headers: {
          'content-type': FHIR_JSON,
          ...mirrored,
          ...a.headers,
          'server-timing': `app;dur=${appMs.toFixed(2)}`,
        },
        body,
      };
      return { route: r, response, appMs };
    },
  };
}
