/**
 * The record clients against the test services over HTTPS with mutual TLS and card-signed tokens: PDS read and
 * search (restricted, superseded, mismatch), the SCR (typed view, core first), the shared care record and its
 * Consent (history, If-Match conflict), and every fault of docs/specs/record-services.md: timeout, 5xx then
 * success, reset mid-body, oversized, not JSON, wrong content type, wrong resource type, 403 with an
 * OperationOutcome, an expired or foreign token, and an abort that drops the answer in flight.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Refusal } from '../../../src-main/domain/errors';
import type { ServiceName } from '../../../src-main/sandbox/http/service';
import { remoteSourceOver } from '../../../src-main/records/remote/live-source';
import type { RemoteRecordSource } from '../../../src-main/records/remote/remote-source';
import type { SourceContext } from '../../../src-main/records/source/types';
import { NHS_NUMBER_SYSTEM } from '../../../src-main/domain/fhir-resources';
import { createPdsClient } from '../../../src-main/records/remote/pds-client';
import { createServiceClient } from '../../../src-main/records/remote/service-client';
import {
  clientTransport,
  startTestSandbox,
  USERS,
  type TestSandbox,
  type UserKey,
} from '../../support/sandbox/harness';

const PORT = 46612;
let t: TestSandbox;
const SERVICES: ServiceName[] = ['demographics', 'scr', 'sharedCare'];
const open: { close(): void }[] = [];

/** Which test user the tokens speak for, and how they are made (a test may swap in an expired or foreign one). */
let tokenUser: UserKey = 'gp';
let tokenOptions: Parameters<TestSandbox['token']>[2] = {};

function serviceOf(audience: string): ServiceName {
  const s = (Object.keys(t.sandbox.baseUrls) as ServiceName[]).find(
    (k) => t.sandbox.baseUrls[k] === audience,
  );
  if (!s) throw new Error(`no service at ${audience}`);
  return s;
}

function source(o: { timeoutMs?: number } = {}): RemoteRecordSource {
  const timeoutMs = o.timeoutMs ?? 5000;
  const make = () => {
    const tr = clientTransport(t, { timeoutMs });
    open.push(tr);
    return tr.send;
  };
  const services = Object.fromEntries(
    SERVICES.map((s) => [s, { baseUrl: t.sandbox.baseUrls[s], timeoutMs, transport: make() }]),
  ) as Parameters<typeof remoteSourceOver>[0];
  return remoteSourceOver(services, {
    token: (audience) => t.token(tokenUser, serviceOf(audience), tokenOptions),
  });
}

function ctx(user: UserKey = 'gp', signal: AbortSignal = new AbortController().signal): SourceContext {
  const u = USERS[user];
  return {
    signal,
    user: { sessionId: 's1', holder: { displayName: u.name, userId: u.userId }, role: u.role },
    correlationId: '5f0c2a8e-1d3b-4c7a-9e2f-0a1b2c3d4e5f',
  };
}

async function refusal(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  t = await startTestSandbox(PORT);
}, 60_000);
afterEach(() => {
  t.sandbox.faults.clear();
  tokenUser = 'gp';
  tokenOptions = {};
});
afterAll(async () => {
  for (const o of open) o.close();
  await t?.close();
});

describe('demographics (PDS)', () => {
  it('reads a patient, with the NHS headers and a fresh request id on every request', async () => {
    const before = t.requests.length;
    const p = await source().getPatient('9990000018', ctx());
    expect(p).toMatchObject({ nhsNumber: '9990000018', family: 'Brackley' });
    expect(p?.restricted).toBeUndefined();
    const mine = t.requests.slice(before);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.status === 200)).toBe(true);
  });

  it('unknown patient: null', async () => {
    expect(await source().getPatient('9990009996', ctx())).toBeNull();
  });

  it('a restricted patient: no address or GP, marked restricted', async () => {
    const p = await source().getPatient('9990000107', ctx());
    expect(p).toMatchObject({ restricted: true, addressLine: '', postcode: '', gpPracticeName: '' });
  });

  it('a superseded number: the current number and the one asked for', async () => {
    const p = await source().getPatient('9990000131', ctx());
    expect(p).toMatchObject({ nhsNumber: '9990000115', supersededNumber: '9990000131' });
  });

  it('demographics that differ in the shared care record: warned field by field', async () => {
    const p = await source().getPatient('9990000123', ctx());
    const fields = (p?.mismatch ?? []).map((m) => m.field).sort();
    expect(fields).toEqual(['birthDate', 'name']);
    expect(p?.mismatch?.find((m) => m.field === 'birthDate')).toMatchObject({
      demographics: '1984-12-03',
      sharedCare: '1984-03-12',
    });
  });

  it('search by demographics: exact matches with their band', async () => {
    const results = await source().searchByDemographics(
      { family: 'Brackley', birthDate: (await source().getPatient('9990000018', ctx()))!.birthDate },
      ctx(),
    );
    expect(results[0]).toMatchObject({ nhsNumber: '9990000018', match: 'exact' });
  });
});

