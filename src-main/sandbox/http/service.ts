/**
 * What the dispatcher gives a record service for one request, and what the service answers. Services are plain
 * functions of this context: they never see sockets, TLS or faults.
 */
import type { HttpRequest } from '../../net/http-types';
import { badRequest, ServiceError } from './outcome';
import type { VerifiedUser } from '../token-check';

export type ServiceName = 'demographics' | 'scr' | 'sharedCare' | 'audit';
export const SERVICE_NAMES: readonly ServiceName[] = ['demographics', 'scr', 'sharedCare', 'audit'];

/** How the caller reached us: in process (demo mode, the workstation itself) or over mutual TLS. */
export type Channel = { kind: 'in-process' } | { kind: 'mtls'; clientSubject: string };

export interface ServiceRequest {
  method: HttpRequest['method'];
  /** The path below the service's base, starting with '/', percent-decoded per segment by the service. */
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | undefined;
  /** The verified user, or null on the few paths that take the channel's own authentication. */
  user: VerifiedUser | null;
  channel: Channel;
  /** This service's base URL (absolute), for fullUrl and links. */
  baseUrl: string;
}

export interface ServiceAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RecordService {
  readonly name: ServiceName;
  /**
   * False for requests the channel itself authenticates (the workstation delivering audit events over mutual
   * TLS); everything else needs the user's token and the NHS request headers.
   */
  needsUser(method: string, path: string): boolean;
  handle(req: ServiceRequest): Promise<ServiceAnswer>;
}

const FHIR_JSON = /^application\/(fhir\+)?json(\s*;.*)?$/i;

/** The request body as JSON: 415 for another content type, 400 when it is missing or not JSON. */
export function jsonBody(req: ServiceRequest): unknown {
  const type = req.headers['content-type'];
  if (!type || !FHIR_JSON.test(type))
    throw new ServiceError(
      415,
      'not-supported',
      'Send the body as application/fhir+json',
      'UNSUPPORTED_SERVICE',
    );
  if (!req.body || req.body.length === 0)
    throw badRequest('The request has no body', 'MISSING_VALUE', 'required');
  try {
    const b = req.body;
    return JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')) as unknown;
  } catch {
    throw badRequest('The body is not JSON', 'INVALID_VALUE', 'structure');
  }
}

/** An answer of one resource with its version as ETag. */
export function resourceAnswer(
  status: number,
  resource: unknown,
  extra: Record<string, string> = {},
): ServiceAnswer {
  const versionId = (resource as { meta?: { versionId?: unknown } } | null)?.meta?.versionId;
  return {
    status,
    body: resource,
    headers: { ...(typeof versionId === 'string' ? { etag: `W/"${versionId}"` } : {}), ...extra },
  };
}
