/** The ordered list of migrations. Add a new numbered file and append it here; never edit a shipped one. */
import type { Migration } from './types';
import { migration001 } from './001-initial';

export const migrations: readonly Migration[] = [migration001];

export const LATEST_VERSION = migrations.length;