describe('demographics search with similar spellings', () => {
  it('a misspelt surname finds nobody exactly, and the patient as a close match with fuzzy matching', async () => {
    const s = source();
    const p = (await s.getPatient('9990000018', ctx()))!;
    const q = { family: 'Brakley', given: p.given[0]!, birthDate: p.birthDate };
    expect(await s.searchByDemographics(q, ctx())).toEqual([]);
    const fuzzy = await s.searchByDemographics({ ...q, fuzzy: true }, ctx());
    expect(fuzzy.find((p) => p.nhsNumber === '9990000018')).toMatchObject({ match: 'close' });
  });
});

describe('Summary Care Record', () => {
  it('the typed view: core sections first, narrative as tables, never markup', async () => {
    const doc = await source().getScr('9990000069', ctx());
    expect(doc).not.toBeNull();
    const keys = doc!.view.sections.map((s) => s.key);
    expect(keys[0]).toBe('allergies');
    const firstAi = doc!.view.sections.findIndex((s) => !s.core);
    expect(doc!.view.sections.slice(0, firstAi === -1 ? undefined : firstAi).every((s) => s.core)).toBe(true);
    expect(doc!.view.sections.some((s) => s.narrative.blocks.some((b) => b.type === 'table'))).toBe(true);
    expect(JSON.stringify(doc!.view)).not.toMatch(/<[a-z]/i);
  });

  it('an opted-out patient: refused in words, nothing fetched', async () => {
    const r = await refusal(source().getScr('9990000042', ctx()));
    expect(r.kind).toBe('refused');
    expect(r.message).toMatch(/opted out/);
  });

  it('403 with an OperationOutcome (a role without B0370): refused in words naming the service', async () => {
    tokenUser = 'receptionist';
    const r = await refusal(source().getScr('9990000018', ctx('receptionist')));
    expect(r.kind).toBe('refused');
    expect(r.message).toMatch(/^The Summary Care Record service refused/);
  });
});

describe('shared care record', () => {
  it('the clinical resources, each in its MIG section', async () => {
    const items = await source().getItems('9990000018', ctx());
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.mig !== null && i.scr === null && !i.private)).toBe(true);
  });

  it('sharing preferences: read with history, changed with If-Match, a concurrent change refused', async () => {
    const s = source();
    const before = await s.getPreferences('9990000026', ctx());
    const to = {
      ...before.current,
      mig: before.current.mig === 'share' ? ('dissent' as const) : ('share' as const),
    };
    const after = await s.setPreferences(
      '9990000026',
      {
        to,
        at: new Date().toISOString(),
        byUserId: USERS.gp.userId,
        byName: USERS.gp.name,
        patientStatement: 'Test words.',
      },
      ctx(),
    );
    expect(after.current).toEqual(to);
    expect(after.history.length).toBe(before.history.length + 1);
    expect(after.history.at(-1)).toMatchObject({ from: before.current, to, patientStatement: 'Test words.' });

    // Two writers from the same version: the second is refused with 412, in words.
    const client = await import('../../../src-main/records/remote/shared-care-client');
    const svc = createServiceClient({
      service: 'sharedCare',
      baseUrl: t.sandbox.baseUrls.sharedCare,
      timeoutMs: 5000,
      transport: clientTransport(t, { timeoutMs: 5000 }).send,
      tokens: { token: (a) => t.token('gp', serviceOf(a)) },
    });
    const sc = client.createSharedCareClient(svc);
    const id = (await sc.patient('9990000026', ctx()))!.id;
    const base = (await sc.consent(id, ctx()))!;
    const record = {
      ...base.record,
      at: new Date().toISOString(),
      by: { userId: USERS.gp.userId, name: USERS.gp.name },
    };
    await sc.updateConsent(base, record, ctx());
    const stale = await refusal(sc.updateConsent(base, record, ctx()));
    expect(stale.kind).toBe('conflict');
    expect(stale.message).toMatch(/Someone else changed/);
  });
});

