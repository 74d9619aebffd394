/**
 * Who may talk to the sandbox over HTTPS: mutual TLS refuses a client without a certificate or with one from
 * another CA before any service sees the request; every user request needs the NHS headers (400) and a good
 * card-signed token (401: none, expired, foreign, unsigned, tampered, for another service; 403: another role);
 * errors are OperationOutcomes in application/fhir+json; connections are kept alive.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, USERS, type Reply, type TestSandbox } from '../../support/sandbox/harness';
import { tamper, unsigned } from '../../support/sandbox/tokens';

const PORT = 46601;
const OLIVIA = '9990000018';
let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox(PORT, { patients: 20, seed: 'access' });
});
afterAll(async () => t?.close());

type Outcome = {
  resourceType: string;
  issue: { code: string; details: { text: string; coding?: { code: string }[] } }[];
};

function outcome(r: Reply): { code: string; text: string; spine: string | undefined } {
  expect(r.headers['content-type']).toBe('application/fhir+json');
  const o = r.json() as Outcome;
  expect(o.resourceType).toBe('OperationOutcome');
  const i = o.issue[0]!;
  return { code: i.code, text: i.details.text, spine: i.details.coding?.[0]?.code };
}

const pds = (o: Parameters<TestSandbox['call']>[2] = {}) => t.call('demographics', `/Patient/${OLIVIA}`, o);

describe('sandbox access over HTTPS', () => {
  it('answers a good request: FHIR JSON, request ids mirrored, its own time in Server-Timing, kept alive', async () => {
    const first = await pds({ headers: { 'x-request-id': '1c03cf4f-d404-4d76-b192-4f81727059f6' } });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/fhir+json');
    expect(first.headers['x-request-id']).toBe('1c03cf4f-d404-4d76-b192-4f81727059f6');
    expect(first.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.headers['server-timing']).toMatch(/^app;dur=\d+\.\d\d$/);
    const second = await pds();
    expect(second.status).toBe(200);
    expect(second.reused).toBe(true);
  });

  it('refuses missing or malformed NHS headers with 400', async () => {
    for (const [without, text] of [
      ['x-request-id', 'The X-Request-ID header is missing'],
      ['x-correlation-id', 'The X-Correlation-ID header is missing'],
      ['nhsd-session-urid', 'The NHSD-Session-URID header is missing'],
    ] as const) {
      const r = await pds({ without: [without] });
      expect(r.status).toBe(400);
      expect(outcome(r)).toEqual({ code: 'required', text, spine: 'MISSING_VALUE' });
    }
    const bad = await pds({ headers: { 'x-request-id': 'not-a-uuid' } });
    expect(bad.status).toBe(400);
    expect(outcome(bad)).toMatchObject({
      text: 'The X-Request-ID header is not a UUID',
      spine: 'INVALID_VALUE',
    });
  });

  it('refuses a request without a token, or with an expired, foreign, unsigned, tampered or misaddressed one (401)', async () => {
    const good = await t.token('gp', 'demographics');
    const cases: [string, string | null, string][] = [
      ['none', null, 'no bearer token was sent'],
      [
        'expired',
        await t.token('gp', 'demographics', { issuedAt: -900, lifetime: 300 }),
        'the token has expired',
      ],
      [
        'foreign',
        await t.token('foreign', 'demographics'),
        'the token certificate was not issued by a trusted card authority',
      ],
      ['unsigned', unsigned(good), 'the token is not signed with ES256 (alg "none")'],
      [
        'tampered',
        tamper(good, (p) => {
          p['activities'] = ['B0370', 'B0015'];
        }),
        'the token signature does not match its content',
      ],
      ['for SCR', await t.token('gp', 'scr'), 'the token is for another service'],
    ];
    for (const [name, token, text] of cases) {
      const r = token === null ? await pds({ without: ['authorization'] }) : await pds({ token });
      expect(r.status, name).toBe(401);
      expect(outcome(r), name).toEqual({ code: 'forbidden', text, spine: 'ACCESS_DENIED' });
    }
  });

  it('answers 403 when NHSD-Session-URID is not the token’s role profile', async () => {
    const r = await pds({ headers: { 'nhsd-session-urid': USERS.officer.role.urid } });
    expect(r.status).toBe(403);
    expect(outcome(r).text).toBe("NHSD-Session-URID is not the token's role profile");
  });

  it('answers 404 with an OperationOutcome for an address no service has', async () => {
    const r = await t.raw(`https://127.0.0.1:${PORT}/nothing/here`, {});
    expect(r.status).toBe(404);
    expect(outcome(r).text).toBe('No record service at this address');
  });

  it('mutual TLS: refuses a client without a certificate, or with one from another CA, before any service', async () => {
    const before = t.requests.length;
    const anonymous = new https.Agent({ ca: readFileSync(t.pki.caFile) });
    const otherCa = new https.Agent({
      ca: readFileSync(t.pki.caFile),
      cert: readFileSync(t.pki.clientOtherCa.certFile),
      key: readFileSync(t.pki.clientOtherCa.keyFile),
    });
    for (const agent of [anonymous, otherCa]) {
      await expect(t.raw(`${t.sandbox.baseUrls.demographics}/Patient/${OLIVIA}`, {}, agent)).rejects.toThrow(
        /certificate|alert|socket hang up|ECONNRESET/i,
      );
      agent.destroy();
    }
    expect(t.requests.length).toBe(before);
  });
});
