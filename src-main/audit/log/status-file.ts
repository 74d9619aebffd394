/**
 * Status of an audit database file outside the running app (the CLI): opens it as the app would (same pragma and
 * schema checks), tries the probe write to learn whether it takes writes, and reports the transports it has
 * queued events for.
 */
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import type { TransportName } from '../types';
import { openAuditDatabase } from './open';
import { createRepository } from './repository';
import { computeStatus } from './status';

export function statusOfFile(file: string, now: number = Date.now()): AuditStatus {
  const db = openAuditDatabase(file);
  try {
    const repo = createRepository(db);
    let writable = true;
    let writeError: string | null = null;
    try {
      repo.probe(new Date(now).toISOString(), 16 * 1024);
    } catch (err) {
      writable = false;
      writeError = `probe write failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    const transports: TransportName[] = repo.enabledTransports();
    return computeStatus({ repo, transports, reported: new Map(), writable, writeError, now });
  } finally {
    db.close();
  }
}
