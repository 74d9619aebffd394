/**
 * Audit migrations: STRICT tables, append-only triggers that hold, the open checks. The runner's own guarantees
 * (numbering, one IMMEDIATE transaction each with user_version, crashes) are tested in test/unit/sqlite.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { auditMigrations } from '../../../../src-main/audit/log/migrations/index';
import { MigrationError, migrate, userVersion } from '../../../../src-main/sqlite/migrate';
import { AuditOpenError, openAuditDatabase } from '../../../../src-main/audit/log/open';
import { schemaProblems } from '../../../../src-main/audit/log/schema-check';
import { tempDir } from '../../../support/audit-log/fixtures';

const migrations = auditMigrations.list;

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((r) => r()));
function file(): string {
  const t = tempDir('migrate');
  dirs.push(t.remove);
  return `${t.dir}/audit.sqlite`;
}

describe('audit migrations', () => {
  it('bring a new file to the latest version with STRICT tables and intact triggers; re-running is a no-op', () => {
    const db = new Database(file());
    expect(migrate(db, auditMigrations)).toBe(migrations.length);
    expect(schemaProblems(db)).toEqual([]);
    expect(migrate(db, auditMigrations)).toBe(migrations.length);
    db.close();
  });

  it('STRICT tables refuse a value of the wrong type', () => {
    const db = new Database(file());
    migrate(db, auditMigrations);
    expect(() =>
      db
        .prepare('INSERT INTO audit_log (seq, uuid, recorded_at, json, hash) VALUES (?, ?, ?, ?, ?)')
        .run(1, 'u', 't', '{}', 'not a blob'),
    ).toThrow(/cannot store TEXT value in BLOB column audit_log.hash/);
    db.close();
  });

  it('triggers abort UPDATE and DELETE on the log', () => {
    const db = new Database(file());
    migrate(db, auditMigrations);
    db.prepare('INSERT INTO audit_log (seq, uuid, recorded_at, json, hash) VALUES (1, ?, ?, ?, ?)').run(
      'u',
      't',
      '{}',
      Buffer.alloc(32),
    );
    expect(() => db.prepare('UPDATE audit_log SET json = \'{"x":1}\'').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    db.close();
  });

  it('a failing migration leaves the previous version and no half-made tables', () => {
    const db = new Database(file());
    const broken = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'broken',
        up(d: Database.Database) {
          d.exec('CREATE TABLE half_made (x INTEGER) STRICT');
          d.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, { ...auditMigrations, list: broken })).toThrow();
    expect(userVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_made'").get()).toEqual({
      n: 0,
    });
    db.close();
  });

  it('refuses a database newer than the code, and misnumbered migrations', () => {
    const f = file();
    const db = new Database(f);
    db.pragma(`user_version = ${migrations.length + 5}`);
    expect(() => migrate(db, auditMigrations)).toThrow(MigrationError);
    db.close();
    expect(() => openAuditDatabase(f)).toThrow(
      `audit database is at schema version ${migrations.length + 5}, newer than this program (${migrations.length})`,
    );
    const m = migrations[0]!;
    expect(() =>
      migrate(new Database(':memory:'), { ...auditMigrations, list: [{ ...m, version: 2 }] }),
    ).toThrow(/numbered 2, expected 1/);
  });

  it('open sets and checks WAL and synchronous=FULL, and refuses a log whose trigger was dropped', () => {
    const f = file();
    const db = openAuditDatabase(f);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.close();
    expect(() => openAuditDatabase(f)).toThrow(AuditOpenError);
    expect(() => openAuditDatabase(f)).toThrow(/audit_log_no_delete is missing/);
  });

  it('notices a trigger replaced by a harmless one of the same name', () => {
    const db = new Database(file());
    migrate(db, auditMigrations);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.exec('CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END');
    expect(schemaProblems(db)).toEqual(['trigger audit_log_no_update was altered']);
    db.close();
  });
});

describe('migration 2 on a version 1 log', () => {
  it('brings a version 1 file up to date: outbox indexes swapped, log writable and verifying', async () => {
    const { openAuditTrail } = await import('../../../../src-main/audit/log/trail');
    const { verifyAuditLog } = await import('../../../../src-main/audit/log/verify');
    const f = file();
    // A version-1 file with an event queued, as the first release wrote it.
    const v1 = new Database(f);
    v1.pragma('journal_mode = WAL');
    migrate(v1, { ...auditMigrations, list: migrations.slice(0, 1) });
    expect(userVersion(v1)).toBe(1);
    v1.close();
    const trail = openAuditTrail({
      file: f,
      keyFile: `${f}.key.pem`,
      workstationId: 'WS-TEST-01',
      transports: ['fhir'],
    });
    trail.record({ kind: 'logout', actor: { workstationId: 'WS-TEST-01' } });
    trail.close();
    const db = new Database(f, { readonly: true });
    expect(userVersion(db)).toBe(migrations.length);
    const names = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox'").all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .filter((n) => !n.startsWith('sqlite_autoindex'));
    db.close();
    expect(names).toEqual(['outbox_urgent']);
    expect(verifyAuditLog(f).ok).toBe(true);
  });
});

describe('migration 3 on a version 2 log', () => {
  it('keeps every queued delivery and lets the scr transport be queued for; other names are still refused', async () => {
    const { openAuditTrail } = await import('../../../../src-main/audit/log/trail');
    const { verifyAuditLog } = await import('../../../../src-main/audit/log/verify');
    const f = file();
    const v2 = new Database(f);
    v2.pragma('journal_mode = WAL');
    migrate(v2, { ...auditMigrations, list: migrations.slice(0, 2) });
    v2.close();
    // Written by a release without the scr transport: a FHIR delivery is still pending when it upgrades.
    const options = { file: f, keyFile: `${f}.key.pem`, workstationId: 'WS-TEST-01' };
    const first = openAuditTrail({ ...options, transports: ['fhir'] });
    first.record({ kind: 'logout', actor: { workstationId: 'WS-TEST-01' } });
    first.close();
    const trail = openAuditTrail({ ...options, transports: ['fhir', 'scr'] });
    trail.record({ kind: 'logout', actor: { workstationId: 'WS-TEST-01' } });
    trail.close();
    const db = new Database(f);
    expect(userVersion(db)).toBe(3);
    const rows = db.prepare('SELECT transport, seq FROM outbox ORDER BY transport, seq').all() as {
      transport: string;
      seq: number;
    }[];
    expect(rows.filter((r) => r.transport === 'fhir').length).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.transport === 'scr')).toBe(true);
    expect(() =>
      db.prepare("INSERT INTO outbox (transport, seq, priority) VALUES ('smtp', 1, 0)").run(),
    ).toThrow(/CHECK constraint failed/);
    db.close();
    expect(verifyAuditLog(f).ok).toBe(true);
  });
});
