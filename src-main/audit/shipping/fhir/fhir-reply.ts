/**
 * Parses what a FHIR server answers (batch-response Bundles, OperationOutcomes) and classifies HTTP statuses:
 * 2xx delivered; 408, 429 and 5xx worth retrying; 401/403/404/405/406/415 mean the transport is misconfigured;
 * any other 4xx refuses the event itself for good.
 */
import { z } from 'zod';

export type StatusClass = 'delivered' | 'retry' | 'misconfigured' | 'rejected';

const TRANSPORT_LEVEL_4XX = new Set([401, 403, 404, 405, 406, 415]);

export function classifyStatus(code: number): StatusClass {
  if (code >= 200 && code < 300) return 'delivered';
  if (code === 408 || code === 429 || code >= 500 || code < 200) return 'retry';
  if (TRANSPORT_LEVEL_4XX.has(code)) return 'misconfigured';
  if (code >= 400) return 'rejected';
  // 3xx: we never ask for redirects; treat as a server we do not understand, and retry.
  return 'retry';
}

const OperationOutcome = z.object({
  resourceType: z.literal('OperationOutcome'),
  issue: z
    .array(
      z.object({
        severity: z.string().optional(),
        code: z.string().optional(),
        diagnostics: z.string().optional(),
        details: z.object({ text: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

/** The human text of an OperationOutcome (diagnostics or details), or null if it is not one. */
function outcomeText(value: unknown): string | null {
  const r = OperationOutcome.safeParse(value);
  if (!r.success) return null;
  const parts = (r.data.issue ?? [])
    .map((i) => [i.severity, i.code, i.diagnostics ?? i.details?.text].filter(Boolean).join(' '))
    .filter((s) => s !== '');
  return parts.length > 0 ? parts.join('; ') : null;
}

/** outcomeText of a JSON body, tolerating bodies that are not JSON. */
export function bodyText(body: string): string | null {
  try {
    return outcomeText(JSON.parse(body));
  } catch {
    return null;
  }
}

const BatchResponse = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('batch-response'),
  entry: z.array(
    z.object({
      response: z.object({ status: z.string().regex(/^\d{3}(\s|$)/), outcome: z.unknown().optional() }),
    }),
  ),
});

export interface EntryResult {
  code: number;
  detail: string | null;
}

/** The per-entry results of a batch-response, or an error string if the body is not one with `expected` entries. */
export function parseBatchResponse(body: string, expected: number): EntryResult[] | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the server answered the batch with something that is not JSON';
  }
  const r = BatchResponse.safeParse(json);
  if (!r.success) return 'the server answered the batch without a valid batch-response Bundle';
  if (r.data.entry.length !== expected) {
    return `the batch-response has ${r.data.entry.length} entries for ${expected} requests`;
  }
  return r.data.entry.map((e) => ({
    code: Number(e.response.status.slice(0, 3)),
    detail: outcomeText(e.response.outcome),
  }));
}
