/**
 * A shift offline: 50,000 events queued in H3's real SQLite log before any server is reachable, then drained by
 * both shippers at once: every event arrives exactly once at the FHIR endpoint (counted by id) and every sequence
 * number arrives at rsyslog (parsed from its output file), overrides first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtnaTransport, atnaOptionsFromFiles } from '../../../src-main/audit/shipping/atna/atna-transport';
import { FhirTransport, fhirOptionsFromFiles } from '../../../src-main/audit/shipping/fhir/fhir-transport';
import { Shipper } from '../../../src-main/audit/shipping/shipper';
import type { SqliteAuditTrail } from '../../../src-main/audit/log/trail';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { openTestTrail, recordBacklog } from '../../support/audit-shipping/backlog';
import { pollUntil } from '../../support/audit-shipping/daemon';
import type { FhirTestServer } from '../../support/audit-shipping/fhir-server';
import { readTrail, waitForStatus } from '../../support/audit-shipping/observe';
import { SERVER_NAME, type TestPki } from '../../support/audit-shipping/pki';
import { createDeliveryTargets } from '../../support/audit-shipping/targets';
import { countLines, readReceived, type RsyslogProcess } from '../../support/audit-shipping/rsyslog';

const SYSLOG_PORT = 46518;
const FHIR_PORT = 46523;
const EVENTS = 50_000;

let root: string;
let pki: TestPki;
let receiver: RsyslogProcess;
let fhir: FhirTestServer;
let trail: SqliteAuditTrail;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  root = mkdtempSync('/tmp/steth-h4-volume-');
  ({ pki, receiver, fhir } = await createDeliveryTargets(root, { syslog: SYSLOG_PORT, fhir: FHIR_PORT }));
  cleanups.push(() => receiver.stop());
  cleanups.push(() => fhir.stop());
  trail = openTestTrail({ dir: join(root, 'log'), transports: ['atna', 'fhir'] });
  cleanups.push(() => trail.close());
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a shift offline', () => {
  it('drains 50,000 queued events: exactly once to FHIR, every sequence number to rsyslog', async () => {
    // Offline: the shippers start before either server and keep everything.
    const head = recordBacklog(trail, EVENTS);
    expect(head).toBeGreaterThanOrEqual(EVENTS);
    const atnaTransport = new AtnaTransport(
      atnaOptionsFromFiles({
        host: '127.0.0.1',
        port: SYSLOG_PORT,
        serverName: SERVER_NAME,
        caFile: pki.caFile,
        ...pki.client,
        workstationId: 'WS-TEST-01',
      }),
    );
    const fhirTransport = new FhirTransport({
      ...fhirOptionsFromFiles({
        baseUrl: `https://${SERVER_NAME}:${FHIR_PORT}/fhir`,
        caFile: pki.caFile,
        ...pki.client,
      }),
      connectTo: '127.0.0.1',
    });
    const common = {
      outbox: trail.outbox,
      log: createMemoryLogger(),
      backoff: { initialMs: 20, maxMs: 300, factor: 2 },
      idlePollMs: 50,
    };
    const atna = new Shipper({ ...common, transport: atnaTransport, batchSize: 2_500, concurrency: 2 });
    const fhirShipper = new Shipper({ ...common, transport: fhirTransport, batchSize: 250, concurrency: 2 });
    cleanups.push(
      () => atna.stop(),
      () => fhirShipper.stop(),
      () => fhirTransport.close(),
    );
    atna.start();
    fhirShipper.start();
    await waitForStatus(atna, 'ATNA offline', (s) => s.state !== 'ok' && s.queueDepth === head);
    await waitForStatus(fhirShipper, 'FHIR offline', (s) => s.state !== 'ok' && s.queueDepth === head);

    await Promise.all([receiver.start(), fhir.start()]);
    await Promise.all([
      waitForStatus(atna, 'ATNA drained', (s) => s.queueDepth === 0, 180_000),
      waitForStatus(fhirShipper, 'FHIR drained', (s) => s.queueDepth === 0, 180_000),
    ]);

    // FHIR: every event once, created once, nothing else.
    const logged = readTrail(join(root, 'log'));
    expect(logged).toHaveLength(head);
    expect(fhir.events.size).toBe(head);
    expect(fhir.totalCreations).toBe(head);
    for (const e of logged) expect(fhir.events.get(e.uuid)?.creations).toBe(1);

    // rsyslog: every sequence number, with the right UUID.
    await pollUntil(`rsyslog to write ${head} lines`, () => countLines(receiver.outputFile) >= head, 60_000);
    const received = readReceived(receiver.outputFile);
    const uuidBySeq = new Map(logged.map((e) => [e.seq, e.uuid]));
    const seen = new Set<number>();
    for (const m of received) {
      expect(m.uuid).toBe(uuidBySeq.get(m.seq));
      seen.add(m.seq);
    }
    expect(seen.size).toBe(head);
    for (let seq = 1; seq <= head; seq++) expect(seen.has(seq)).toBe(true);

    // Overrides (priority 10) go first: after the one-event probe, they all travel in the first round (two
    // connections of 2,500, which rsyslog may interleave), never behind routine events.
    const priorityUuids = new Set(
      logged
        .filter((e) =>
          (JSON.parse(e.json) as { subtype?: { code: string }[] }).subtype?.some((c) => c.code === '110127'),
        )
        .map((e) => e.uuid),
    );
    expect(priorityUuids.size).toBeGreaterThan(0);
    expect(priorityUuids.size).toBeLessThan(2_500);
    const lastPriority = received.map((m) => priorityUuids.has(m.uuid)).lastIndexOf(true);
    expect(lastPriority).toBeLessThan(1 + 2 * 2_500);
    expect(trail.status()).toMatchObject({ queueDepth: 0, lastError: null });
  });
});
