/**
 * The one migration runner for the workstation's SQLite databases (the audit log, the records store).
 *
 * Migrations are numbered 1..n with no gap (checked on every run, so a list edited by mistake is refused before
 * it touches a file). Each runs in its own IMMEDIATE transaction that re-reads user_version, runs the migration
 * and sets user_version to its number: a crash, or a failing statement, leaves the file at a whole version, and
 * two processes opening the same file at once cannot both run the same migration. A file at a version newer than
 * the code is refused rather than written by code that does not know its schema.
 */
import type { Database } from 'better-sqlite3';

/** One numbered migration: run once, inside the runner's transaction. */
export interface Migration {
  /** user_version after this migration: 1, 2, 3... with no gaps. */
  version: number;
  name: string;
  up(db: Database): void;
}

/** A database's migrations, with the name its errors use ("audit database", "records database"). */
export interface Migrations {
  label: string;
  list: readonly Migration[];
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export function userVersion(db: Database, label = 'database'): number {
  const v = db.pragma('user_version', { simple: true });
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new MigrationError(`${label}: user_version is unreadable`);
  return v;
}

/** Refuses a list that is not numbered 1..n in order. */
export function checkNumbering(m: Migrations): void {
  m.list.forEach((step, i) => {
    if (step.version !== i + 1)
      throw new MigrationError(
        `${m.label}: migration ${step.name} is numbered ${step.version}, expected ${i + 1}`,
      );
  });
}

function refuseNewer(m: Migrations, current: number): void {
  if (current > m.list.length)
    throw new MigrationError(
      `${m.label} is at schema version ${current}, newer than this program (${m.list.length})`,
    );
}

/** Brings `db` to the latest version of `m`; returns the version it ends at (always m.list.length). */
export function migrate(db: Database, m: Migrations): number {
  checkNumbering(m);
  refuseNewer(m, userVersion(db, m.label));
  for (const step of m.list) {
    db.transaction(() => {
      // Read again under the write lock: another process may have migrated since the check above.
      const current = userVersion(db, m.label);
      refuseNewer(m, current);
      if (current >= step.version) return;
      step.up(db);
      // PRAGMA takes no bound parameters; the value is an integer from our own list, checked above.
      db.pragma(`user_version = ${Math.trunc(step.version)}`);
    }).immediate();
  }
  return userVersion(db, m.label);
}
