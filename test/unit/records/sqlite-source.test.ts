/** The SQLite record source: migrations, search, items as FHIR resources, preferences with history. */
import { CTX } from '../../support/records/context';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import { demoPatient } from '../../../src-main/records/demo-data/fixed-patients';
import { writePopulation } from '../../../src-main/records/demo-data/write';
import { SCHEMA_VERSION, migrate } from '../../../src-main/records/source/sqlite/migrations';
import {
  openSqliteRecordSource,
  type SqliteRecordSource,
} from '../../../src-main/records/source/sqlite/source';
import { createRecordHandlers } from '../../../src-main/services/record-handlers';
import { DEFAULT_POLICY } from '../../../src-main/policy/policy-file';
import { FakeSession, RecordingAudit, TestClock } from '../../support/records/fakes';
import { viaContract } from '../../support/records/contract';
import { codeOf } from '../../support/records/harness';

const dir = mkdtempSync(join(tmpdir(), 'steth-h5-src-'));
const file = join(dir, 'records.sqlite');
let src: SqliteRecordSource;
beforeAll(() => {
  writePopulation(file, { patients: 2000, seed: 'src' });
  src = openSqliteRecordSource(file);
});
afterAll(() => {
  src.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite record source', () => {
  it('migrates a new file to the current version with STRICT tables, and refuses a newer one', async () => {
    const db = new Database(join(dir, 'm.sqlite'));
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const sqls = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const sql of sqls) expect(sql).toMatch(/STRICT/);
    migrate(db); // idempotent
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer/);
    db.close();
  });

  it('finds a patient by NHS number and by name + date of birth (case and punctuation insensitive, given-name prefix)', async () => {
    const p = demoPatient('sensitive-excluded');
    expect((await src.searchByNhsNumber(p.nhsNumber, CTX)).map((s) => s.family)).toEqual(['Hallam']);
    expect(await src.searchByNhsNumber('9990000000', CTX)).toEqual([]);
    expect(
      (await src.searchByDemographics({ family: 'hallam', birthDate: '1988-07-02' }, CTX)).map(
        (s) => s.nhsNumber,
      ),
    ).toEqual([p.nhsNumber]);
    expect(
      await src.searchByDemographics({ family: 'HALLAM', given: 'pri', birthDate: '1988-07-02' }, CTX),
    ).toHaveLength(1);
    expect(
      await src.searchByDemographics({ family: 'Hallam', given: 'Zed', birthDate: '1988-07-02' }, CTX),
    ).toHaveLength(0);
    expect(await src.searchByDemographics({ family: 'Hallam', birthDate: '1988-07-03' }, CTX)).toHaveLength(
      0,
    );
  });

  it('search results carry demographics only', async () => {
    const [s] = await src.searchByNhsNumber(demoPatient('core-only').nhsNumber, CTX);
    expect(Object.keys(s!).sort()).toEqual([
      'addressLine',
      'birthDate',
      'family',
      'gender',
      'given',
      'gpPracticeName',
      'nhsNumber',
      'postcode',
      'prefix',
    ]);
    expect(s!.gpPracticeName).toBe('Example Surgery');
    expect(src.getFhirPatient(demoPatient('core-only').nhsNumber)).toMatchObject({
      resourceType: 'Patient',
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/nhs-number', value: demoPatient('core-only').nhsNumber },
      ],
      generalPractitioner: [{ identifier: { value: 'C81007' } }],
    });
  });

  it('returns items as FHIR R4 resources with their SCR and MIG placement', async () => {
    const items = await src.getItems(demoPatient('end-of-life').nhsNumber, CTX);
    const types = new Set(items.map((i) => i.resource.resourceType));
    for (const t of [
      'MedicationStatement',
      'AllergyIntolerance',
      'Condition',
      'CarePlan',
      'Flag',
      'Encounter',
      'ServiceRequest',
    ])
      expect(types).toContain(t);
    const eol = items.find((i) => i.scr?.group === 'end-of-life');
    expect(eol?.scr?.section).toBe('additional-information');
    expect(items.find((i) => i.resource.resourceType === 'MedicationStatement')?.scr).toEqual({
      section: 'core',
      group: 'medications',
    });
    expect(items.find((i) => i.resource.resourceType === 'Encounter')?.mig).toBe('encounters');
  });

  it('rejects a malformed item row rather than showing it', async () => {
    const f = join(dir, 'bad.sqlite');
    writePopulation(f, { patients: 10, seed: 'bad' });
    const db = new Database(f);
    const nhs = demoPatient('core-only').nhsNumber;
    db.prepare(
      'UPDATE item SET resource = \'{"resourceType":"MedicationStatement"}\' WHERE patient_nhs = ? AND seq = 1',
    ).run(nhs);
    db.close();
    const bad = openSqliteRecordSource(f);
    await expect(bad.getItems(nhs, CTX)).rejects.toThrow();
    bad.close();
  });

  it('keeps preference history, persisted across reopening', async () => {
    const nhs = demoPatient('other-practice').nhsNumber;
    await src.setPreferences(
      nhs,
      {
        to: { scr: 'core-and-additional', sensitive: 'excluded', mig: 'share' },
        at: '2026-11-24T10:00:00.000Z',
        byUserId: '555000000001',
        byName: 'Dr A',
        patientStatement: 'Add AI please',
      },
      CTX,
    );
    await src.setPreferences(
      nhs,
      {
        to: { scr: 'opted-out', sensitive: 'excluded', mig: 'dissent' },
        at: '2026-11-24T11:00:00.000Z',
        byUserId: '555000000002',
        byName: 'Dr B',
        patientStatement: 'Changed my mind',
      },
      CTX,
    );
    src.close();
    src = openSqliteRecordSource(file);
    const p = await src.getPreferences(nhs, CTX);
    expect(p.current).toEqual({ scr: 'opted-out', sensitive: 'excluded', mig: 'dissent' });
    expect(p.history.map((h) => [h.from.scr, h.to.scr, h.byName, h.patientStatement])).toEqual([
      ['core', 'core-and-additional', 'Dr A', 'Add AI please'],
      ['core-and-additional', 'opted-out', 'Dr B', 'Changed my mind'],
    ]);
  });
});

