/** The shape of one numbered migration: run once, in a transaction that also bumps user_version. */
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** user_version after this migration; migrations are numbered 1, 2, 3... with no gaps. */
  version: number;
  name: string;
  up(db: Database): void;
}
