/**
 * The HTTP seam between the record clients and whatever answers them: the remote services over HTTPS in live mode,
 * or the sandbox's handler in process in demo mode and unit tests (no socket). Plain data, no node:http types, so
 * either side can be swapped without the other knowing.
 */

/** One request. Header names are lower case. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute, e.g. https://127.0.0.1:8443/personal-demographics/FHIR/R4/Patient/9990000018 */
  url: string;
  headers: Readonly<Record<string, string>>;
  body?: Uint8Array;
  signal?: AbortSignal;
}

/** One answer. Header names are lower case. */
export interface HttpResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
}

/** Sends a request and resolves with the whole answer (rejects on a network failure or an abort). */
export type HttpTransport = (req: HttpRequest) => Promise<HttpResponse>;
