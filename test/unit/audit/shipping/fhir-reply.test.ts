/** FHIR replies: status classes, OperationOutcome text, and strict batch-response parsing. */
import { describe, expect, it } from 'vitest';
import {
  bodyText,
  classifyStatus,
  parseBatchResponse,
} from '../../../../src-main/audit/shipping/fhir/fhir-reply';

describe('classifyStatus', () => {
  it('delivers 2xx, retries 408/429/5xx, calls 401/403/404 misconfiguration and other 4xx a refusal', () => {
    expect([200, 201, 204].map(classifyStatus)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([408, 429, 500, 502, 503, 504].map(classifyStatus)).toEqual(Array(6).fill('retry'));
    expect([401, 403, 404, 405, 406, 415].map(classifyStatus)).toEqual(Array(6).fill('misconfigured'));
    expect([400, 409, 412, 422].map(classifyStatus)).toEqual(Array(4).fill('rejected'));
    expect(classifyStatus(302)).toBe('retry');
  });
});

describe('bodyText', () => {
  it('reads OperationOutcome issues and ignores anything else', () => {
    const oo = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'bad date' }],
    };
    expect(bodyText(JSON.stringify(oo))).toBe('error invalid bad date');
    expect(bodyText('<html>oops</html>')).toBeNull();
    expect(bodyText(JSON.stringify({ resourceType: 'Bundle' }))).toBeNull();
  });
});

describe('parseBatchResponse', () => {
  const ok = (statuses: string[]) =>
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: statuses.map((status) => ({ response: { status } })),
    });

  it('returns one result per entry', () => {
    expect(parseBatchResponse(ok(['201 Created', '200 OK', '422 Unprocessable']), 3)).toEqual([
      { code: 201, detail: null },
      { code: 200, detail: null },
      { code: 422, detail: null },
    ]);
  });

  it('refuses a count mismatch, a non-batch-response and garbage', () => {
    expect(parseBatchResponse(ok(['201 Created']), 2)).toMatch(/1 entries for 2 requests/);
    expect(
      parseBatchResponse(
        JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: [] }),
        0,
      ),
    ).toMatch(/without a valid batch-response/);
    expect(parseBatchResponse(ok(['Created']), 1)).toMatch(/without a valid batch-response/);
    expect(parseBatchResponse('nope', 1)).toMatch(/not JSON/);
  });
});
