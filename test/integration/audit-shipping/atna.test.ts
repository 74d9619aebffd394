/**
 * ATNA shipping against a real rsyslogd (imtcp + gtls, mutual TLS, Authmode x509/name) and H3's real SQLite
 * outbox: message format, server down then back, wrong server certificates, our certificate refused, and
 * connections cut mid-batch. In every case: nothing lost, a clear last error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AtnaTransport, atnaOptionsFromFiles } from '../../../src-main/audit/shipping/atna/atna-transport';
import { Shipper } from '../../../src-main/audit/shipping/shipper';
import type { SqliteAuditTrail } from '../../../src-main/audit/log/trail';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { openTestTrail, recordBacklog } from '../../support/audit-shipping/backlog';
import { CuttingProxy } from '../../support/audit-shipping/cutting-proxy';
import { pollUntil } from '../../support/audit-shipping/daemon';
import { readTrail, recordErrors, waitForStatus } from '../../support/audit-shipping/observe';
import {
  CLIENT_NAME,
  createTestPki,
  SERVER_NAME,
  type CertFiles,
  type TestPki,
} from '../../support/audit-shipping/pki';
import {
  createRsyslogReceiver,
  readReceived,
  type RsyslogProcess,
} from '../../support/audit-shipping/rsyslog';

const PORT = 46514;
const PORT_WRONG_NAME = 46515;
const PORT_OTHER_CA = 46516;
const PORT_PROXY = 46517;

let root: string;
let pki: TestPki;
let receiver: RsyslogProcess;
let wrongName: RsyslogProcess;
let otherCa: RsyslogProcess;
const cleanups: (() => Promise<void> | void)[] = [];
const perTest: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  root = mkdtempSync('/tmp/steth-h4-atna-');
  pki = await createTestPki(join(root, 'pki'));
  const server = (dir: string, port: number, cert: CertFiles) =>
    createRsyslogReceiver({
      dir: join(root, dir),
      port,
      caFile: pki.caFile,
      ...cert,
      permittedPeer: CLIENT_NAME,
    });
  receiver = server('rsyslog', PORT, pki.server);
  wrongName = server('rsyslog-wrong-name', PORT_WRONG_NAME, pki.serverWrongName);
  otherCa = server('rsyslog-other-ca', PORT_OTHER_CA, pki.serverOtherCa);
  cleanups.push(
    () => receiver.stop(),
    () => wrongName.stop(),
    () => otherCa.stop(),
  );
  await Promise.all([receiver.start(), wrongName.start(), otherCa.start()]);
});

// Shippers, proxies and logs of a test are stopped after it, pass or fail; the rsyslog daemons after all tests.
afterEach(async () => {
  for (const c of perTest.splice(0).reverse()) await c();
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  if (root) rmSync(root, { recursive: true, force: true });
});

function trailIn(name: string): { trail: SqliteAuditTrail; dir: string } {
  const dir = join(root, name);
  const trail = openTestTrail({ dir, transports: ['atna'] });
  perTest.push(() => trail.close());
  return { trail, dir };
}

function shipperFor(trail: SqliteAuditTrail, port: number, client: CertFiles = pki.client): Shipper {
  const transport = new AtnaTransport(
    atnaOptionsFromFiles({
      host: '127.0.0.1',
      port,
      serverName: SERVER_NAME,
      caFile: pki.caFile,
      ...client,
      workstationId: 'WS-TEST-01',
    }),
  );
  const shipper = new Shipper({
    outbox: trail.outbox,
    transport,
    log: createMemoryLogger(),
    batchSize: 100,
    concurrency: 2,
    backoff: { initialMs: 20, maxMs: 300, factor: 2 },
    idlePollMs: 50,
  });
  perTest.push(() => shipper.stop());
  return shipper;
}

/** seq -> times received, for the events of one trail (matched by UUID: other tests share the receiver). */
function receivedCounts(r: RsyslogProcess, dir: string): Map<number, number> {
  const bySeqUuid = new Map(readTrail(dir).map((e) => [e.uuid, e.seq]));
  const counts = new Map<number, number>();
  for (const m of readReceived(r.outputFile)) {
    const seq = bySeqUuid.get(m.uuid);
    if (seq === undefined) continue;
    expect(m.seq).toBe(seq);
    counts.set(seq, (counts.get(seq) ?? 0) + 1);
  }
  return counts;
}

