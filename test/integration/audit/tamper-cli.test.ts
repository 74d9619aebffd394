/**
 * Tampering with the Debian sqlite3 tool, detected by `stethoscope audit verify` (bin/stethoscope.mjs): one byte
 * changed, a middle row deleted, two rows swapped, the tail cut (caught by the delivered checkpoint; and, when the
 * attacker also cleans the outbox and checkpoint tables, by the checkpoint the remote side holds), the triggers
 * dropped, and objects added that are not ours (a trigger that swallows appends, a view, an index, a table). Each must exit non-zero and name the right first bad sequence number.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditTrail } from '../../../src-main/audit/log/trail';
import { loadOrCreateWorkstationKey } from '../../../src-main/audit/log/workstation-key';
import { entriesByKind, readEntry, tempDir } from '../../support/audit-log/fixtures';
import * as tamper from '../../support/audit-log/tamper-sql';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin/stethoscope.mjs');

let dir = '';
let pristine = '';
let remoteCheckpoint = '';
let publicKeyPem = '';
let removeDir = () => {};

function sqlite3(file: string, sql: string): void {
  execFileSync('sqlite3', ['-bail', file], { input: sql, stdio: ['pipe', 'pipe', 'pipe'] });
}

function verify(file: string, ...extra: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--db', file, ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh copy of the pristine log to attack. */
function copy(name: string): string {
  const f = join(dir, `${name}.sqlite`);
  copyFileSync(pristine, f);
  return f;
}

beforeAll(() => {
  const v = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('the sqlite3 command-line tool is required (Debian package sqlite3)');
  const t = tempDir('tamper');
  dir = t.dir;
  removeDir = t.remove;
  pristine = join(dir, 'pristine.sqlite');
  const keyFile = join(dir, 'workstation-key.pem');
  // 40 events, checkpoints every 10 (at 11, 22, 33, 44); checkpoint 33 delivered; 44 is the remote copy.
  const trail = openAuditTrail({
    file: pristine,
    keyFile,
    workstationId: 'WS-TEST-01',
    transports: ['fhir'],
    checkpointEvery: 10,
  });
  trail.record(entriesByKind.login);
  trail.recordMany(Array.from({ length: 39 }, (_, i) => readEntry(i)));
  trail.outbox.markDelivered('fhir', [33]);
  const held = trail.outbox.next('fhir', 100).find((i) => i.seq === 44);
  trail.close();
  if (!held) throw new Error('no checkpoint at 44');
  remoteCheckpoint = join(dir, 'remote-checkpoint.json');
  writeFileSync(remoteCheckpoint, held.json);
  publicKeyPem = join(dir, 'workstation-public.pem');
  writeFileSync(
    publicKeyPem,
    loadOrCreateWorkstationKey(keyFile).publicKey.export({ type: 'spki', format: 'pem' }),
  );
});
afterAll(() => removeDir());

describe('stethoscope audit verify against sqlite3 tampering', () => {
  it('passes an intact log (exit 0), also with the key and the remote checkpoint', () => {
    const r = verify(copy('intact'), '--key', publicKeyPem, '--checkpoint', remoteCheckpoint);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, events: 44, firstBadSeq: null });
  });

  it('one byte changed', () => {
    const f = copy('byte');
    sqlite3(f, tamper.editOneByte(7));
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/first bad sequence 7:/);
    expect(JSON.parse(r.stdout).firstBadSeq).toBe(7);
  });

  it('a middle row deleted (trigger dropped first, then put back)', () => {
    const f = copy('delete');
    sqlite3(f, tamper.deleteRow(20));
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/first bad sequence 20: sequence 20 is missing/);
  });

  it('two rows swapped', () => {
    const f = copy('swap');
    sqlite3(f, tamper.swapWithNext(12));
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/first bad sequence 12:/);
  });

  it('the tail cut: caught against the delivered checkpoint', () => {
    const f = copy('tail');
    sqlite3(f, tamper.cutTail(30));
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/first bad sequence 31: log ends at 30 but/);
  });

  it('the tail cut and every local trace removed: caught against the remote checkpoint', () => {
    const f = copy('tail-clean');
    sqlite3(f, tamper.cutTail(40, true));
    expect(verify(f).code).toBe(0); // a consistent shorter log: only the remote copy can tell
    const r = verify(f, '--key', publicKeyPem, '--checkpoint', remoteCheckpoint);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /first bad sequence 41: log ends at 40 but the remote side holds a checkpoint at 43/,
    );
  });

  it('the tail cut and every local trace removed: caught by the head file the writer kept (--head)', () => {
    const f = copy('tail-clean-head');
    sqlite3(f, tamper.cutTail(40, true));
    const r = verify(f, '--head', `${pristine}.head.json`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /first bad sequence 41: log ends at 40 but its head file .* records a checkpoint at 44/,
    );
    expect(verify(f, '--head', join(dir, 'no-such.head.json')).stderr).toMatch(/--head .*: no such file/);
  });

  it('the triggers dropped', () => {
    const f = copy('triggers');
    sqlite3(f, tamper.dropTriggers);
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/trigger audit_log_no_update is missing/);
    expect(r.stderr).toMatch(/trigger audit_log_no_delete is missing/);
  });

  it('a trigger that swallows appends (RAISE(IGNORE)) is refused by name, by verify and by status', () => {
    const f = copy('swallow');
    sqlite3(f, tamper.extraObjects.swallow);
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/trigger swallow \(on audit_log\) is not part of the audit schema/);
    const s = spawnSync(process.execPath, [BIN, 'audit', 'status', '--db', f], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(s.status).not.toBe(0);
    expect(s.stderr).toMatch(/trigger swallow \(on audit_log\) is not part of the audit schema/);
    expect(s.stderr).not.toMatch(/\n\s+at /); // plain words, no stack trace
  });

  it('a view, an index and a table of someone else are each refused by name', () => {
    const f = copy('extras');
    sqlite3(f, [tamper.extraObjects.view, tamper.extraObjects.index, tamper.extraObjects.table].join('\n'));
    const r = verify(f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/view innocent is not part of the audit schema/);
    expect(r.stderr).toMatch(/index audit_log_by_time \(on audit_log\) is not part of the audit schema/);
    expect(r.stderr).toMatch(/table notes is not part of the audit schema/);
  });

  it('--help says what is checked', () => {
    const r = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/append-only triggers/);
    expect(r.stdout).toMatch(/last delivered checkpoint/);
  });

  it('audit status prints the status JSON', () => {
    const r = spawnSync(process.execPath, [BIN, 'audit', 'status', '--db', copy('status')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      writable: true,
      queueDepth: 43,
      transports: [{ name: 'fhir', queueDepth: 43 }],
    });
  });
});
