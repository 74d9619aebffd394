/**
 * The audit trail inside the composed workstation: default paths in the data folder, the audit.status channel
 * through the dispatcher, auditStatus events on changes, and close().
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/load';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import { verifyAuditLog } from '../../../src-main/audit/log/verify';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { entriesByKind, tempDir } from '../../support/audit-log/fixtures';

const t = tempDir('workstation');
let ws: Workstation | null = null;
afterAll(async () => {
  await ws?.close();
  t.remove();
});

describe('workstation audit wiring', () => {
  it('builds the trail from config, serves audit.status, emits auditStatus, closes', async () => {
    ws = await buildWorkstation(parseConfig({ mode: 'demo', dataDir: t.dir }), { host: 'browser-host' });
    expect(existsSync(join(t.dir, 'audit.sqlite'))).toBe(true);
    expect(existsSync(join(t.dir, 'workstation-key.pem'))).toBe(true);
    expect(ws.outbox).toBe(ws.audit.outbox);

    const res = await ws.dispatcher.dispatch('audit.status', {});
    expect(res).toMatchObject({ ok: true, value: { writable: true } });

    const next = new Promise<AuditStatus>((resolve) => ws?.events.on('auditStatus', resolve));
    const receipt = ws.audit.record({
      ...entriesByKind.login,
      actor: { ...entriesByKind.login.actor, workstationId: 'WS-DEMO-01' },
    });
    const emitted = await next;
    expect(emitted.writable).toBe(true);
    expect(receipt.seq).toBeGreaterThan(0);

    await ws.close();
    ws = null;
    expect(verifyAuditLog(join(t.dir, 'audit.sqlite')).ok).toBe(true);
  });
});
