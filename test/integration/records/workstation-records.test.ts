/**
 * Records through the real workstation: the demo records file generated on first start in dataDir, the real SQLite
 * audit trail, and requests as the renderer sends them (channel name + untrusted payload through the dispatcher).
 * The session is an in-process SessionPort (the card stack has its own integration tests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src-main/config/load';
import { demoPatient } from '../../../src-main/records/demo-data/fixed-patients';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import { createLogger } from '../../../src-main/services/logger';
import { demoCardTokens, FakeSession } from '../../support/records/fakes';

const dataDir = mkdtempSync(join(tmpdir(), 'steth-h5-int-'));
const session = new FakeSession();
let ws: Workstation;

/** Event JSON rows of the real audit log (read-only, separate connection). */
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
    logger: createLogger('warn'),
  });
});
afterAll(async () => {
  await ws?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('records through the workstation dispatcher', () => {
  const core = demoPatient('core-only').nhsNumber;

  it('answers not-signed-in before sign-in', async () => {
    expect(
      await ws.dispatcher.dispatch('patients.search', { kind: 'nhs-number', nhsNumber: core }),
    ).toMatchObject({ ok: false, error: { code: 'not-signed-in' } });
  });

  it('a request for a patient without PTV gets a typed ptv-required refusal, not data, and nothing is audited as read', async () => {
    session.signIn({ orgCode: 'C81007', orgType: 'gp-practice', activities: ['B0370', 'B0168', 'B0020'] });
    const before = auditRows().length;
    const cold = await ws.dispatcher.dispatch('record.scr', { nhsNumber: core });
    expect(cold).toMatchObject({ ok: false, error: { code: 'ptv-required' } });
    const opened = await ws.dispatcher.dispatch('encounter.open', { nhsNumber: core });
    expect(opened).toMatchObject({
      ok: true,
      value: { relationship: 'registered', ptv: { state: 'not-asked' } },
    });
    for (const channel of ['record.scr', 'record.mig']) {
      const res = await ws.dispatcher.dispatch(channel, { nhsNumber: core });
      expect(res).toMatchObject({ ok: false, error: { code: 'ptv-required' } });
      expect(JSON.stringify(res)).not.toContain('Amlodipine');
    }
    expect(auditRows().length).toBe(before);
  });

  it('rejects malformed payloads and bad check digits with typed errors', async () => {
    expect(await ws.dispatcher.dispatch('record.scr', { nhsNumber: core, extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    const bad = `${core.slice(0, 9)}${(Number(core[9]) + 1) % 10}`;
    expect(
      await ws.dispatcher.dispatch('patients.search', { kind: 'nhs-number', nhsNumber: bad }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-nhs-number' },
    });
  });

  it('after permission, the SCR is returned and its read is already in the durable audit log', async () => {
    expect(await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: core })).toMatchObject({
      ok: true,
      value: { state: 'granted', basis: 'permission' },
    });
    const res = await ws.dispatcher.dispatch('record.scr', { nhsNumber: core });
    expect(res.ok).toBe(true);
    expect(JSON.stringify(res)).toContain('Amlodipine');
    const rows = auditRows();
    const last = rows.at(-1)!;
    expect(last).toContain(core);
    expect(last).toContain('TREAT');
  });

  it('a patient with sensitive items excluded: the view says withheld and never shows them', async () => {
    const p = demoPatient('sensitive-excluded').nhsNumber;
    await ws.dispatcher.dispatch('encounter.open', { nhsNumber: p });
    await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: p });
    for (const channel of ['record.scr', 'record.mig']) {
      const res = await ws.dispatcher.dispatch(channel, { nhsNumber: p });
      expect(res).toMatchObject({ ok: true, value: { withheld: true } });
      const text = JSON.stringify(res);
      for (const secret of ['Chlamydia', 'fertilisation', 'Bereavement']) expect(text).not.toContain(secret);
      expect(text).toContain('Salbutamol');
    }
  });

  it('preference changes are stored with history and audited in the real log', async () => {
    // Only for a patient the user has a legitimate relationship with (here: registered at the user's practice).
    const unrelated = await ws.dispatcher.dispatch('preferences.set', {
      nhsNumber: demoPatient('unregistered').nhsNumber,
      scr: 'core-and-additional',
      sensitive: 'excluded',
      mig: 'dissent',
      patientStatement: 'Share AI, not the MIG',
    });
    expect(unrelated).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const p = demoPatient('end-of-life').nhsNumber;
    const res = await ws.dispatcher.dispatch('preferences.set', {
      nhsNumber: p,
      scr: 'core-and-additional',
      sensitive: 'excluded',
      mig: 'dissent',
      patientStatement: 'Share AI, not the MIG',
    });
    expect(res).toMatchObject({
      ok: true,
      value: { current: { scr: 'core-and-additional', mig: 'dissent' } },
    });
    expect(auditRows().at(-1)).toContain(p);
  });

  it('when the audit log cannot be written, nothing is released (audit-unavailable)', async () => {
    await ws.dispatcher.dispatch('encounter.open', { nhsNumber: core });
    expect(await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: core })).toMatchObject({
      ok: true,
    });
    ws.audit.close(); // the database goes away under the service
    const res = await ws.dispatcher.dispatch('record.scr', { nhsNumber: core });
    expect(res).toMatchObject({ ok: false, error: { code: 'audit-unavailable' } });
    expect(JSON.stringify(res)).not.toContain('Amlodipine');
  });
});
