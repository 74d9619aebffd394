/**
 * The workstation's files are private to the user running it: the data folder is 0700 and every database and key
 * file in it 0600, whatever the umask (audit logs, records and keys are red data or secrets).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/** Creates the folder (and parents) if needed and makes it 0700. */
export function preparePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Creates an empty file with mode 0600 if it does not exist, so a database is never briefly readable by others
 * (SQLite then gives its -wal and -shm files the database file's mode).
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
}

/** Makes an SQLite database file and its -wal / -shm companions (those that exist) 0600. */
export function makeDatabasePrivate(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}
