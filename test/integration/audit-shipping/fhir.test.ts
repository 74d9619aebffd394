/**
 * FHIR shipping against an HTTPS FHIR test endpoint (mutual TLS) and H3's real SQLite outbox: server down then
 * back, 5xx, dropped connections, lost acknowledgements, events refused for good, wrong server certificates and
 * our certificate refused. In every case: no event lost, none created twice (counted by id), a clear last error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FhirTransport, fhirOptionsFromFiles } from '../../../src-main/audit/shipping/fhir/fhir-transport';
import { Shipper } from '../../../src-main/audit/shipping/shipper';
import type { SqliteAuditTrail } from '../../../src-main/audit/log/trail';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { openTestTrail, recordBacklog } from '../../support/audit-shipping/backlog';
import { FhirTestServer } from '../../support/audit-shipping/fhir-server';
import { readTrail, recordErrors, waitForStatus } from '../../support/audit-shipping/observe';
import { createTestPki, type CertFiles, type TestPki } from '../../support/audit-shipping/pki';

const PORT = 46520;
const PORT_WRONG_NAME = 46521;
const PORT_OTHER_CA = 46522;

let root: string;
let pki: TestPki;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  root = mkdtempSync('/tmp/steth-h4-fhir-');
  pki = await createTestPki(join(root, 'pki'));
});

// Servers, shippers and logs of a test are stopped after it, pass or fail, so a failure cannot leak into the next.
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function serverOn(port: number, cert: CertFiles = pki.server): Promise<FhirTestServer> {
  const server = new FhirTestServer({
    port,
    key: readFileSync(cert.keyFile),
    cert: readFileSync(cert.certFile),
    clientCa: readFileSync(pki.caFile),
  });
  await server.start();
  cleanups.push(() => server.stop());
  return server;
}

function trailIn(name: string): { trail: SqliteAuditTrail; dir: string } {
  const dir = join(root, name);
  const trail = openTestTrail({ dir, transports: ['fhir'] });
  cleanups.push(() => trail.close());
  return { trail, dir };
}

function shipperFor(
  trail: SqliteAuditTrail,
  port: number,
  client: CertFiles = pki.client,
  batchSize = 50,
): Shipper {
  const transport = new FhirTransport({
    ...fhirOptionsFromFiles({
      baseUrl: `https://audit.stethoscope.test:${port}/fhir`,
      caFile: pki.caFile,
      ...client,
    }),
    // The certificate names audit.stethoscope.test; connect to loopback without touching /etc/hosts.
    connectTo: '127.0.0.1',
  });
  const shipper = new Shipper({
    outbox: trail.outbox,
    transport,
    log: createMemoryLogger(),
    batchSize,
    backoff: { initialMs: 20, maxMs: 300, factor: 2 },
    idlePollMs: 50,
  });
  cleanups.push(async () => {
    await shipper.stop();
    await transport.close();
  });
  return shipper;
}

/** Every event of the trail stored exactly once, with the body we logged. */
function expectExactlyOnce(server: FhirTestServer, dir: string): void {
  const events = readTrail(dir);
  for (const e of events) {
    const stored = server.events.get(e.uuid);
    expect(stored, `event seq ${e.seq} missing at the FHIR server`).toBeDefined();
    expect(stored?.creations).toBe(1);
    const { meta: _meta, ...body } = stored?.resource ?? {};
    expect(body).toEqual(JSON.parse(e.json));
  }
}

async function drained(shipper: Shipper, timeoutMs = 60_000) {
  return waitForStatus(shipper, 'an empty queue', (s) => s.queueDepth === 0, timeoutMs);
}

