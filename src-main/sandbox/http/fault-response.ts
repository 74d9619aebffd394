/**
 * The answers of the faults that replace or spoil a response (faults.ts): the same for the HTTPS server and the
 * in-process transport. Faults that cut the connection are the transport's own business.
 */
import type { HttpResponse } from '../../net/http-types';
import { OVERSIZED_DEFAULT_BYTES, type FaultKind } from '../faults';
import { encode, FHIR_JSON } from './dispatch';
import { operationOutcome } from './outcome';

/** The answer of a `status` fault: that status and an OperationOutcome saying so. */
export function statusFault(f: { status: number; message?: string }): HttpResponse {
  const text = f.message ?? `The service is failing on purpose with HTTP ${f.status}`;
  return encode(f.status, operationOutcome(f.status >= 500 ? 'transient' : 'processing', text));
}

/** A JSON searchset padded to `bytes`. */
export function oversizedBody(bytes = OVERSIZED_DEFAULT_BYTES): Uint8Array {
  const head = '{"resourceType":"Bundle","type":"searchset","total":0,"entry":[],"padding":"';
  const tail = '"}';
  const out = new Uint8Array(Math.max(bytes, head.length + tail.length));
  const enc = new TextEncoder();
  out.set(enc.encode(head), 0);
  out.fill(0x78, head.length, out.length - tail.length);
  out.set(enc.encode(tail), out.length - tail.length);
  return out;
}

const NOT_JSON = '<html><head><title>502 Bad Gateway</title></head><body>Upstream error</body></html>';

/** The response as the body-level faults spoil it; null for faults that are not about the body. */
export function spoil(fault: FaultKind, r: HttpResponse): HttpResponse | null {
  switch (fault.kind) {
    case 'oversized':
      return { status: 200, headers: { 'content-type': FHIR_JSON }, body: oversizedBody(fault.bytes) };
    case 'wrong-content-type':
      return {
        ...r,
        headers: { ...r.headers, 'content-type': fault.contentType ?? 'text/html; charset=utf-8' },
      };
    case 'not-json':
      return {
        status: 200,
        headers: { ...r.headers, 'content-type': FHIR_JSON },
        body: new TextEncoder().encode(NOT_JSON),
      };
    default:
      return null;
  }
}
