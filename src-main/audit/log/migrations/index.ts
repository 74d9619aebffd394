/** The ordered list of migrations. Add a new numbered file and append it here; never edit a shipped one. */
import type { Migration } from './types';
import { migration001 } from './001-initial';
import { migration002 } from './002-outbox-indexes';

export const migrations: readonly Migration[] = [migration001, migration002];

export const LATEST_VERSION = migrations.length;