describe('faults', () => {
  it('timeout: the service named, the limit in seconds, what to do', async () => {
    t.sandbox.faults.set('demographics', { kind: 'slow', ms: 1500 });
    const r = await refusal(source({ timeoutMs: 1000 }).getPatient('9990000018', ctx()));
    expect(r.kind).toBe('unavailable');
    expect(r.message).toBe(
      'The demographics service (PDS) did not answer within 1 seconds. Nothing was shown. Try again, or use your local process.',
    );
  });

  it('503 then success: a GET is retried once', async () => {
    t.sandbox.faults.set('demographics', { kind: 'status', status: 503, times: 1, match: { method: 'GET' } });
    expect(await source().getPatient('9990000018', ctx())).toMatchObject({ nhsNumber: '9990000018' });
  });

  it('503 twice: refused in words, no third try', async () => {
    t.sandbox.faults.set('scr', { kind: 'status', status: 503, times: 3 });
    const r = await refusal(source().getScr('9990000018', ctx()));
    expect(r.message).toMatch(/^The Summary Care Record service is not working just now/);
    // One try and one retry were used; the third is still queued.
    expect(t.sandbox.faults.pending('scr')).toBe(1);
  });

  it('a POST is never retried', async () => {
    t.sandbox.faults.set('scr', { kind: 'status', status: 503, times: 2, match: { method: 'POST' } });
    const s = source();
    const before = await s.getPreferences('9990000034', ctx());
    const r = await refusal(
      s.setPreferences(
        '9990000034',
        {
          to: before.current,
          at: new Date().toISOString(),
          byUserId: USERS.gp.userId,
          byName: USERS.gp.name,
          patientStatement: '',
        },
        ctx(),
      ),
    );
    expect(r.kind).toBe('unavailable');
    expect(t.sandbox.faults.pending('scr')).toBe(1);
  });

  it('reset mid-body: retried once, then refused when it happens again', async () => {
    t.sandbox.faults.set('demographics', { kind: 'reset', afterBytes: 20, times: 1 });
    expect(await source().getPatient('9990000018', ctx())).not.toBeNull();
    t.sandbox.faults.set('demographics', { kind: 'reset', afterBytes: 20, times: 10 });
    const r = await refusal(source().getPatient('9990000018', ctx()));
    expect(r.message).toMatch(/^The demographics service \(PDS\) could not be reached/);
  });

  it.each([
    ['oversized', { kind: 'oversized' } as const, /too large to use/],
    ['not JSON', { kind: 'not-json' } as const, /could not read/],
    ['wrong content type', { kind: 'wrong-content-type' } as const, /could not read/],
  ])('%s: refused in words naming the service', async (_w, fault, words) => {
    t.sandbox.faults.set('scr', { ...fault, times: 2 });
    const r = await refusal(source().getScr('9990000018', ctx()));
    expect(r.kind).toBe('unavailable');
    expect(r.message).toMatch(/^The Summary Care Record service /);
    expect(r.message).toMatch(words);
  });

  it('wrong resource type: a Patient read answered with a Bundle is refused', async () => {
    // A real service's real answer of another type: the PDS read is sent on to the shared care record's
    // Patient search, which answers a searchset Bundle.
    const https = clientTransport(t, { timeoutMs: 5000 });
    open.push(https);
    const svc = createServiceClient({
      service: 'demographics',
      baseUrl: t.sandbox.baseUrls.demographics,
      timeoutMs: 5000,
      transport: async (req) =>
        https.send({
          ...req,
          url: `${t.sandbox.baseUrls.sharedCare}/Patient?identifier=${encodeURIComponent(`${NHS_NUMBER_SYSTEM}|9990000018`)}`,
          headers: { ...req.headers, authorization: `Bearer ${await t.token('gp', 'sharedCare')}` },
        }),
      tokens: { token: (a) => t.token('gp', serviceOf(a)) },
    });
    const r = await refusal(createPdsClient(svc).read('9990000018', ctx()));
    expect(r.kind).toBe('unavailable');
    expect(r.message).toMatch(
      /^The demographics service \(PDS\) sent an answer the workstation could not read/,
    );
  });

  it('an expired token or one from a foreign CA is refused by the service, in words', async () => {
    tokenOptions = { issuedAt: -900, lifetime: 300 };
    const expired = await refusal(source().getPatient('9990000018', ctx()));
    expect(expired.message).toMatch(/did not accept your smartcard sign-in/);
    tokenOptions = {};
    tokenUser = 'foreign';
    const foreign = await refusal(source().getPatient('9990000018', ctx('foreign')));
    expect(foreign.message).toMatch(/did not accept your smartcard sign-in/);
  });

  it('abort (card removed) while a request is in flight: the answer is dropped', async () => {
    t.sandbox.faults.set('demographics', { kind: 'slow', ms: 800 });
    const ac = new AbortController();
    const pending = refusal(source().getPatient('9990000018', ctx('gp', ac.signal)));
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const r = await pending;
    expect(r.kind).toBe('conflict');
    expect(Date.now() - started).toBeLessThan(700);
  });
});
