/**
 * The reported attack through the real workstation: while it runs, another process adds
 * `CREATE TRIGGER swallow BEFORE INSERT ON audit_log BEGIN SELECT RAISE(IGNORE); END` to the audit database.
 * An emergency override (ptv.record emergency) and a MIG read (record.mig) must then be refused with
 * audit-unavailable and return no data, with no audit row written; audit.status says why. The session is an
 * in-process SessionPort (the card stack has its own integration tests); records and audit are the real ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/load';
import { demoPatient } from '../../../src-main/records/demo-data/fixed-patients';
import { createLogger } from '../../../src-main/services/logger';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import { demoCardTokens, FakeSession } from '../../support/records/fakes';
import { extraObjects } from '../../support/audit-log/tamper-sql';

const dataDir = mkdtempSync(join(tmpdir(), 'steth-audit-trigger-'));
const session = new FakeSession();
let ws: Workstation;

function auditRows(): string[] {
  const db = new Database(join(dataDir, 'audit.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT json FROM audit_log ORDER BY seq').pluck().all() as string[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  ws = await buildWorkstation(parseConfig({ mode: 'demo', dataDir, records: { demoPatients: 300 } }), {
    host: 'browser-host',
    session,
    tokens: demoCardTokens(dataDir, session),
    logger: createLogger('error'),
  });
});
afterAll(async () => {
  await ws?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a trigger that swallows audit rows, added while the workstation runs', () => {
  const migPatient = demoPatient('sensitive-excluded').nhsNumber;
  const emergencyPatient = demoPatient('core-only').nhsNumber;

  it('refuses the emergency override and the MIG read with audit-unavailable, releasing nothing', async () => {
    session.signIn({ orgCode: 'C81007', orgType: 'gp-practice', activities: ['B0370', 'B0168', 'B0020'] });
    // Before the attack: permission given for one patient, and its MIG read works and is audited.
    await ws.dispatcher.dispatch('encounter.open', { nhsNumber: migPatient });
    expect(
      await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: migPatient }),
    ).toMatchObject({
      ok: true,
    });
    const before = await ws.dispatcher.dispatch('record.mig', { nhsNumber: migPatient });
    expect(before.ok).toBe(true);
    expect(JSON.stringify(before)).toContain('Salbutamol');
    const rowsBefore = auditRows();

    // The attack, from another connection (as another process would).
    const attacker = new Database(join(dataDir, 'audit.sqlite'));
    attacker.exec(extraObjects.swallow);
    attacker.close();

    // The same MIG read, permission still given: refused, no data.
    const mig = await ws.dispatcher.dispatch('record.mig', { nhsNumber: migPatient });
    expect(mig).toMatchObject({ ok: false, error: { code: 'audit-unavailable' } });
    expect(JSON.stringify(mig)).not.toContain('Salbutamol');

    // An emergency override for another patient: refused, and it does not take effect.
    await ws.dispatcher.dispatch('encounter.open', { nhsNumber: emergencyPatient });
    const override = await ws.dispatcher.dispatch('ptv.record', {
      choice: 'emergency',
      nhsNumber: emergencyPatient,
      reason: 'medical-emergency',
      text: 'Collapsed in clinic, unresponsive',
      pin: session.pin,
    });
    expect(override).toMatchObject({ ok: false, error: { code: 'audit-unavailable' } });
    expect(JSON.stringify(override)).not.toContain('granted');
    const scr = await ws.dispatcher.dispatch('record.scr', { nhsNumber: emergencyPatient });
    expect(scr).toMatchObject({ ok: false, error: { code: 'ptv-required' } });
    expect(JSON.stringify(scr)).not.toContain('Amlodipine');

    expect(auditRows()).toEqual(rowsBefore);
    const status = await ws.dispatcher.dispatch('audit.status', {});
    expect(status).toMatchObject({ ok: true, value: { writable: false } });
    expect(JSON.stringify(status)).toMatch(
      /trigger swallow \(on audit_log\) is not part of the audit schema/,
    );
  });
});
