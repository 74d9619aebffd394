/**
 * The verifier against tampered copies: an edited byte, a deleted row, two rows swapped, a cut tail (caught by the
 * delivered checkpoint, or by the remote copy when the attacker also cleaned up), a re-chained history (caught by
 * the signed checkpoints), a checkpoint forged with another key, and dropped triggers.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../src-main/audit/events/canonical';
import { readCheckpointEvent, type SignedCheckpoint } from '../../../../src-main/audit/events/checkpoint';
import { chainHash, GENESIS_HASH } from '../../../../src-main/audit/log/chain';
import { headFilePath } from '../../../../src-main/audit/log/head-file';
import { openAuditTrail } from '../../../../src-main/audit/log/trail';
import { verifyAuditLog } from '../../../../src-main/audit/log/verify';
import { loadOrCreateWorkstationKey } from '../../../../src-main/audit/log/workstation-key';
import { readEntry, tempDir, entriesByKind } from '../../../support/audit-log/fixtures';
import * as tamper from '../../../support/audit-log/tamper-sql';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

/**
 * A log of 30 events with a checkpoint every 10 (seqs 11, 22, 33 are checkpoints), checkpoint 22 delivered over
 * FHIR; returns the file, key file and the remote copy of checkpoint 33 (as the FHIR server would hold it).
 */
function makeLog(): { file: string; keyFile: string; remote: SignedCheckpoint; lastSeq: number } {
  const t = tempDir('verify');
  cleanups.push(t.remove);
  const file = `${t.dir}/audit.sqlite`;
  const keyFile = `${t.dir}/workstation-key.pem`;
  const trail = openAuditTrail({
    file,
    keyFile,
    workstationId: 'WS-TEST-01',
    transports: ['fhir'],
    checkpointEvery: 10,
  });
  trail.record(entriesByKind.login);
  trail.recordMany(Array.from({ length: 29 }, (_, i) => readEntry(i)));
  trail.outbox.markDelivered('fhir', [22]);
  const item = trail.outbox.next('fhir', 100).find((i) => i.seq === 33);
  trail.close();
  const read = readCheckpointEvent(JSON.parse(item?.json ?? '{}'));
  if (!read.ok) throw new Error(read.error);
  return { file, keyFile, remote: read.checkpoint, lastSeq: 33 };
}