describe('search and preferences through the service', () => {
  const make = () => {
    const session = new FakeSession();
    const audit = new RecordingAudit();
    const service = createRecordHandlers({
      source: src,
      policy: DEFAULT_POLICY,
      session,
      audit,
      clock: new TestClock(Date.parse('2026-11-24T10:00:00Z')),
      config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS' } },
    });
    return { session, audit, h: service.handlers };
  };

  it('a wrong check digit is invalid-nhs-number, not "not found"; spaces are allowed; a valid unknown number finds nothing', async () => {
    const { session, h } = make();
    const c = viaContract(h);
    session.signIn({ orgCode: 'C81007', orgType: 'gp-practice', activities: ['B0370'] });
    const good = demoPatient('core-only').nhsNumber;
    const bad = `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`;
    expect(await c.code('patients.search', { kind: 'nhs-number', nhsNumber: bad })).toBe(
      'invalid-nhs-number',
    );
    expect(await c.code('patients.search', { kind: 'nhs-number', nhsNumber: '12345' })).toBe(
      'invalid-nhs-number',
    );
    const spaced = `${good.slice(0, 3)} ${good.slice(3, 6)} ${good.slice(6)}`;
    const found = await c.value<{ results: { nhsNumber: string }[] }>('patients.search', {
      kind: 'nhs-number',
      nhsNumber: spaced,
    });
    expect(found.results.map((r) => r.nhsNumber)).toEqual([good]);
    // 999 000 5xx is between the fixed demo patients (999 000 0xx) and the random range (999 1xx xxx).
    const unknown = `999000500${nhsCheckDigit('999000500')}`;
    expect((await h['patients.search']({ kind: 'nhs-number', nhsNumber: unknown })).results).toEqual([]);
    expect(await codeOf(() => h['encounter.open']({ nhsNumber: unknown }))).toBe('not-found');
    expect(await c.code('encounter.open', { nhsNumber: bad })).toBe('invalid-nhs-number');
    expect(
      (
        await h['patients.search']({
          kind: 'demographics',
          family: 'Brackley',
          given: 'Oli',
          birthDate: '1956-03-14',
        })
      ).results,
    ).toHaveLength(1);
  });

  it('needs a signed-in user; changing preferences needs B0020 and is audited with old and new values', async () => {
    const { session, audit, h } = make();
    const nhs = demoPatient('core-only').nhsNumber;
    expect(await codeOf(() => h['patients.search']({ kind: 'nhs-number', nhsNumber: nhs }))).toBe(
      'not-signed-in',
    );
    session.signIn({ orgCode: 'NWOOH1', orgType: 'out-of-hours', activities: ['B0370', 'B0168'] });
    const req = {
      nhsNumber: nhs,
      scr: 'core-and-additional',
      sensitive: 'included',
      mig: 'share',
      patientStatement: 'Include everything',
    } as const;
    expect(await codeOf(() => h['preferences.set'](req))).toBe('forbidden');
    session.signIn({ orgCode: 'C81007', orgType: 'gp-practice', activities: ['B0020'] });
    const res = await h['preferences.set'](req);
    expect(res.current).toEqual({ scr: 'core-and-additional', sensitive: 'included', mig: 'share' });
    expect(res.history.at(-1)).toMatchObject({
      byUserId: '555000000001',
      byName: 'Dr Test User',
      patientStatement: 'Include everything',
      from: { scr: 'core' },
    });
    expect(audit.entries).toMatchObject([
      {
        kind: 'preference-changed',
        from: { scr: 'core', sensitive: 'excluded', mig: 'share' },
        to: { scr: 'core-and-additional', sensitive: 'included' },
        patientStatement: 'Include everything',
      },
    ]);
    expect((await h['preferences.get']({ nhsNumber: nhs })).history.length).toBe(res.history.length);
  });
});
