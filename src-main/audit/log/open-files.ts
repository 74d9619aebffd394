/**
 * Is the open log still the file at its path? SQLite keeps the database, its -wal and its -shm open for as long as
 * the connection lives: if one of them is deleted or replaced under a running writer, SQLite goes on writing into
 * the file it has open, which nobody will find again (a deleted -wal is gone at the next crash, with every event
 * it held), while another program opening the path sees something else.
 *
 * At open, the device and inode of each file is recorded; where /proc/self/fd exists (Linux) they must be those of
 * a descriptor this process holds open through that path, so what is recorded is what SQLite has open. Each check
 * afterwards is three stat() calls of the paths (microseconds) compared with what was recorded.
 *
 * Never open and close a descriptor of these files here: closing any descriptor of a file drops every POSIX lock
 * this process holds on it, SQLite's included.
 */
import { fstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AuditOpenError, auditFiles } from './open';

interface FileId {
  dev: number;
  ino: number;
}

export interface OpenFiles {
  readonly paths: { db: string; wal: string; shm: string };
  readonly ids: { db: FileId; wal: FileId; shm: FileId };
  /** How the ids were confirmed: against this process's open descriptors, or only the paths. */
  readonly confirmedBy: 'proc-self-fd' | 'path';
}

const NAMES = { db: 'database file', wal: '-wal file', shm: '-shm file' } as const;
type Part = keyof typeof NAMES;
const PARTS: readonly Part[] = ['db', 'wal', 'shm'];

function idOfPath(path: string): FileId | null {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? { dev: s.dev, ino: s.ino } : null;
}

/** Device and inode of every descriptor this process has open on each of `paths` (null without /proc). */
function openDescriptors(paths: readonly string[]): Map<string, FileId[]> | null {
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return null;
  }
  const found = new Map<string, FileId[]>(paths.map((p) => [p, []]));
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed since the listing (e.g. the listing's own descriptor)
    }
    const list = found.get(target);
    if (!list) continue;
    try {
      const s = fstatSync(Number(fd));
      list.push({ dev: s.dev, ino: s.ino });
    } catch {
      // closed in between
    }
  }
  return found;
}

/** Records what the open connection has open for `file` (call once the -wal and -shm exist). */
export function recordOpenFiles(file: string): OpenFiles {
  const real = join(realpathSync(dirname(file)), basename(file));
  const paths = auditFiles(real);
  const ids = {} as Record<Part, FileId>;
  for (const part of PARTS) {
    const id = idOfPath(paths[part]);
    if (!id)
      throw new AuditOpenError(`the audit ${NAMES[part]} ${paths[part]} is missing right after opening`);
    ids[part] = id;
  }
  const open = openDescriptors(PARTS.map((p) => paths[p]));
  if (open) {
    for (const part of PARTS) {
      const id = ids[part];
      if (!open.get(paths[part])?.some((o) => o.dev === id.dev && o.ino === id.ino)) {
        throw new AuditOpenError(
          `the audit ${NAMES[part]} ${paths[part]} is not the file the database has open (replaced while opening)`,
        );
      }
    }
  }
  return { paths, ids, confirmedBy: open ? 'proc-self-fd' : 'path' };
}

/** Which file is no longer the one open, in plain words; null when all three still are. */
export function openFilesProblem(o: OpenFiles): string | null {
  for (const part of PARTS) {
    const now = idOfPath(o.paths[part]);
    const was = o.ids[part];
    if (!now) return `the audit ${NAMES[part]} ${o.paths[part]} was removed while the log was open`;
    if (now.dev !== was.dev || now.ino !== was.ino)
      return `the audit ${NAMES[part]} ${o.paths[part]} was replaced by another file while the log was open`;
  }
  return null;
}

/** True when the problem concerns the database file itself (not only its -wal or -shm). */
export function databaseFileGone(o: OpenFiles): boolean {
  const now = idOfPath(o.paths.db);
  return !now || now.dev !== o.ids.db.dev || now.ino !== o.ids.db.ino;
}
