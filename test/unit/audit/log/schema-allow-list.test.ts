/**
 * The schema is an allow-list: a trigger, view, index or table that our migrations did not make is refused by
 * name, at start-up and by the verifier. The reported attack: `CREATE TRIGGER x BEFORE INSERT ON audit_log BEGIN
 * SELECT RAISE(IGNORE); END` made every append vanish while record() still returned a receipt.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { auditMigrations } from '../../../../src-main/audit/log/migrations/index';
import { AuditOpenError, openAuditDatabase } from '../../../../src-main/audit/log/open';
import { schemaProblems } from '../../../../src-main/audit/log/schema-check';
import { openAuditTrail } from '../../../../src-main/audit/log/trail';
import { verifyAuditLog } from '../../../../src-main/audit/log/verify';
import { migrate } from '../../../../src-main/sqlite/migrate';
import { readEntry, tempDir } from '../../../support/audit-log/fixtures';
import { extraObjects } from '../../../support/audit-log/tamper-sql';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

/** A log of three events, closed. */
function makeLog(): { file: string; keyFile: string } {
  const t = tempDir('allow-list');
  cleanups.push(t.remove);
  const file = `${t.dir}/audit.sqlite`;
  const keyFile = `${t.dir}/workstation-key.pem`;
  const trail = openAuditTrail({ file, keyFile, workstationId: 'WS-TEST-01', transports: ['fhir'] });
  trail.recordMany([readEntry(1), readEntry(2), readEntry(3)]);
  trail.close();
  return { file, keyFile };
}

function attack(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

const open = (file: string, keyFile: string) =>
  openAuditTrail({ file, keyFile, workstationId: 'WS-TEST-01', transports: ['fhir'] });

describe('schema allow-list', () => {
  it('a trigger that swallows appends, added before start: open refuses it by name, and so does verify', () => {
    const { file, keyFile } = makeLog();
    attack(file, extraObjects.swallow);
    expect(() => open(file, keyFile)).toThrow(AuditOpenError);
    expect(() => open(file, keyFile)).toThrow(
      /trigger swallow \(on audit_log\) is not part of the audit schema/,
    );
    const report = verifyAuditLog(file);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      kind: 'schema',
      seq: null,
      message: 'trigger swallow (on audit_log) is not part of the audit schema',
    });
  });

  for (const [name, sql] of Object.entries(extraObjects)) {
    it(`an extra ${name} is refused by name at open and by verify`, () => {
      const { file, keyFile } = makeLog();
      attack(file, sql);
      const objectName = /CREATE (?:TRIGGER|VIEW|INDEX|TABLE) (\w+)/.exec(sql)?.[1] ?? '';
      expect(() => open(file, keyFile)).toThrow(
        new RegExp(` ${objectName} .*is not part of the audit schema`),
      );
      expect(
        verifyAuditLog(file)
          .problems.map((p) => p.message)
          .join('\n'),
      ).toMatch(new RegExp(` ${objectName} .*is not part of the audit schema`));
    });
  }

  it('a table of ours redefined (here: no longer STRICT) is reported', () => {
    const db = new Database(':memory:');
    migrate(db, auditMigrations);
    db.exec('DROP TABLE probe; CREATE TABLE probe (id INTEGER PRIMARY KEY, at TEXT, pad BLOB);');
    expect(schemaProblems(db)).toEqual(['table probe is not STRICT']);
    db.close();
  });

  it('an index of ours replaced by another of the same name is reported as altered', () => {
    const db = new Database(':memory:');
    migrate(db, auditMigrations);
    db.exec('DROP INDEX outbox_urgent; CREATE INDEX outbox_urgent ON outbox (seq);');
    expect(schemaProblems(db)).toEqual(['index outbox_urgent was altered']);
    db.close();
  });

  it('an object added to a file at an older version is refused before any migration runs on it', () => {
    const t = tempDir('allow-list-v1');
    cleanups.push(t.remove);
    const file = `${t.dir}/audit.sqlite`;
    const v1 = new Database(file);
    v1.pragma('journal_mode = WAL');
    migrate(v1, { ...auditMigrations, list: auditMigrations.list.slice(0, 1) });
    v1.exec(extraObjects.swallow);
    v1.close();
    expect(() => openAuditDatabase(file)).toThrow(/trigger swallow .*is not part of the audit schema/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    check.close();
  });

  it('an intact log has no problems, fresh or migrated from version 1', () => {
    const fresh = new Database(':memory:');
    migrate(fresh, auditMigrations);
    expect(schemaProblems(fresh)).toEqual([]);
    const old = new Database(':memory:');
    migrate(old, { ...auditMigrations, list: auditMigrations.list.slice(0, 1) });
    migrate(old, auditMigrations);
    expect(schemaProblems(old)).toEqual([]);
    const { file } = makeLog();
    expect(verifyAuditLog(file).ok).toBe(true);
  });
});