function attack(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

describe('verifyAuditLog', () => {
  it('an intact log verifies, also against the workstation key and the remote checkpoint', () => {
    const { file, keyFile, remote, lastSeq } = makeLog();
    const publicKey = loadOrCreateWorkstationKey(keyFile).publicKey;
    const report = verifyAuditLog(file, { publicKey, remoteCheckpoint: remote });
    expect(report).toMatchObject({ ok: true, firstBadSeq: null, problems: [], events: lastSeq });
    expect(report.checkpoints).toMatchObject({
      count: 3,
      signaturesCheckedAgainst: 'given-key',
      lastDelivered: { eventSeq: 22 },
    });
    expect(report.checkpoints.remote).toEqual({ seq: 32, verified: true });
  });

  it('one byte changed: names that event', () => {
    const { file } = makeLog();
    attack(file, tamper.editOneByte(7));
    const r = verifyAuditLog(file);
    expect(r).toMatchObject({ ok: false, firstBadSeq: 7 });
    expect(r.problems[0]?.kind).toBe('hash');
  });

  it('a middle row deleted: names the missing sequence', () => {
    const { file } = makeLog();
    attack(file, tamper.deleteRow(15));
    expect(verifyAuditLog(file)).toMatchObject({
      ok: false,
      firstBadSeq: 15,
      problems: [{ kind: 'sequence' }],
    });
  });

  it('two rows swapped: names the first of them', () => {
    const { file } = makeLog();
    attack(file, tamper.swapWithNext(4));
    expect(verifyAuditLog(file)).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('tail cut: caught by the delivered checkpoint and the outbox', () => {
    const { file } = makeLog();
    attack(file, tamper.cutTail(18));
    const r = verifyAuditLog(file);
    expect(r).toMatchObject({ ok: false, firstBadSeq: 19 });
    expect(r.problems.every((p) => p.kind === 'truncated')).toBe(true);
  });

  it('tail cut and traces cleaned: locally invisible, caught by the remote checkpoint', () => {
    const { file, keyFile, remote } = makeLog();
    attack(file, tamper.cutTail(25, true));
    // The head file beside the database still says where the log reached.
    expect(verifyAuditLog(file)).toMatchObject({ ok: false, firstBadSeq: 26 });
    // Without it (deleted too, or a copy of the database checked elsewhere) this is the limit of any local
    // check: the file is a consistent shorter log.
    expect(verifyAuditLog(file, { headFile: null }).ok).toBe(true);
    const publicKey = loadOrCreateWorkstationKey(keyFile).publicKey;
    expect(verifyAuditLog(file, { publicKey, remoteCheckpoint: remote, headFile: null })).toMatchObject({
      ok: false,
      firstBadSeq: 26,
    });
  });

  it('history rewritten and re-chained: caught by the next signed checkpoint', () => {
    const { file } = makeLog();
    const db = new Database(file);
    const rows = db.prepare('SELECT seq, json FROM audit_log ORDER BY seq').all() as {
      seq: number;
      json: string;
    }[];
    db.exec('DROP TRIGGER audit_log_no_update');
    const update = db.prepare('UPDATE audit_log SET json = ?, hash = ? WHERE seq = ?');
    let prev = GENESIS_HASH;
    for (const row of rows) {
      const json = row.seq === 14 ? canonicalJson({ ...JSON.parse(row.json), outcome: '4' }) : row.json;
      prev = chainHash(prev, json);
      update.run(json, prev, row.seq);
    }
    db.close();
    const r = verifyAuditLog(file);
    expect(r.ok).toBe(false);
    // Checkpoint 11 covers 1..10 and still verifies; checkpoint 22 signed a different 12..21.
    expect(r.firstBadSeq).toBe(11);
    expect(r.problems.some((p) => /checkpoint at 22 signed a different history/.test(p.message))).toBe(true);
  });

  it('a checkpoint signed with another key is refused against the workstation key', () => {
    const { file, keyFile } = makeLog();
    const stranger = tempDir('stranger');
    cleanups.push(stranger.remove);
    // Append one more checkpoint with a different key file to the same log. The head file, signed with the
    // workstation key, stops a trail with another key from opening the log; the attacker removes it first.
    const strangerOptions = {
      file,
      keyFile: `${stranger.dir}/other-key.pem`,
      workstationId: 'WS-TEST-01',
      transports: ['fhir'] as const,
      checkpointEvery: 10,
    };
    expect(() => openAuditTrail(strangerOptions)).toThrow(/head file .* is signed by another key/);
    rmSync(headFilePath(file));
    const other = openAuditTrail(strangerOptions);
    const cp = other.checkpoint();
    other.close();
    const publicKey = loadOrCreateWorkstationKey(keyFile).publicKey;
    expect(verifyAuditLog(file, { publicKey })).toMatchObject({ ok: false, firstBadSeq: cp.seq });
    const noKey = verifyAuditLog(file);
    expect(noKey.ok).toBe(false);
    expect(noKey.problems.some((p) => /2 different keys/.test(p.message))).toBe(true);
  });

  it('dropped triggers are reported even when no row was touched', () => {
    const { file } = makeLog();
    attack(file, tamper.dropTriggers);
    const r = verifyAuditLog(file);
    expect(r).toMatchObject({ ok: false, firstBadSeq: null });
    expect(r.problems.map((p) => p.message)).toEqual([
      'trigger audit_log_no_update is missing (audit_log is no longer append-only)',
      'trigger audit_log_no_delete is missing (audit_log is no longer append-only)',
    ]);
  });

  it('a database left in rollback-journal mode is reported', () => {
    const { file } = makeLog();
    attack(file, 'PRAGMA journal_mode = DELETE;');
    expect(verifyAuditLog(file).problems.map((p) => p.message)).toContain('journal_mode is delete, not wal');
  });

  it('since: checks only what follows a prefix verified earlier, and notices that prefix changing', () => {
    const { file, remote } = makeLog();
    const first = verifyAuditLog(file);
    const at10 = new Database(file, { readonly: true });
    const hash10 = (
      at10.prepare('SELECT hash FROM audit_log WHERE seq = 10').get() as { hash: Buffer }
    ).hash.toString('hex');
    at10.close();
    expect(verifyAuditLog(file, { since: { seq: 10, hash: hash10 } })).toMatchObject({
      ok: true,
      events: first.events,
    });
    // The head file (at 33) and a remote checkpoint (at 32) inside the prefix are checked against its stored hashes.
    expect(verifyAuditLog(file).checkpoints.headFile?.seq).toBe(33);
    expect(
      verifyAuditLog(file, { since: first.head!, remoteCheckpoint: remote, headFile: headFilePath(file) }),
    ).toMatchObject({ ok: true, problems: [] });
    attack(file, tamper.editOneByte(15));
    expect(verifyAuditLog(file, { since: { seq: 10, hash: hash10 } })).toMatchObject({
      ok: false,
      firstBadSeq: 15,
    });
    expect(verifyAuditLog(file, { since: { seq: 10, hash: '00'.repeat(32) } })).toMatchObject({
      ok: false,
      firstBadSeq: 10,
    });
  });
});
