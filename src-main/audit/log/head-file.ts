/**
 * The head file (`audit.sqlite.head.json`, beside the database): the newest signed checkpoint this workstation's
 * writer confirmed, kept outside the database so that losing the database's tail (its -wal deleted under a running
 * writer, the file replaced by an older copy) leaves a trace the database itself cannot: the log must reach the
 * head file's sequence with the same head hash. It is a checkpoint AuditEvent, the same JSON the remote side holds,
 * so `stethoscope audit verify --checkpoint` reads it too.
 *
 * Written after every commit that added a checkpoint (deferred to after the current task, off the click path), on
 * clean close, and when the log starts refusing writes; always after the database commit it describes is durable,
 * so it never runs ahead of an intact log. Atomic
 * (temporary file, fsync, rename, fsync of the folder) and owner-only. Anyone who can delete files can delete it
 * too: it catches a lost tail, not a careful attacker; the remote checkpoints are the defence against those.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readCheckpointEvent, type SignedCheckpoint } from '../events/checkpoint';

export function headFilePath(dbFile: string): string {
  return `${dbFile}.head.json`;
}

function fsyncFolder(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dirname(path), 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can open a folder for fsync (Windows); the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Writes `json` (a checkpoint AuditEvent) to `path` atomically, mode 0600. */
export function writeHeadFile(path: string, json: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, json);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncFolder(path);
}

export type HeadFileRead =
  | { state: 'absent' }
  | { state: 'unreadable'; error: string }
  | { state: 'ok'; checkpoint: SignedCheckpoint };

/** Reads and parses the head file at `path` (its signature is the caller's to check). */
export function readHeadFile(path: string): HeadFileRead {
  if (!existsSync(path)) return { state: 'absent' };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { state: 'unreadable', error: `not readable JSON (${(err as Error).message})` };
  }
  const read = readCheckpointEvent(raw);
  return read.ok ? { state: 'ok', checkpoint: read.checkpoint } : { state: 'unreadable', error: read.error };
}

export interface HeadCheckInputs {
  /** The workstation's public key (the trail has it; the verifier may not). */
  verify: (cp: SignedCheckpoint) => string | null;
  /** The log's last sequence number and the stored hash at a sequence (null when there is no such row). */
  lastSeq: number;
  hashAt: (seq: number) => Buffer | null;
}

/**
 * Why the log does not reach its head file (in plain words), or null when it does or there is none: the log must
 * hold the head file's sequence with the same hash. `verify` checks the signature and names what is wrong.
 */
export function headFileProblem(path: string, read: HeadFileRead, i: HeadCheckInputs): string | null {
  if (read.state === 'absent') return null;
  if (read.state === 'unreadable') return `the head file ${path} is unreadable: ${read.error}`;
  const cp = read.checkpoint;
  const bad = i.verify(cp);
  if (bad) return `the head file ${path} ${bad}`;
  const { seq, headHash } = cp.statement;
  if (seq > i.lastSeq) {
    return `the log ends at ${i.lastSeq} but its head file ${path} records that it reached ${seq}: confirmed events were lost or the database was replaced`;
  }
  if (seq > 0 && i.hashAt(seq)?.toString('hex') !== headHash) {
    return `the log differs from its head file ${path} at ${seq}: the history up to there was rewritten or the database was replaced`;
  }
  return null;
}
