/**
 * Disk full: the log lives on a small tmpfs this test mounts (root); a filler file takes the rest of the space.
 * record() must throw AuditUnavailableError and switch writable() off, keep refusing while the disk is full, lose
 * nothing it confirmed, and take writes again once space is freed (probe). The log verifies afterwards.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditTrail, type SqliteAuditTrail } from '../../../src-main/audit/log/trail';
import { verifyAuditLog } from '../../../src-main/audit/log/verify';
import { AuditUnavailableError } from '../../../src-main/audit/types';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { readEntry, tempDir } from '../../support/audit-log/fixtures';

let base: { dir: string; remove: () => void };
let mnt = '';
let mounted = false;
let trail: SqliteAuditTrail | null = null;

beforeAll(() => {
  base = tempDir('diskfull');
  mnt = join(base.dir, 'mnt');
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m,mode=0700', 'tmpfs', mnt], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`this test mounts a small tmpfs and must run as root: ${(err as Error).message}`);
  }
  mounted = true;
});

afterAll(() => {
  trail?.close();
  if (mounted) execFileSync('umount', [mnt]);
  base.remove();
});

/** Fills the filesystem: big chunks, then smaller ones, until even 512 bytes do not fit. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [256 * 1024, 16 * 1024, 512]) {
      const chunk = Buffer.alloc(size, 0x55);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('audit log on a full disk', () => {
  it('refuses (AuditUnavailableError), keeps what it confirmed, and recovers when space is freed', async () => {
    const file = join(mnt, 'audit.sqlite');
    trail = openAuditTrail({
      file,
      keyFile: join(mnt, 'workstation-key.pem'),
      workstationId: 'WS-TEST-01',
      transports: ['fhir'],
      checkpointEvery: 50,
      statusThrottleMs: 10,
      probeIntervalMs: 60_000,
    });
    const confirmed = new Map<number, string>();
    for (let i = 0; i < 20; i++) {
      const r = trail.record(readEntry(i));
      confirmed.set(r.seq, r.uuid);
    }
    const unwritable = new Promise<AuditStatus>((resolve) => {
      trail?.onStatus((s) => {
        if (!s.writable) resolve(s);
      });
    });

    const filler = join(mnt, 'filler.bin');
    fill(filler);
    // The WAL may still have room it reuses; keep writing until the disk says no (bounded).
    let failure: unknown = null;
    for (let i = 0; i < 5000 && failure === null; i++) {
      try {
        const r = trail.record(readEntry(1000 + i));
        confirmed.set(r.seq, r.uuid);
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(AuditUnavailableError);
    expect((failure as Error).message).toMatch(/SQLITE_FULL|disk|full/i);
    expect(trail.writable()).toBe(false);
    const status = await unwritable;
    expect(status.writable).toBe(false);
    expect(status.lastError).toMatch(/SQLITE_FULL|full/i);

    // Still full: every record() refuses (its probe fails), and so does a batch.
    expect(() => trail?.record(readEntry(9001))).toThrow(AuditUnavailableError);
    expect(() => trail?.recordMany([readEntry(9002), readEntry(9003)])).toThrow(AuditUnavailableError);
    expect(trail.probe()).toBe(false);
    expect(trail.writable()).toBe(false);

    // Space back: the probe succeeds and writes resume with the next sequence number.
    rmSync(filler);
    expect(trail.probe()).toBe(true);
    expect(trail.writable()).toBe(true);
    const head = Math.max(...confirmed.keys());
    const after = trail.record(readEntry(9999));
    expect(after.seq).toBeGreaterThan(head);
    confirmed.set(after.seq, after.uuid);
    trail.close();
    trail = null;

    // Nothing confirmed was lost, and the chain is whole.
    const report = verifyAuditLog(file);
    expect(report.problems).toEqual([]);
    const db = new Database(file, { readonly: true });
    const rows = new Map(
      (db.prepare('SELECT seq, uuid FROM audit_log').all() as { seq: number; uuid: string }[]).map((r) => [
        r.seq,
        r.uuid,
      ]),
    );
    db.close();
    for (const [seq, uuid] of confirmed) expect(rows.get(seq)).toBe(uuid);
    expect(confirmed.size).toBeGreaterThan(20);
  });
});
