/** The synthetic population: reproducible to the byte, valid test-range NHS numbers, and the fixed demo patients. */
import { CTX } from '../../support/records/context';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../../src-shared/domain/nhs-number';
import { DEMO_PATIENTS, demoPatient } from '../../../src-main/records/demo-data/fixed-patients';
import { writePopulation } from '../../../src-main/records/demo-data/write';
import { openSqliteRecordSource } from '../../../src-main/records/source/sqlite/source';
import { isSensitive } from '../../../src-main/domain/sensitivity';
import { main } from '../../../src-main/cli/main';

const dir = mkdtempSync(join(tmpdir(), 'steth-h5-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('demo-data', () => {
  it('same seed gives the same file; another seed gives another population', async () => {
    writePopulation(join(dir, 'a.sqlite'), { patients: 1500, seed: 's1' });
    writePopulation(join(dir, 'b.sqlite'), { patients: 1500, seed: 's1' });
    writePopulation(join(dir, 'c.sqlite'), { patients: 1500, seed: 's2' });
    expect(sha(join(dir, 'a.sqlite'))).toBe(sha(join(dir, 'b.sqlite')));
    expect(sha(join(dir, 'a.sqlite'))).not.toBe(sha(join(dir, 'c.sqlite')));
  });

  it('every NHS number is in the 999 range with a valid check digit, and unique', async () => {
    const db = new Database(join(dir, 'a.sqlite'), { readonly: true });
    const nhs = db.prepare('SELECT nhs FROM patient').pluck().all() as string[];
    db.close();
    expect(nhs).toHaveLength(1500);
    expect(new Set(nhs).size).toBe(1500);
    for (const n of nhs) {
      expect(n.startsWith('999')).toBe(true);
      expect(isValidNhsNumber(n)).toBe(true);
    }
  });

  it('has a spread of preferences, sensitive and private items, and care relationships', async () => {
    const db = new Database(join(dir, 'a.sqlite'), { readonly: true });
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    expect(count("SELECT count(*) FROM sharing_preference WHERE scr = 'opted-out'")).toBeGreaterThan(20);
    expect(
      count("SELECT count(*) FROM sharing_preference WHERE scr = 'core-and-additional'"),
    ).toBeGreaterThan(200);
    expect(count("SELECT count(*) FROM sharing_preference WHERE sensitive = 'included'")).toBeGreaterThan(20);
    expect(count("SELECT count(*) FROM sharing_preference WHERE mig = 'dissent'")).toBeGreaterThan(20);
    expect(count('SELECT count(*) FROM item WHERE private = 1')).toBeGreaterThan(5);
    expect(count("SELECT count(*) FROM care_relation WHERE kind = 'referred'")).toBeGreaterThan(50);
    expect(count('SELECT count(*) FROM patient WHERE gp_code IS NULL')).toBeGreaterThan(1);
    const sensitive = (db.prepare('SELECT resource FROM item').pluck().all() as string[]).filter((r) =>
      isSensitive(
        (JSON.parse(r) as { meta?: { security?: { system?: string; code: string }[] } }).meta?.security,
      ),
    );
    expect(sensitive.length).toBeGreaterThan(20);
    db.close();
  });

  it('includes the fixed demo patients as documented', async () => {
    const src = openSqliteRecordSource(join(dir, 'a.sqlite'));
    try {
      for (const p of DEMO_PATIENTS) expect(isValidNhsNumber(p.nhsNumber)).toBe(true);
      const at = (key: Parameters<typeof demoPatient>[0]) => demoPatient(key).nhsNumber;
      expect((await src.getPreferences(at('core-only'), CTX)).current).toEqual({
        scr: 'core',
        sensitive: 'excluded',
        mig: 'share',
      });
      expect((await src.getPreferences(at('opted-out'), CTX)).current.scr).toBe('opted-out');
      expect((await src.getPreferences(at('mig-dissent'), CTX)).current.mig).toBe('dissent');
      expect((await src.getPreferences(at('sensitive-included'), CTX)).current.sensitive).toBe('included');
      const excluded = await src.getItems(at('sensitive-excluded'), CTX);
      const categories = excluded.flatMap((i) => i.resource.meta?.security ?? []).map((c) => c.code);
      expect(categories).toEqual(expect.arrayContaining(['STD', 'sti', 'SEX', 'ivf']));
      expect(excluded.some((i) => i.private)).toBe(true);
      expect((await src.getCareOrganisations(at('core-only'), CTX)).registeredWith).toBe('C81007');
      expect((await src.getCareOrganisations(at('unregistered'), CTX)).registeredWith).toBeNull();
      expect((await src.getCareOrganisations(at('ooh-treated'), CTX)).treatedBy).toContain('NWOOH1');
      expect((await src.getPatient(at('unregistered'), CTX))?.gpPracticeName).toBe(
        'No registered GP practice',
      );
      expect((await src.getPreferences(at('sensitive-excluded'), CTX)).history).toHaveLength(1);
    } finally {
      src.close();
    }
  });

  it('the CLI writes the file, prints a JSON summary, honours --org and refuses bad arguments', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      readStdin: async () => '',
    };
    const file = join(dir, 'cli.sqlite');
    expect(
      await main(
        [
          'demo-data',
          '--patients',
          '50',
          '--out',
          file,
          '--seed',
          'x',
          '--org',
          'outOfHours=ZZOOH9:Test OOH',
        ],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ patients: 50, seed: 'x' });
    const src = openSqliteRecordSource(file);
    expect(src.getOrganisation('ZZOOH9')).toEqual({ code: 'ZZOOH9', name: 'Test OOH', type: 'out-of-hours' });
    src.close();
    expect(await main(['demo-data', '--patients', '50', '--out', file], io)).toBe(1); // exists, no --force
    expect(await main(['demo-data', '--patients', 'many', '--out', file], io)).toBe(2);
    expect(
      await main(
        ['demo-data', '--patients', '5', '--out', join(dir, 'y.sqlite'), '--org', 'nobody=AB123'],
        io,
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/exists/);
  });
});