describe('FHIR shipping to an HTTPS FHIR server', () => {
  it('PUTs each AuditEvent under its UUID in batch Bundles, exactly once', async () => {
    const server = await serverOn(PORT);
    const { trail, dir } = trailIn('happy');
    const head = recordBacklog(trail, 230);
    const shipper = shipperFor(trail, PORT);
    shipper.start();
    await drained(shipper);
    expect(server.events.size).toBe(head);
    expectExactlyOnce(server, dir);
    // Batch Bundles to [base], or (the one-event probe) a PUT by UUID; never a POST that lets the server pick ids.
    const byUuid = /^\/fhir\/AuditEvent\/[0-9a-f-]{36}$/;
    expect(
      server.requests.every(
        (r) => (r.method === 'POST' && r.path === '/fhir') || (r.method === 'PUT' && byUuid.test(r.path)),
      ),
    ).toBe(true);
    expect(server.requests.filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(4);
    expect(shipper.status()).toMatchObject({ state: 'ok', lastError: null, queueDepth: 0 });
    expect(trail.status().transports[0]).toMatchObject({ name: 'fhir', state: 'ok', queueDepth: 0 });
    await shipper.stop();
    await server.stop();
  });

  it('waits out a server that is down and delivers everything once it is back', async () => {
    const server = new FhirTestServer({
      port: PORT,
      key: readFileSync(pki.server.keyFile),
      cert: readFileSync(pki.server.certFile),
      clientCa: readFileSync(pki.caFile),
    });
    cleanups.push(() => server.stop());
    const { trail, dir } = trailIn('down-then-up');
    const head = recordBacklog(trail, 120);
    const shipper = shipperFor(trail, PORT);
    const errors = recordErrors(shipper);
    shipper.start();
    await waitForStatus(shipper, 'offline', (s) => s.state === 'offline');
    expect(shipper.status().lastError).toMatch(
      /FHIR https:\/\/audit\.stethoscope\.test:46520\/fhir: connection refused/,
    );
    expect(trail.status().transports[0]?.lastError).toMatch(/connection refused/);
    expect(trail.outbox.depth('fhir').count).toBe(head);
    await server.start();
    await drained(shipper);
    expectExactlyOnce(server, dir);
    expect(errors.length).toBeGreaterThan(0);
    await shipper.stop();
    await server.stop();
  });

  it('retries 5xx answers and dropped connections without duplicates', async () => {
    const server = await serverOn(PORT);
    server.failNext(2, { kind: 'status', status: 503 });
    server.failNext(2, { kind: 'drop' });
    server.failNext(1, { kind: 'status', status: 500 });
    const { trail, dir } = trailIn('5xx-drop');
    recordBacklog(trail, 150);
    const shipper = shipperFor(trail, PORT);
    const errors = recordErrors(shipper);
    shipper.start();
    await drained(shipper);
    expectExactlyOnce(server, dir);
    expect(
      errors.some((e) =>
        /HTTP 503 for (batch of \d+|event [0-9a-f-]{36}): error transient told to fail with 503/.test(e),
      ),
    ).toBe(true);
    expect(errors.some((e) => /socket hang up|ECONNRESET/.test(e))).toBe(true);
    expect(errors.some((e) => /HTTP 500/.test(e))).toBe(true);
    await shipper.stop();
    await server.stop();
  });

  it('survives lost acknowledgements: stored twice at most in receipts, created once', async () => {
    const server = await serverOn(PORT);
    server.failNext(3, { kind: 'lose-ack' }, 'batch');
    const { trail, dir } = trailIn('lost-ack');
    const head = recordBacklog(trail, 150);
    const shipper = shipperFor(trail, PORT);
    const errors = recordErrors(shipper);
    shipper.start();
    await drained(shipper);
    expectExactlyOnce(server, dir);
    expect(server.events.size).toBe(head);
    const resent = [...server.events.values()].filter((e) => e.receipts > 1);
    // Three batches (of up to 50, the last one smaller) reached the server, were stored, and were sent again
    // after the lost replies: at least one whole batch was received twice, yet created once.
    expect(resent.length).toBeGreaterThanOrEqual(50);
    expect(server.totalCreations).toBe(head);
    expect(errors.some((e) => /socket hang up|ECONNRESET/.test(e))).toBe(true);
    await shipper.stop();
    await server.stop();
  });

  it('keeps an event the server refuses for good, flags it, delivers the rest, and does not spin', async () => {
    const server = await serverOn(PORT);
    const { trail, dir } = trailIn('refused');
    const head = recordBacklog(trail, 120);
    const bad = readTrail(dir).find((e) => e.seq === 7);
    expect(bad).toBeDefined();
    server.refuse([bad?.uuid ?? '']);
    const shipper = shipperFor(trail, PORT);
    shipper.start();
    const s = await waitForStatus(shipper, 'only the refused event left', (st) => st.queueDepth === 1);
    expect(s.lastError).toMatch(
      new RegExp(`HTTP 422 for event ${bad?.uuid} \\(seq 7\\): error business-rule`),
    );
    expect(server.events.size).toBe(head - 1);
    expect(server.events.has(bad?.uuid ?? '')).toBe(false);
    expect(trail.outbox.depth('fhir').count).toBe(1);
    // No busy loop: with nothing else to send, the parked event is not offered again for a while.
    const before = server.requests.length;
    await delay(600);
    expect(server.requests.length - before).toBeLessThanOrEqual(1);
    expect(shipper.status().lastError).toMatch(/1 event\(s\) refused by the server and kept for review/);
    await shipper.stop();
    await server.stop();
  });

  it('refuses a server whose certificate names another host', async () => {
    const server = await serverOn(PORT_WRONG_NAME, pki.serverWrongName);
    const { trail } = trailIn('wrong-name');
    const head = recordBacklog(trail, 20);
    const shipper = shipperFor(trail, PORT_WRONG_NAME);
    shipper.start();
    const s = await waitForStatus(shipper, 'an error', (st) => st.lastError !== null);
    expect(s.lastError).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(server.events.size).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(trail.outbox.depth('fhir').count).toBe(head);
    await shipper.stop();
    await server.stop();
  });

  it('refuses a server whose certificate comes from another CA', async () => {
    const server = await serverOn(PORT_OTHER_CA, pki.serverOtherCa);
    const { trail } = trailIn('other-ca');
    const head = recordBacklog(trail, 20);
    const shipper = shipperFor(trail, PORT_OTHER_CA);
    shipper.start();
    const s = await waitForStatus(shipper, 'an error', (st) => st.lastError !== null);
    expect(s.lastError).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    expect(server.requests).toHaveLength(0);
    expect(trail.outbox.depth('fhir').count).toBe(head);
    await shipper.stop();
    await server.stop();
  });

  it('reports our client certificate refused, keeps everything, and delivers once fixed', async () => {
    const server = await serverOn(PORT);
    const { trail, dir } = trailIn('client-refused');
    const head = recordBacklog(trail, 40);
    const refused = shipperFor(trail, PORT, pki.clientOtherCa);
    refused.start();
    const s = await waitForStatus(refused, 'an error', (st) => st.lastError !== null);
    expect(s.lastError).toMatch(
      /FHIR https:\/\/audit\.stethoscope\.test:46520\/fhir: .*(certificate|alert|ECONNRESET|socket hang up)/i,
    );
    await refused.stop();
    expect(server.requests).toHaveLength(0);
    expect(trail.outbox.depth('fhir').count).toBe(head);
    const fixed = shipperFor(trail, PORT);
    fixed.start();
    await drained(fixed);
    expectExactlyOnce(server, dir);
    await fixed.stop();
    await server.stop();
  });
});
