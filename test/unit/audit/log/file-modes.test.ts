/**
 * File modes: the audit database and its -wal and -shm files are readable and writable by the owner only (0600),
 * whatever the umask, after open and after appends; a log left 0644 by an older version is tightened at open.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditTrail, type SqliteAuditTrail } from '../../../../src-main/audit/log/trail';
import { readEntry, tempDir } from '../../../support/audit-log/fixtures';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function setup() {
  const t = tempDir('modes');
  cleanups.push(t.remove);
  const file = `${t.dir}/audit.sqlite`;
  const open = (): SqliteAuditTrail => {
    const trail = openAuditTrail({
      file,
      keyFile: `${t.dir}/workstation-key.pem`,
      workstationId: 'WS-TEST-01',
      transports: ['fhir'],
    });
    cleanups.push(() => trail.close());
    return trail;
  };
  return { file, open };
}

/** The permission bits of the database and its WAL companions (null when a file does not exist). */
function modes(file: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    out[f.slice(file.length) || 'db'] = existsSync(f) ? (statSync(f).mode & 0o777).toString(8) : null;
  }
  return out;
}

const OWNER_ONLY = { db: '600', '-wal': '600', '-shm': '600' };

describe('audit database file modes', () => {
  for (const umask of [0o000, 0o022]) {
    it(`are 0600 for the db, -wal and -shm after open and after appends (umask ${umask.toString(8).padStart(3, '0')})`, () => {
      const before = process.umask(umask);
      cleanups.push(() => process.umask(before));
      const { file, open } = setup();
      const trail = open();
      expect(modes(file)).toEqual(OWNER_ONLY);
      trail.recordMany(Array.from({ length: 50 }, (_, i) => readEntry(i)));
      trail.record(readEntry(51));
      expect(modes(file)).toEqual(OWNER_ONLY);
    });
  }

  it('tightens a log an older version left world-readable, -wal and -shm included', () => {
    const { file, open } = setup();
    open().record(readEntry(1));
    // Another connection keeps the -wal and -shm in place, as a crashed older version would have left them.
    const other = new Database(file);
    cleanups.push(() => other.close());
    other.prepare('SELECT count(*) FROM audit_log').get();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
    expect(modes(file)).toEqual({ db: '644', '-wal': '644', '-shm': '644' });
    open().record(readEntry(2));
    expect(modes(file)).toEqual(OWNER_ONLY);
  });
});
