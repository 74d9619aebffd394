/**
 * What a writer can still save when its files were deleted or replaced under it. The connection still holds the
 * real files open:
 * - a deleted or replaced -wal (or -shm): a checkpoint copies every frame the connection's WAL holds into the
 *   database file through its open descriptor; the database file at the path is still ours, so nothing confirmed
 *   is lost, and the WAL is then truncated;
 * - a deleted or replaced database file: after the same checkpoint (into the file it has open, which nobody can
 *   reach any more) the connection writes the whole log as it sees it to a rescue copy beside the path,
 *   `audit.sqlite.rescued-<time>.sqlite`; the file now at the path is left as found, never overwritten, and the
 *   WAL at the path (ours) is truncated so its frames are not applied to someone else's database.
 * Nothing is rescued when the writer dies before it notices (a check runs before and after every write and once a
 * second): a deleted -wal's frames die with the process. The head file then shows the cut (see head-file.ts).
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { databaseFileGone, type OpenFiles } from './open-files';

export interface RescueResult {
  /** Frames the WAL held and how many a checkpoint copied into the database file (null: it failed). */
  walFrames: { log: number; checkpointed: number; busy: boolean } | null;
  /** The rescue copy written (database file gone or replaced, or checkpoint incomplete), or null. */
  copy: string | null;
  /** Plain words for the status: what was saved and where. */
  summary: string;
}

const CheckpointRow = z.array(z.object({ busy: z.number(), log: z.number(), checkpointed: z.number() }));

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs a WAL checkpoint; returns the frames the WAL held, how many were copied, and whether a reader blocked it. */
export function walCheckpoint(db: Database, mode: 'FULL' | 'TRUNCATE') {
  const row = CheckpointRow.parse(db.pragma(`wal_checkpoint(${mode})`))[0];
  return row ? { log: row.log, checkpointed: row.checkpointed, busy: row.busy !== 0 } : null;
}

function writeCopy(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Saves what the open connection holds; `stamp` names the rescue copy. Never throws. */
export function rescueOpenLog(db: Database, files: OpenFiles, stamp: string): RescueResult {
  let walFrames: RescueResult['walFrames'] = null;
  let walError = '';
  try {
    walFrames = walCheckpoint(db, 'FULL');
    walCheckpoint(db, 'TRUNCATE');
  } catch (err) {
    walError = describe(err);
  }
  const walComplete = walFrames !== null && !walFrames.busy && walFrames.log === walFrames.checkpointed;
  const dbGone = databaseFileGone(files);
  let copy: string | null = null;
  let copyError = '';
  if (dbGone || !walComplete) {
    const path = `${files.paths.db}.rescued-${stamp.replace(/[:.]/g, '-')}.sqlite`;
    try {
      writeCopy(path, db.serialize());
      copy = path;
    } catch (err) {
      copyError = describe(err);
    }
  }
  const parts: string[] = [];
  if (walFrames && walComplete && !dbGone)
    parts.push(`all ${walFrames.log} WAL frames this connection held were copied into ${files.paths.db}`);
  else if (walFrames)
    parts.push(
      `${walFrames.checkpointed} of ${walFrames.log} WAL frames were copied into the open database file`,
    );
  else parts.push(`the WAL could not be copied into the database file (${walError})`);
  if (copy) parts.push(`the log as this connection holds it was saved to ${copy}`);
  else if (copyError) parts.push(`no rescue copy could be written (${copyError})`);
  return { walFrames, copy, summary: `rescue: ${parts.join('; ')}` };
}
