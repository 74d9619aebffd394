/**
 * Observing shippers and logs in tests: wait for a shipper status that satisfies a predicate (event driven, with
 * a deadline), keep the history of errors a shipper reported, and read back what a trail stored.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { TransportStatus } from '../../../src-shared/ipc/channels/audit';
import type { Shipper } from '../../../src-main/audit/shipping/shipper';

/** Resolves with the first status (current or later) that satisfies the predicate. */
export function waitForStatus(
  shipper: Shipper,
  what: string,
  predicate: (s: TransportStatus) => boolean,
  timeoutMs = 30_000,
): Promise<TransportStatus> {
  const now = shipper.status();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    let last = now;
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last status ${JSON.stringify(last)}`),
      );
    }, timeoutMs);
    const off = shipper.onStatus((s) => {
      last = s;
      if (!predicate(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

/** Every distinct lastError the shipper reports from now on. */
export function recordErrors(shipper: Shipper): string[] {
  const errors: string[] = [];
  shipper.onStatus((s) => {
    if (s.lastError !== null && errors[errors.length - 1] !== s.lastError) errors.push(s.lastError);
  });
  return errors;
}

export interface StoredLogEvent {
  seq: number;
  uuid: string;
  json: string;
}

/** What the trail in `dir` holds (read-only; the trail may stay open). */
export function readTrail(dir: string): StoredLogEvent[] {
  const db = new Database(join(dir, 'audit.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], StoredLogEvent>('SELECT seq, uuid, json FROM audit_log ORDER BY seq').all();
  } finally {
    db.close();
  }
}
