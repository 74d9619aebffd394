/** Opens (and migrates) a records database file with the pragmas the store relies on. */
import Database from 'better-sqlite3';
import { createPrivateFile, makeDatabasePrivate } from '../../../services/private-files';
import { migrate } from './migrations';

export interface OpenOptions {
  /** Bulk generation: no journal, no fsync (the file is thrown away if generation fails). */
  bulk?: boolean;
  readonly?: boolean;
}

export function openRecordsDb(file: string, options: OpenOptions = {}): Database.Database {
  if (!options.readonly) createPrivateFile(file);
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  if (!options.readonly) {
    if (options.bulk) {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
    } else {
      db.pragma('journal_mode = WAL');
      // Preference changes must survive a power cut once acknowledged.
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db);
    makeDatabasePrivate(file);
  }
  return db;
}
