/**
 * Each fault kind does what it says, over HTTPS and in process: slow, 5xx then success, dropped before handling,
 * handled but unanswered, reset mid-body, truncated, oversized, wrong content type, not JSON; faults apply to
 * their own service and path only.
 */
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../src-main/audit/events/build';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox/harness';

const PORT = 46606;
let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox(PORT, false);
});
afterEach(() => t.sandbox.faults.clear());
afterAll(async () => t?.close());

let n = 0;
function event(): AuditEvent {
  const uuid = `fa017000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const e = buildAuditEvent(
    {
      kind: 'login',
      actor: { userId: '555000000301', orgCode: 'C81007', workstationId: 'WS-TEST-01' },
      outcome: 'success',
    },
    { uuid, recorded: '2026-11-01T10:00:00.000Z', machineName: 'ws' },
  );
  return JSON.parse(JSON.stringify(e)) as AuditEvent;
}

const put = (e: AuditEvent) => t.call('audit', `/AuditEvent/${e.id}`, { method: 'PUT', body: e, user: null });
const stored = (e: AuditEvent) =>
  t.sandbox.stores.audit.repo.currentOf('AuditEvent', e.id as string) !== undefined;

function inProcess(e: AuditEvent, signal?: AbortSignal) {
  return t.sandbox.handle({
    method: 'PUT',
    url: `${t.sandbox.baseUrls.audit}/AuditEvent/${e.id}`,
    headers: { 'content-type': 'application/fhir+json' },
    body: new TextEncoder().encode(JSON.stringify(e)),
    ...(signal ? { signal } : {}),
  });
}

describe('fault injection over HTTPS', () => {
  it('slow: waits before handling, the service’s own time stays small', async () => {
    t.sandbox.faults.set('audit', { kind: 'slow', ms: 400 });
    const r = await put(event());
    expect(r.status).toBe(201);
    expect(r.ms).toBeGreaterThanOrEqual(390);
    expect(Number(/dur=([\d.]+)/.exec(r.headers['server-timing'] ?? '')?.[1])).toBeLessThan(390);
    expect((await put(event())).ms).toBeLessThan(390);
  });

  it('status: answers 503 twice without handling, then succeeds', async () => {
    t.sandbox.faults.set('audit', { kind: 'status', status: 503, times: 2 });
    const e = event();
    for (let i = 0; i < 2; i++) {
      const r = await put(e);
      expect(r.status).toBe(503);
      expect(r.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
      expect(stored(e)).toBe(false);
    }
    expect((await put(e)).status).toBe(201);
  });

  it('drop: closes the connection before handling; nothing is stored', async () => {
    t.sandbox.faults.set('audit', { kind: 'drop' });
    const e = event();
    await expect(put(e)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(stored(e)).toBe(false);
  });

  it('lose-reply: handles, then closes without answering; the event is stored', async () => {
    t.sandbox.faults.set('audit', { kind: 'lose-reply' });
    const e = event();
    await expect(put(e)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(stored(e)).toBe(true);
  });

  it('reset: the headers and part of the body arrive, then a reset', async () => {
    t.sandbox.faults.set('audit', { kind: 'reset', afterBytes: 20 });
    const e = event();
    await expect(put(e)).rejects.toThrow(/ECONNRESET|aborted|cut short/);
    expect(stored(e)).toBe(true);
  });

  it('truncated: the body ends before its Content-Length', async () => {
    t.sandbox.faults.set('audit', { kind: 'truncated', afterBytes: 30 });
    await expect(put(event())).rejects.toThrow(/cut short|aborted|ECONNRESET/);
  });

  it('oversized: 200 with more than 10 MiB of JSON, sent without a length', async () => {
    t.sandbox.faults.set('audit', { kind: 'oversized' });
    const r = await put(event());
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(Buffer.byteLength(r.text)).toBeGreaterThan(10 * 1024 * 1024);
    expect((r.json() as { resourceType: string }).resourceType).toBe('Bundle');
  });

  it('wrong-content-type and not-json spoil the answer', async () => {
    t.sandbox.faults.set('audit', { kind: 'wrong-content-type' });
    const wrong = await put(event());
    expect(wrong.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((wrong.json() as { resourceType: string }).resourceType).toBe('AuditEvent');
    t.sandbox.faults.set('audit', { kind: 'not-json' });
    const html = await put(event());
    expect(html.headers['content-type']).toBe('application/fhir+json');
    expect(() => html.json()).toThrow(SyntaxError);
  });

  it('applies a fault to its own service and matching path only', async () => {
    t.sandbox.faults.set('scr', { kind: 'status', status: 500, times: Infinity });
    t.sandbox.faults.add('audit', { kind: 'status', status: 502, match: { method: 'GET' } });
    expect((await put(event())).status).toBe(201);
    expect((await t.call('scr', '/DocumentReference')).status).toBe(500);
    expect((await t.call('scr', '/DocumentReference')).status).toBe(500);
    expect(t.sandbox.faults.pending('audit')).toBe(1);
  });
});

describe('fault injection in process', () => {
  it('rejects as a broken connection would, honours abort, and spoils bodies', async () => {
    t.sandbox.faults.set('audit', { kind: 'drop' });
    await expect(inProcess(event())).rejects.toMatchObject({ code: 'ECONNRESET' });
    t.sandbox.faults.set('audit', { kind: 'truncated' });
    await expect(inProcess(event())).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    t.sandbox.faults.set('audit', { kind: 'slow', ms: 5_000 });
    const abort = new AbortController();
    const slow = inProcess(event(), abort.signal);
    setTimeout(() => abort.abort(), 50);
    await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
    t.sandbox.faults.set('audit', { kind: 'status', status: 504 });
    expect((await inProcess(event())).status).toBe(504);
    t.sandbox.faults.set('audit', { kind: 'not-json' });
    const r = await inProcess(event());
    expect(() => JSON.parse(Buffer.from(r.body).toString('utf8'))).toThrow(SyntaxError);
    expect((await inProcess(event())).status).toBe(201);
  });
});
