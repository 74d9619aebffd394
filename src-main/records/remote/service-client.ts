/**
 * One remote record service as the workstation talks to it (docs/specs/record-services.md, "Every request"): the
 * user's card-signed token, NHSD-Session-URID, a fresh X-Request-ID and the encounter's X-Correlation-ID on every
 * request; one retry for a GET after a connection error or a 502/503/504, nothing else retried; the answer must be
 * FHIR JSON of the expected shape. Every failure becomes a Refusal in plain words that names the service and says
 * what to do; nothing from the service is written to disk.
 */
import { randomUUID } from 'node:crypto';
import { ZodError, type z } from 'zod';
import { Refusal } from '../../domain/errors';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../net/http-types';
import { TransportError } from '../../net/https-transport';
import { TokenUnavailableError, type UserTokenPort } from '../../session/port';
import type { SourceContext } from '../source/types';
import { RecordShapeError } from '../remote-shape';
import { OperationOutcome } from './fhir-answers';

/** The record services a clinician's reads go to. */
export type RecordServiceName = 'demographics' | 'scr' | 'sharedCare';
/** Every remote service: the record services, and the audit repository the privacy officer reviews alerts in. */
export type ServiceName = RecordServiceName | 'audit';

/** How the user hears each service named. */
export const SERVICE_NAMES: Record<ServiceName, string> = {
  demographics: 'The demographics service (PDS)',
  scr: 'The Summary Care Record service',
  sharedCare: 'The shared care record service',
  audit: 'The audit repository',
};

export interface ServiceClientOptions {
  service: ServiceName;
  /** The service's base URL, without a trailing slash; also the token's audience. */
  baseUrl: string;
  transport: HttpTransport;
  tokens: UserTokenPort;
  /** The whole-request deadline the transport applies, for the words of a timeout. */
  timeoutMs: number;
}

export interface ServiceCall<T> {
  method: HttpRequest['method'];
  /** Path below the base URL, e.g. "Patient/9990000018" or "$setPermission". */
  path: string;
  query?: Readonly<Record<string, string>>;
  body?: unknown;
  /** Extra headers, e.g. If-Match. */
  headers?: Readonly<Record<string, string>>;
  /**
   * The answer's expected shape: a 2xx body must parse with it (a schema, or a reader that throws
   * RecordShapeError or ZodError).
   */
  expect: z.ZodType<T> | ((json: unknown) => T);
  /** Statuses the caller handles itself (e.g. 404 for "no such patient", 412 for a stale version). */
  passThrough?: readonly number[];
}

export type ServiceAnswer<T> =
  | { ok: true; status: number; value: T; headers: Readonly<Record<string, string>> }
  | {
      ok: false;
      status: number;
      outcome: OperationOutcome | null;
      headers: Readonly<Record<string, string>>;
    };

const RETRY_STATUSES = new Set([502, 503, 504]);
const FHIR_JSON = /^application\/(fhir\+)?json\b/i;

export interface ServiceClient {
  readonly service: ServiceName;
  readonly baseUrl: string;
  call<T>(call: ServiceCall<T>, ctx: SourceContext): Promise<ServiceAnswer<T>>;
}

