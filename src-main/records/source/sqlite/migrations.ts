/**
 * Numbered schema migrations for the local record store, run by the shared runner (`src-main/sqlite/migrate.ts`):
 * gapless numbering, each migration in an IMMEDIATE transaction together with the user_version bump, a newer
 * database refused.
 */
import type { Database } from 'better-sqlite3';
import { migrate as runMigrations, type Migrations } from '../../../sqlite/migrate';
import { up as initial } from './migrations/001-initial';

export const recordsMigrations: Migrations = {
  label: 'records database',
  list: [{ version: 1, name: 'initial', up: initial }],
};

export const SCHEMA_VERSION = recordsMigrations.list.length;

/** Applies every migration above the database's user_version. Refuses a database newer than this code. */
export function migrate(db: Database): void {
  runMigrations(db, recordsMigrations);
}
