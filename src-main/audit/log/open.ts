/**
 * Opens the audit database for writing: WAL, synchronous=FULL, foreign keys, then migrations, then checks that
 * every one of those really took effect (a PRAGMA that silently does nothing would void the durability promise)
 * and that the append-only triggers are in place. Refuses to open otherwise.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../sqlite/migrate';
import { auditMigrations, LATEST_VERSION } from './migrations/index';
import { schemaProblems } from './schema-check';

export class AuditOpenError extends Error {
  override readonly name = 'AuditOpenError';
}

/** SQLite's numeric value for synchronous=FULL. */
const SYNCHRONOUS_FULL = 2;

export function openAuditDatabase(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const journal = db.pragma('journal_mode', { simple: true });
    if (journal !== 'wal') throw new AuditOpenError(`journal_mode is ${String(journal)}, not wal`);
    const sync = db.pragma('synchronous', { simple: true });
    if (sync !== SYNCHRONOUS_FULL) throw new AuditOpenError(`synchronous is ${String(sync)}, not FULL (2)`);
    if (db.pragma('foreign_keys', { simple: true }) !== 1)
      throw new AuditOpenError('foreign_keys did not switch on');
    const version = migrate(db, auditMigrations);
    if (version !== LATEST_VERSION)
      throw new AuditOpenError(`schema at version ${version}, expected ${LATEST_VERSION}`);
    const problems = schemaProblems(db);
    if (problems.length > 0)
      throw new AuditOpenError(`audit database failed its schema check: ${problems.join('; ')}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