async function waitAllReceived(r: RsyslogProcess, dir: string, head: number): Promise<Map<number, number>> {
  let last = new Map<number, number>();
  try {
    return await pollUntil(`rsyslog to write all ${head} events`, () => {
      last = receivedCounts(r, dir);
      return last.size === head ? last : undefined;
    });
  } catch (e) {
    const missing: number[] = [];
    for (let seq = 1; seq <= head; seq++) if (!last.has(seq)) missing.push(seq);
    throw new Error(
      `${(e as Error).message}; missing seqs ${missing.slice(0, 20).join(',')} (${missing.length})`,
    );
  }
}

describe('ATNA shipping over RFC 5425 TLS to rsyslog', () => {
  it('sends RFC 5424 messages that rsyslog parses, with our header, seq and UUID, and the AuditEvent as MSG', async () => {
    const { trail, dir } = trailIn('format');
    const head = recordBacklog(trail, 150);
    const shipper = shipperFor(trail, PORT);
    shipper.start();
    await waitForStatus(shipper, 'an empty queue', (s) => s.queueDepth === 0);
    await waitAllReceived(receiver, dir, head);
    const stored = new Map(readTrail(dir).map((e) => [e.uuid, e]));
    const mine = readReceived(receiver.outputFile).filter((m) => stored.has(m.uuid));
    expect(mine).toHaveLength(head);
    for (const m of mine) {
      const ev = stored.get(m.uuid);
      expect(ev).toBeDefined();
      expect(m.msg.startsWith('\ufeff')).toBe(true);
      expect(m.msg.slice(1)).toBe(ev?.json);
      const parsed = JSON.parse(m.msg.slice(1)) as {
        type: { code: string };
        outcome: string;
        recorded: string;
      };
      expect(m.msgId).toBe(parsed.type.code);
      // authpriv (10) * 8 + notice (5) for a successful event.
      expect(m.pri).toBe(parsed.outcome === '0' ? 85 : m.pri);
      expect(m.hostname).toBe('WS-TEST-01');
      expect(m.appName).toBe('stethoscope');
      expect(m.procId).toBe(String(process.pid));
      expect(Date.parse(m.timestamp)).toBe(Date.parse(parsed.recorded));
    }
    expect(shipper.status()).toMatchObject({ state: 'ok', queueDepth: 0, lastError: null });
    await shipper.stop();
  });

  it('keeps events while the server is down and sends them all once it is back', async () => {
    const { trail, dir } = trailIn('down-then-up');
    await receiver.stop();
    try {
      const head = recordBacklog(trail, 300);
      const shipper = shipperFor(trail, PORT);
      const errors = recordErrors(shipper);
      shipper.start();
      const down = await waitForStatus(shipper, 'a connection error', (s) => s.lastError !== null);
      expect(down.lastError).toMatch(/ATNA 127\.0\.0\.1:46514: connection refused/);
      expect(down.queueDepth).toBe(head);
      await waitForStatus(shipper, 'offline state', (s) => s.state === 'offline');
      expect(trail.status().transports[0]).toMatchObject({
        name: 'atna',
        state: 'offline',
        queueDepth: head,
      });
      await receiver.start();
      await waitForStatus(shipper, 'an empty queue', (s) => s.queueDepth === 0, 60_000);
      const counts = await waitAllReceived(receiver, dir, head);
      for (let seq = 1; seq <= head; seq++) expect(counts.get(seq)).toBeGreaterThanOrEqual(1);
      expect(errors.some((e) => e.includes('connection refused'))).toBe(true);
      expect(shipper.status()).toMatchObject({ state: 'ok', lastError: null });
      await shipper.stop();
    } finally {
      await receiver.start();
    }
  });

  it('refuses a server whose certificate names another host: nothing sent, a clear error', async () => {
    const { trail, dir } = trailIn('wrong-name');
    const head = recordBacklog(trail, 20);
    const shipper = shipperFor(trail, PORT_WRONG_NAME);
    shipper.start();
    const s = await waitForStatus(shipper, 'a certificate error', (st) => st.lastError !== null);
    expect(s.lastError).toMatch(/server's certificate was rejected \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    expect(s.state).toBe('offline');
    expect(s.queueDepth).toBe(head);
    await shipper.stop();
    expect(receivedCounts(wrongName, dir).size).toBe(0);
    expect(trail.status().transports[0]?.lastError).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it('refuses a server whose certificate comes from another CA: nothing sent, a clear error', async () => {
    const { trail, dir } = trailIn('other-ca');
    const head = recordBacklog(trail, 20);
    const shipper = shipperFor(trail, PORT_OTHER_CA);
    shipper.start();
    const s = await waitForStatus(shipper, 'a certificate error', (st) => st.lastError !== null);
    expect(s.lastError).toMatch(
      /server's certificate was rejected \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/,
    );
    expect(s.queueDepth).toBe(head);
    await shipper.stop();
    expect(receivedCounts(otherCa, dir).size).toBe(0);
  });

  it('does not count events as sent when the server refuses our client certificate, and sends them later', async () => {
    const { trail, dir } = trailIn('client-refused');
    const head = recordBacklog(trail, 50);
    const refused = shipperFor(trail, PORT, pki.clientOtherCa);
    refused.start();
    const s = await waitForStatus(refused, 'a refusal', (st) => st.lastError !== null);
    expect(s.lastError).toMatch(/client certificate/);
    await waitForStatus(refused, 'offline state', (st) => st.state === 'offline');
    await refused.stop();
    // The TLS 1.3 handshake finished on our side and writes "succeeded", yet nothing was marked sent.
    expect(trail.outbox.depth('atna').count).toBe(head);
    expect(receivedCounts(receiver, dir).size).toBe(0);
    expect(receiver.diagnostics).toMatch(/not permitted to talk to peer/);

    const fixed = shipperFor(trail, PORT);
    fixed.start();
    await waitForStatus(fixed, 'an empty queue', (st) => st.queueDepth === 0);
    await waitAllReceived(receiver, dir, head);
    await fixed.stop();
  });

  it('sends again what a connection cut mid-batch left unconfirmed (at-least-once)', async () => {
    const proxy = new CuttingProxy(PORT_PROXY, PORT);
    await proxy.start();
    perTest.push(() => proxy.stop());
    // Each batch of 100 events is ~280 kB; cut the first four connections part-way through.
    proxy.cutNext(4, 120_000);
    const { trail, dir } = trailIn('cut');
    const head = recordBacklog(trail, 600);
    const shipper = shipperFor(trail, PORT_PROXY);
    const errors = recordErrors(shipper);
    shipper.start();
    await waitForStatus(shipper, 'an empty queue', (s) => s.queueDepth === 0, 60_000);
    const counts = await waitAllReceived(receiver, dir, head);
    expect(proxy.cutCount).toBe(4);
    for (let seq = 1; seq <= head; seq++) expect(counts.get(seq) ?? 0).toBeGreaterThanOrEqual(1);
    // Events before the cut reached rsyslog and were sent again: duplicates are the price of at-least-once.
    expect([...counts.values()].some((n) => n > 1)).toBe(true);
    expect(errors.some((e) => /reset the connection|closed without the server confirming/.test(e))).toBe(
      true,
    );
    await shipper.stop();
    await proxy.stop();
  });
});
