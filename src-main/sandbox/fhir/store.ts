/**
 * One FHIR R4 service's data: medplum's FhirRouter over its own in-memory repository. `call` runs one FHIR REST
 * interaction (read, search, create, update with If-Match, history, batch) and returns the HTTP status with the
 * resource or OperationOutcome the router produced.
 */
import { FhirRouter, type HttpMethod } from '@medplum/fhir-router';
import { getStatus } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { ensureFhirDefinitions } from './definitions';
import { SandboxRepository } from './repository';

export interface FhirResult {
  status: number;
  /** The resource answered, or the OperationOutcome when there is none. */
  body: Resource;
}

export type QueryParams = Record<string, string | string[]>;

/** URLSearchParams as the router wants them: one string, or an array for repeated names. */
export function queryParams(search: URLSearchParams): QueryParams {
  const out: QueryParams = {};
  for (const [k, v] of search) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

export class FhirStore {
  readonly repo = new SandboxRepository();
  private readonly router = new FhirRouter();

  constructor() {
    ensureFhirDefinitions();
  }

  /** `path` is relative to the FHIR base, e.g. `/Consent/abc/_history`. */
  async call(
    method: HttpMethod,
    path: string,
    query: QueryParams = {},
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<FhirResult> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const one of [v].flat()) search.append(k, one);
    const url = search.size > 0 ? `${path}?${search.toString()}` : path;
    // The router takes the path from `url` (and refuses a request that sets `pathname` itself).
    const [outcome, resource] = await this.router.handleRequest(
      { method, url, pathname: '', query, params: {}, body, headers },
      this.repo,
    );
    return { status: getStatus(outcome), body: resource ?? outcome };
  }
}
