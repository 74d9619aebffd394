/**
 * Opens the audit database for writing: owner-only files, WAL, synchronous=FULL, foreign keys, then migrations,
 * then checks that every one of those really took effect (a PRAGMA that silently does nothing would void the
 * durability promise) and that the schema is exactly ours (an allow-list: append-only triggers in place, no
 * trigger, view, index or table of anyone else's), before migrating and after. Refuses to open otherwise.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, userVersion } from '../../sqlite/migrate';
import { auditMigrations, LATEST_VERSION } from './migrations/index';
import { schemaProblems } from './schema-check';

export class AuditOpenError extends Error {
  override readonly name = 'AuditOpenError';
}

/** The log says who looked at whose record: owner only, database and WAL companions alike. */
export const AUDIT_FILE_MODE = 0o600;

/** The database and the files SQLite keeps beside it in WAL mode. */
export function auditFiles(file: string): { db: string; wal: string; shm: string } {
  return { db: file, wal: `${file}-wal`, shm: `${file}-shm` };
}

/**
 * Creates the database file owner-only before SQLite first opens it (SQLite gives a new -wal and -shm the mode of
 * the database file, whatever the umask), and tightens files an older version left wider. Only chmod by path
 * once SQLite has a file open: opening and closing a descriptor of it here would drop SQLite's POSIX locks.
 */
function restrictModes(file: string, when: 'before-open' | 'after-open'): void {
  const { db, wal, shm } = auditFiles(file);
  if (when === 'before-open') {
    try {
      closeSync(openSync(db, 'wx', AUDIT_FILE_MODE));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  for (const f of [db, wal, shm]) if (existsSync(f)) chmodSync(f, AUDIT_FILE_MODE);
}

function refuseSchemaProblems(problems: string[]): void {
  if (problems.length > 0)
    throw new AuditOpenError(`audit database failed its schema check: ${problems.join('; ')}`);
}

/** SQLite's numeric value for synchronous=FULL. */
const SYNCHRONOUS_FULL = 2;

export function openAuditDatabase(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  restrictModes(file, 'before-open');
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
    // Checked before migrating too: a migration must never run with someone else's trigger in place.
    const found = userVersion(db, auditMigrations.label);
    if (found <= LATEST_VERSION) refuseSchemaProblems(schemaProblems(db, found));
    const version = migrate(db, auditMigrations);
    if (version !== LATEST_VERSION)
      throw new AuditOpenError(`schema at version ${version}, expected ${LATEST_VERSION}`);
    refuseSchemaProblems(schemaProblems(db));
    // The -wal and -shm exist now (the pragmas and migrations above read and wrote through them).
    restrictModes(file, 'after-open');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
