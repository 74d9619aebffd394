/**
 * Numbered schema migrations for the local record store. Each runs in its own transaction together with the
 * user_version bump, so a crash leaves the database at a whole version.
 */
import type { Database } from 'better-sqlite3';
import { up as initial } from './migrations/001-initial';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [{ version: 1, name: 'initial', up: initial }];

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

export function userVersion(db: Database): number {
  const v = db.pragma('user_version', { simple: true });
  if (typeof v !== 'number') throw new Error('records database: user_version is not a number');
  return v;
}

/** Applies every migration above the database's user_version. Refuses a database newer than this code. */
export function migrate(db: Database): void {
  const current = userVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `records database is at schema version ${current}, newer than this program (${SCHEMA_VERSION})`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
