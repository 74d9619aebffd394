/**
 * The shared migration runner: numbering 1..n with no gap, a database newer than the code refused, a failing or
 * killed migration leaving a whole version, IMMEDIATE transactions, and both databases (audit, records) using it.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { auditMigrations } from '../../../src-main/audit/log/migrations/index';
import { recordsMigrations } from '../../../src-main/records/source/sqlite/migrations';
import {
  MigrationError,
  migrate,
  userVersion,
  type Migration,
  type Migrations,
} from '../../../src-main/sqlite/migrate';
import { tempDir } from '../../support/audit-log/fixtures';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHILD = join(ROOT, 'test/support/sqlite/migrate-crash-child.ts');

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((r) => r()));
function file(): string {
  const t = tempDir('sqlite-migrate');
  dirs.push(t.remove);
  return join(t.dir, 'test.sqlite');
}

const step = (version: number, sql: string): Migration => ({
  version,
  name: `step-${version}`,
  up: (db) => db.exec(sql),
});
const set = (...list: Migration[]): Migrations => ({ label: 'test database', list });
const tables = (db: Database.Database): string[] =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];

describe('migrate (shared runner)', () => {
  it('runs each migration once, in order, and re-running is a no-op', () => {
    const db = new Database(file());
    const m = set(step(1, 'CREATE TABLE a (x INTEGER) STRICT'), step(2, 'CREATE TABLE b (x INTEGER) STRICT'));
    expect(migrate(db, m)).toBe(2);
    expect(tables(db)).toEqual(['a', 'b']);
    expect(migrate(db, m)).toBe(2);
    db.close();
  });

  it('refuses a gap, a duplicate and a list out of order before touching the file', () => {
    const db = new Database(file());
    const a = step(1, 'CREATE TABLE a (x INTEGER) STRICT');
    const c = step(3, 'CREATE TABLE c (x INTEGER) STRICT');
    expect(() => migrate(db, set(a, c))).toThrow(MigrationError);
    expect(() => migrate(db, set(a, c))).toThrow('test database: migration step-3 is numbered 3, expected 2');
    expect(() => migrate(db, set(a, a))).toThrow(/numbered 1, expected 2/);
    expect(() => migrate(db, set(step(2, 'SELECT 1'), a))).toThrow(/numbered 2, expected 1/);
    expect(userVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuses a database newer than the code, and leaves it alone', () => {
    const db = new Database(file());
    db.pragma('user_version = 7');
    expect(() => migrate(db, set(step(1, 'CREATE TABLE a (x INTEGER) STRICT')))).toThrow(
      'test database is at schema version 7, newer than this program (1)',
    );
    expect(userVersion(db)).toBe(7);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('a failing migration leaves the previous whole version and none of its own changes', () => {
    const db = new Database(file());
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_made (x INTEGER) STRICT');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => migrate(db, set(step(1, 'CREATE TABLE a (x INTEGER) STRICT'), broken))).toThrow();
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['a']);
    db.close();
  });

  it('runs each migration in an IMMEDIATE transaction (the write lock is taken before it starts)', () => {
    const f = file();
    const db = new Database(f);
    db.pragma('journal_mode = WAL');
    const other = new Database(f);
    other.pragma('busy_timeout = 0');
    let otherCouldWrite: boolean | null = null;
    migrate(
      db,
      set({
        version: 1,
        name: 'probe-lock',
        up(d) {
          // Nothing written yet by this migration: a DEFERRED transaction would not hold the lock here.
          try {
            other.exec('CREATE TABLE other (x INTEGER) STRICT');
            otherCouldWrite = true;
          } catch {
            otherCouldWrite = false;
          }
          d.exec('CREATE TABLE a (x INTEGER) STRICT');
        },
      }),
    );
    expect(otherCouldWrite).toBe(false);
    other.close();
    db.close();
  });

  for (const journal of ['wal', 'delete'] as const) {
    it(`a process killed in the middle of a migration leaves a whole version (${journal} journal)`, () => {
      const f = file();
      const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, f, journal], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.signal, r.stderr).toBe('SIGKILL');
      expect(r.stdout).toBe('killing\n');
      const db = new Database(f);
      expect(userVersion(db)).toBe(1);
      expect(tables(db)).toEqual(['first']);
      expect(db.prepare('SELECT count(*) FROM first').pluck().get()).toBe(3);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // The next start runs the migration again, this time to the end.
      expect(migrate(db, set(step(1, 'SELECT 1'), step(2, 'CREATE TABLE done (x INTEGER) STRICT')))).toBe(2);
      expect(tables(db)).toEqual(['done', 'first']);
      db.close();
    }, 20_000);
  }
});

describe('both databases use it', () => {
  for (const m of [auditMigrations, recordsMigrations]) {
    it(`${m.label}: numbered 1..n, every table STRICT`, () => {
      const db = new Database(':memory:');
      expect(migrate(db, m)).toBe(m.list.length);
      const sqls = db
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[];
      expect(sqls.length).toBeGreaterThan(0);
      for (const sql of sqls) expect(sql).toMatch(/\) STRICT(, WITHOUT ROWID)?$/);
      db.close();
    });
  }
});