export function createServiceClient(o: ServiceClientOptions): ServiceClient {
  const name = SERVICE_NAMES[o.service];
  const seconds = Math.round(o.timeoutMs / 1000);
  const unavailable = (reason: string, words: string) =>
    new Refusal('unavailable', words, { service: o.service, reason });

  const words = {
    timeout: `${name} did not answer within ${seconds} seconds. Nothing was shown. Try again, or use your local process.`,
    unreachable: `${name} could not be reached. Nothing was shown. Try again, or use your local process.`,
    tls: `${name} could not be reached securely: its certificate, or this workstation's, was not accepted. Nothing was shown. Tell your IT service desk.`,
    tooLarge: `${name} sent an answer too large to use. Nothing was shown. Try again; if it keeps happening, tell your IT service desk.`,
    unreadable: `${name} sent an answer the workstation could not read. Nothing was shown. Try again; if it keeps happening, tell your IT service desk.`,
    wrongPatient: `${name} sent a record for a different patient. Nothing was shown. Tell your IT service desk (this is a safety problem).`,
    failing: `${name} is not working just now (it answered with an error). Nothing was shown. Try again, or use your local process.`,
    signIn: `${name} did not accept your smartcard sign-in. Nothing was shown. Remove your card, insert it and sign in again.`,
    refused:
      o.service === 'audit'
        ? `${name} refused this request: your role or organisation does not allow it. Nothing was changed.`
        : `${name} refused this request: it found no consent or relationship that allows it. Nothing was shown.`,
    rejected: `${name} did not accept the request. Nothing was shown. If it keeps happening, tell your IT service desk.`,
  };

  const changed = () =>
    new Refusal('conflict', 'The session or patient changed while this was in progress. Start again.');

  /** A failed exchange, from the HTTPS transport (TransportError) or the in-process one (coded errors). */
  const fromTransport = (err: unknown, ctx: SourceContext): Refusal => {
    if (ctx.signal.aborted) return changed();
    const failure =
      err instanceof TransportError
        ? err.failure
        : (err as { name?: unknown } | null)?.name === 'AbortError'
          ? 'aborted'
          : typeof (err as { code?: unknown } | null)?.code === 'string'
            ? 'connection'
            : null;
    switch (failure) {
      case 'timeout':
        return unavailable('timeout', words.timeout);
      case 'connect-timeout':
      case 'connection':
        return unavailable('unreachable', words.unreachable);
      case 'tls':
        return unavailable('tls', words.tls);
      case 'too-large':
        return unavailable('too-large', words.tooLarge);
      case 'aborted':
        return changed();
      case null:
        throw err;
    }
  };

  const parseJson = (res: HttpResponse): unknown => {
    if (!FHIR_JSON.test(res.headers['content-type'] ?? '')) return undefined;
    try {
      return JSON.parse(
        Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength).toString('utf8'),
      );
    } catch {
      return undefined;
    }
  };

  const readAnswer = <T>(expect: ServiceCall<T>['expect'], json: unknown): T => {
    try {
      if (typeof expect === 'function') return expect(json);
      return expect.parse(json);
    } catch (err) {
      if (err instanceof RecordShapeError && err.problem === 'wrong-patient')
        throw unavailable('wrong-patient', words.wrongPatient);
      if (err instanceof RecordShapeError || err instanceof ZodError)
        throw unavailable('bad-answer', words.unreadable);
      throw err;
    }
  };

  const token = async (ctx: SourceContext): Promise<string> => {
    try {
      return await o.tokens.token(o.baseUrl, ctx.signal);
    } catch (err) {
      if (!(err instanceof TokenUnavailableError)) throw err;
      if (err.reason === 'locked' || err.reason === 'signed-out' || err.reason === 'card-removed')
        throw new Refusal(
          'locked',
          'The session is locked. Insert your smartcard and enter your PIN to continue.',
        );
      if (err.reason === 'aborted') throw changed();
      throw new Refusal('unavailable', `${err.message} Nothing was shown.`, {
        service: o.service,
        reason: 'token',
      });
    }
  };

  return {
    service: o.service,
    baseUrl: o.baseUrl,
    async call<T>(call: ServiceCall<T>, ctx: SourceContext): Promise<ServiceAnswer<T>> {
      const url = new URL(`${o.baseUrl}/${call.path}`);
      for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = {
        accept: 'application/fhir+json',
        authorization: `Bearer ${await token(ctx)}`,
        'nhsd-session-urid': ctx.user.role.urid,
        'x-request-id': randomUUID(),
        'x-correlation-id': ctx.correlationId,
        ...(call.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
        ...call.headers,
      };
      const request: HttpRequest = {
        method: call.method,
        url: url.toString(),
        headers,
        ...(call.body !== undefined ? { body: Buffer.from(JSON.stringify(call.body), 'utf8') } : {}),
        signal: ctx.signal,
      };
      let res: HttpResponse | null = null;
      for (let attempt = 0; ; attempt++) {
        const retryable = call.method === 'GET' && attempt === 0;
        try {
          res = await o.transport(request);
        } catch (err) {
          const refusal = fromTransport(err, ctx);
          if (retryable && refusal.detail?.['reason'] === 'unreachable') continue;
          throw refusal;
        }
        if (retryable && RETRY_STATUSES.has(res.status)) continue;
        break;
      }
      // An answer that arrives after a lock, patient change or sign-out is thrown away.
      if (ctx.signal.aborted) throw changed();
      const json = parseJson(res);
      if (res.status >= 200 && res.status < 300) {
        if (json === undefined) throw unavailable('bad-answer', words.unreadable);
        return { ok: true, status: res.status, value: readAnswer(call.expect, json), headers: res.headers };
      }
      const outcome = OperationOutcome.safeParse(json);
      if (call.passThrough?.includes(res.status))
        return {
          ok: false,
          status: res.status,
          outcome: outcome.success ? outcome.data : null,
          headers: res.headers,
        };
      if (res.status === 401) throw unavailable('sign-in', words.signIn);
      if (res.status === 403)
        throw new Refusal('refused', words.refused, { service: o.service, reason: 'refused' });
      if (res.status >= 500) throw unavailable('failing', words.failing);
      throw unavailable('rejected', words.rejected);
    },
  };
}
