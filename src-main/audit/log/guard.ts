/**
 * Keeps the open log honest outside the database: whether the files at its paths are still the ones open
 * (`open-files.ts`), the head file beside it (`head-file.ts`), and what to save when the log starts refusing writes
 * (`rescue.ts`). The trail calls it; it holds no state of the chain itself.
 */
import type { Database } from 'better-sqlite3';
import { signedCheckpointJson, type ChainState } from './append';
import { headFilePath, headFileProblem, readHeadFile, writeHeadFile } from './head-file';
import { AuditOpenError } from './open';
import { openFilesProblem, recordOpenFiles, type OpenFiles } from './open-files';
import { rescueOpenLog } from './rescue';
import type { AuditRepository } from './repository';
import { verifyStatement, type WorkstationKey } from './workstation-key';

export interface GuardOptions {
  file: string;
  key: WorkstationKey;
  workstationId: string;
  machineName: string;
  nowIso: () => string;
  onError?: (message: string, err: unknown) => void;
}

export class LogGuard {
  readonly files: OpenFiles;
  readonly headFile: string;

  /** Call right after the database opened (its -wal and -shm exist). */
  constructor(private readonly o: GuardOptions) {
    this.files = recordOpenFiles(o.file);
    this.headFile = headFilePath(this.files.paths.db);
  }

  /** Refuses to start on a log that does not reach its head file (lost tail, older copy in its place). */
  checkHead(repo: AuditRepository): void {
    const keyId = this.o.key.keyId;
    const problem = headFileProblem(this.headFile, readHeadFile(this.headFile), {
      verify: (cp) => {
        if (cp.keyId !== keyId) return 'is signed by another key';
        if (!verifyStatement(this.o.key.publicKey, cp.statementJson, cp.signature))
          return 'has a signature that does not verify';
        if (cp.statement.workstationId !== this.o.workstationId)
          return `names workstation ${cp.statement.workstationId}`;
        return null;
      },
      lastSeq: repo.head()?.seq ?? 0,
      hashAt: (seq) => repo.hashAt(seq),
    });
    if (problem)
      throw new AuditOpenError(
        `${problem}. The log is not opened; check it with stethoscope audit verify before moving the head file aside.`,
      );
  }

  filesProblem(): string | null {
    return openFilesProblem(this.files);
  }

  private pendingHead: string | null = null;
  private headScheduled = false;

  /**
   * Writes `json` (a checkpoint AuditEvent whose commit is durable) as the head file soon: right after the current
   * task, off the path between a click and the data (the write is an fsync). Only the newest pending one is
   * written. A writer that dies first leaves an older head file, which is never wrong, only less telling.
   */
  queueHead(json: string): void {
    this.pendingHead = json;
    if (this.headScheduled) return;
    this.headScheduled = true;
    setImmediate(() => {
      this.headScheduled = false;
      this.flushHead();
    });
  }

  /** Writes the pending head file now, if there is one. */
  flushHead(): void {
    const next = this.pendingHead;
    if (next !== null) this.writeHead(next);
  }

  /** Writes `json` as the head file now; a failure is reported only. Drops a pending older one. */
  writeHead(json: string, path: string = this.headFile): boolean {
    if (path === this.headFile) this.pendingHead = null;
    try {
      writeHeadFile(path, json);
      return true;
    } catch (err) {
      this.o.onError?.(`audit log: could not write the head file ${path}`, err);
      return false;
    }
  }

  /** A freshly signed head for `state` (not an event in the log). */
  writeHeadFor(state: ChainState, path: string = this.headFile): boolean {
    if (state.seq === 0) return false;
    return this.writeHead(signedCheckpointJson(this.o, state, this.o.nowIso()).json, path);
  }

  /**
   * The log started refusing writes: rescue what the connection holds when a file was swapped under it, and record
   * the last confirmed head (`state`) in the head file (and beside a rescue copy). Returns the status text.
   */
  onRefused(db: Database, state: ChainState, reason: string): string {
    const parts = [reason];
    if (this.filesProblem() !== null) {
      const rescue = rescueOpenLog(db, this.files, this.o.nowIso());
      parts.push(rescue.summary);
      if (rescue.copy && this.writeHeadFor(state, headFilePath(rescue.copy)))
        parts.push(`its head file records events up to ${state.seq}`);
    }
    if (this.writeHeadFor(state))
      parts.push(`the head file ${this.headFile} records the confirmed events up to ${state.seq}`);
    return parts.join('; ');
  }
}
