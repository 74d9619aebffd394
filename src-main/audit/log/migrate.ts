/**
 * Runs the migrations the database has not seen, each in its own transaction that also sets user_version, so a
 * crash leaves the file at a whole version. Refuses a database newer than this code.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/types';
import { migrations as defaultMigrations } from './migrations/index';

export class AuditSchemaError extends Error {
  override readonly name = 'AuditSchemaError';
}

export function userVersion(db: Database): number {
  const v = db.pragma('user_version', { simple: true });
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new AuditSchemaError('user_version unreadable');
  return v;
}

export function migrate(db: Database, migrations: readonly Migration[] = defaultMigrations): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new AuditSchemaError(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const current = userVersion(db);
  if (current > migrations.length) {
    throw new AuditSchemaError(
      `audit database is at version ${current}, newer than this program (${migrations.length})`,
    );
  }
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      m.up(db);
      // PRAGMA takes no bound parameters; the value is an integer from our own list, checked above.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }).immediate();
  }
  return userVersion(db);
}
