/**
 * The workstation as configured: config.audit.atna and config.audit.fhir start both shippers in buildWorkstation;
 * an event recorded through the workstation's trail reaches rsyslog and the FHIR server, the trail's status shows
 * both transports drained, and closing the workstation stops the shippers before the log closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/load';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import { createMemoryLogger } from '../../../src-main/services/logger';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { pollUntil } from '../../support/audit-shipping/daemon';
import type { FhirTestServer } from '../../support/audit-shipping/fhir-server';
import { SERVER_NAME, type TestPki } from '../../support/audit-shipping/pki';
import { createDeliveryTargets } from '../../support/audit-shipping/targets';
import { readReceived, type RsyslogProcess } from '../../support/audit-shipping/rsyslog';

const SYSLOG_PORT = 46519;
const FHIR_PORT = 46524;

let root: string;
let pki: TestPki;
let receiver: RsyslogProcess;
let fhir: FhirTestServer;
let ws: Workstation | null = null;

beforeAll(async () => {
  root = mkdtempSync('/tmp/steth-h4-ws-');
  ({ pki, receiver, fhir } = await createDeliveryTargets(root, { syslog: SYSLOG_PORT, fhir: FHIR_PORT }));
  await Promise.all([receiver.start(), fhir.start()]);
});

afterAll(async () => {
  await ws?.close();
  await receiver?.stop();
  await fhir?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function waitForAudit(w: Workstation, what: string, pred: (s: AuditStatus) => boolean, timeoutMs = 30_000) {
  if (pred(w.audit.status())) return Promise.resolve(w.audit.status());
  return new Promise<AuditStatus>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`Timed out waiting for ${what}: ${JSON.stringify(w.audit.status())}`));
    }, timeoutMs);
    const off = w.audit.onStatus((s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

describe('workstation audit shipping', () => {
  it('ships what the workstation records to both configured transports', async () => {
    const config = parseConfig({
      mode: 'demo',
      dataDir: join(root, 'data'),
      workstation: { id: 'WS-TEST-09' },
      audit: {
        atna: {
          host: '127.0.0.1',
          port: SYSLOG_PORT,
          serverName: SERVER_NAME,
          caFile: pki.caFile,
          ...pki.client,
        },
        fhir: { baseUrl: `https://127.0.0.1:${FHIR_PORT}/fhir`, caFile: pki.caFile, ...pki.client },
      },
    });
    ws = await buildWorkstation(config, { host: 'browser-host', logger: createMemoryLogger() });
    const receipt = ws.audit.record({
      kind: 'login',
      actor: {
        userId: '555000000017',
        urid: '555000000017001',
        orgCode: 'X99TS',
        workstationId: 'WS-TEST-09',
      },
      outcome: 'success',
    });
    const s = await waitForAudit(
      ws,
      'both transports drained',
      (st) => st.queueDepth === 0 && st.transports.length === 2,
    );
    expect(s.transports.map((t) => [t.name, t.state, t.queueDepth])).toEqual([
      ['atna', 'ok', 0],
      ['fhir', 'ok', 0],
    ]);
    expect(s.lastError).toBeNull();
    expect(fhir.events.get(receipt.uuid)?.creations).toBe(1);
    const line = await pollUntil('rsyslog to write the event', () =>
      readReceived(receiver.outputFile).find((m) => m.uuid === receipt.uuid),
    );
    expect(line).toMatchObject({ seq: receipt.seq, hostname: 'WS-TEST-09', appName: 'stethoscope' });

    await ws.close();
    ws = null;
  });

  it('still starts when a transport cannot be set up, and says why in the audit status', async () => {
    const config = parseConfig({
      mode: 'demo',
      dataDir: join(root, 'data-broken'),
      workstation: { id: 'WS-TEST-10' },
      audit: {
        atna: {
          host: '127.0.0.1',
          port: SYSLOG_PORT,
          serverName: SERVER_NAME,
          caFile: pki.caFile,
          certFile: join(root, 'missing-client.pem'),
          keyFile: pki.client.keyFile,
        },
      },
    });
    ws = await buildWorkstation(config, { host: 'browser-host', logger: createMemoryLogger() });
    ws.audit.record({ kind: 'logout', actor: { workstationId: 'WS-TEST-10' } });
    const s = await waitForAudit(ws, 'the ATNA error', (st) => st.transports[0]?.state === 'offline');
    expect(s.transports[0]?.lastError).toMatch(/ATNA transport cannot start: ENOENT.*missing-client\.pem/);
    expect(s.queueDepth).toBeGreaterThanOrEqual(1);
    await ws.close();
    ws = null;
  });
});
