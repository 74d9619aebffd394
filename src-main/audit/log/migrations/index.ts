/**
 * The audit database's ordered migrations, run by the shared runner (`src-main/sqlite/migrate.ts`). Add a new
 * numbered file and append it here; never edit a shipped one.
 */
import type { Migrations } from '../../../sqlite/migrate';
import { migration001 } from './001-initial';
import { migration002 } from './002-outbox-indexes';
import { migration003 } from './003-scr-alerts';

export const auditMigrations: Migrations = {
  label: 'audit database',
  list: [migration001, migration002, migration003],
};

export const LATEST_VERSION = auditMigrations.list.length;
