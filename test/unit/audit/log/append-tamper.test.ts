/**
 * The schema changed under an open log: another connection adds a trigger that silently drops appends
 * (BEFORE INSERT ... RAISE(IGNORE)) or empties the outbox. The next append, single or batch, must throw
 * AuditUnavailableError naming it (so no record is released), write nothing, and keep refusing: tampering is not
 * a full disk that clears by itself. On its own, each append also checks that its rows landed.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvents, type AppendContext } from '../../../../src-main/audit/log/append';
import { GENESIS_HASH } from '../../../../src-main/audit/log/chain';
import { auditMigrations } from '../../../../src-main/audit/log/migrations/index';
import { createRepository } from '../../../../src-main/audit/log/repository';
import { AuditTamperError } from '../../../../src-main/audit/log/tamper';
import { openAuditTrail, type AuditTrailOptions } from '../../../../src-main/audit/log/trail';
import { loadOrCreateWorkstationKey } from '../../../../src-main/audit/log/workstation-key';
import { AuditUnavailableError } from '../../../../src-main/audit/types';
import { migrate } from '../../../../src-main/sqlite/migrate';
import { entriesByKind, readEntry, tempDir } from '../../../support/audit-log/fixtures';
import { extraObjects } from '../../../support/audit-log/tamper-sql';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function setup(over: Partial<AuditTrailOptions> = {}) {
  const t = tempDir('append-tamper');
  cleanups.push(t.remove);
  const options: AuditTrailOptions = {
    file: `${t.dir}/audit.sqlite`,
    keyFile: `${t.dir}/workstation-key.pem`,
    workstationId: 'WS-TEST-01',
    transports: ['fhir', 'atna'],
    ...over,
  };
  const trail = openAuditTrail(options);
  cleanups.push(() => trail.close());
  // The attacker's connection, as another process would have it.
  const other = new Database(options.file);
  cleanups.push(() => other.close());
  const count = () => other.prepare('SELECT count(*) FROM audit_log').pluck().get();
  return { trail, other, count, options };
}

describe('a trigger added while the log is open', () => {
  // Without a transport (the demo configuration) nothing else notices; with one, the outbox's foreign key made
  // the insert fail, which the log used to treat as a passing storage error.
  for (const transports of [[], ['fhir', 'atna']] as const) {
    const label = transports.length === 0 ? 'no transports' : transports.join(' + ');
    it(`record(): an emergency override is refused with AuditUnavailableError naming the trigger; nothing is written (${label})`, () => {
      const { trail, other, count } = setup({ transports });
      trail.record(readEntry(1));
      other.exec(extraObjects.swallow);
      expect(() => trail.record(entriesByKind['emergency-override'])).toThrow(AuditUnavailableError);
      expect(count()).toBe(1);
      expect(() => trail.record(readEntry(2))).toThrow(
        /trigger swallow \(on audit_log\) is not part of the audit schema/,
      );
      expect(count()).toBe(1);
    });

    it(`recordMany(): a batch of record reads is refused the same way (${label})`, () => {
      const { trail, other, count } = setup({ transports });
      trail.recordMany([readEntry(1), readEntry(2)]);
      other.exec(extraObjects.swallow);
      expect(() => trail.recordMany([readEntry(3), readEntry(4), readEntry(5)])).toThrow(
        AuditUnavailableError,
      );
      expect(() => trail.recordMany([readEntry(3)])).toThrow(/trigger swallow \(on audit_log\)/);
      expect(count()).toBe(2);
      expect(trail.head().seq).toBe(2);
    });
  }

  it('stays refused: no probe, no dropping the trigger again brings it back; status says why', () => {
    const { trail, other, count } = setup();
    trail.record(readEntry(1));
    other.exec(extraObjects.swallow);
    expect(() => trail.record(readEntry(2))).toThrow(AuditUnavailableError);
    expect(trail.writable()).toBe(false);
    expect(trail.probe()).toBe(false);
    other.exec('DROP TRIGGER swallow');
    expect(() => trail.record(readEntry(3))).toThrow(AuditUnavailableError);
    expect(trail.status()).toMatchObject({ writable: false });
    expect(trail.status().lastError).toMatch(
      /trigger swallow \(on audit_log\) is not part of the audit schema/,
    );
    expect(count()).toBe(1);
  });

  it('an AFTER INSERT trigger that empties the outbox is refused, and so are deliveries', () => {
    const { trail, other, count } = setup();
    const first = trail.record(readEntry(1));
    other.exec(extraObjects.unqueue);
    expect(() => trail.record(readEntry(2))).toThrow(
      /trigger unqueue \(on outbox\) is not part of the audit schema/,
    );
    expect(() => trail.outbox.markDelivered('fhir', [first.seq])).toThrow(AuditUnavailableError);
    expect(count()).toBe(1);
    expect(other.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(2);
  });

  it('a change that leaves the schema ours (an index dropped and made again) is not tampering', () => {
    const { trail, other } = setup();
    trail.record(readEntry(1));
    const sql = other
      .prepare("SELECT sql FROM sqlite_schema WHERE name = 'outbox_urgent'")
      .pluck()
      .get() as string;
    other.exec(`DROP INDEX outbox_urgent; ${sql};`);
    expect(trail.record(readEntry(2)).seq).toBe(2);
    expect(trail.writable()).toBe(true);
  });
});

describe('each append checks that its rows landed', () => {
  /** The write path alone, on a database with the attacker's trigger already in it (no schema check). */
  function bare(sql: string) {
    const t = tempDir('append-landed');
    cleanups.push(t.remove);
    const db = new Database(`${t.dir}/audit.sqlite`);
    cleanups.push(() => db.close());
    migrate(db, auditMigrations);
    db.exec(sql);
    const ctx: AppendContext = {
      repo: createRepository(db),
      key: loadOrCreateWorkstationKey(`${t.dir}/key.pem`),
      workstationId: 'WS-TEST-01',
      machineName: 'test-host',
      transports: ['fhir', 'atna'],
      checkpointEvery: 100,
      nowIso: () => '2026-11-24T10:00:00.000Z',
    };
    const start = { seq: 0, hash: GENESIS_HASH, lastCheckpointSeq: 0 };
    const ev = {
      uuid: '6f1c9b7e-0d1a-4c8e-9a55-3b2f0e6d7c41',
      recorded: ctx.nowIso(),
      json: '{}',
      priority: 0,
    };
    const append = (force = false) => db.transaction(() => appendEvents(ctx, start, [ev], force)).immediate();
    return { db, append };
  }

  it('an event row dropped by a trigger is refused, naming its sequence', () => {
    const { db, append } = bare(extraObjects.swallow);
    expect(() => append()).toThrow(AuditTamperError);
    expect(() => append()).toThrow(/audit event 1 did not land/);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('an outbox row dropped by a trigger is refused', () => {
    const { append } = bare(
      'CREATE TRIGGER unqueue BEFORE INSERT ON outbox BEGIN SELECT RAISE(IGNORE); END;',
    );
    expect(() => append()).toThrow(/audit event 1 was queued for 0 of 2 transports/);
  });

  it('a checkpoint index row dropped by a trigger is refused', () => {
    const { append } = bare(
      'CREATE TRIGGER uncheck BEFORE INSERT ON checkpoint BEGIN SELECT RAISE(IGNORE); END;',
    );
    expect(() => append(true)).toThrow(/checkpoint 2 did not land in the checkpoint index/);
  });
});
