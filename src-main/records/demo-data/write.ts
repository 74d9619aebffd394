/**
 * Writes a synthetic population to a new SQLite records file. Deterministic: the same options give the same file
 * bytes (fixed reference date, seeded generator, no timestamps, no journal). Written to a temporary name and
 * renamed, so a half-written file is never mistaken for a population.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { openRecordsDb } from '../source/sqlite/open';
import { nameKey } from '../source/sqlite/repository';
import type { Organisation } from '../../domain/record-items';
import { generatePopulation, REGISTRATION_CLERK, type PopulationOptions } from './population';
import { AS_OF, type GeneratedPatient } from './population-types';

export type { PopulationOptions } from './population';

const GENERATOR_VERSION = '1';

export interface PopulationSummary {
  patients: number;
  items: number;
  organisations: number;
}

function insertAll(
  db: Database,
  orgs: Organisation[],
  patients: Iterable<GeneratedPatient>,
): PopulationSummary {
  const insOrg = db.prepare('INSERT INTO organisation (code, name, type) VALUES (?, ?, ?)');
  const insPatient = db.prepare(
    `INSERT INTO patient (nhs, family, given, prefix, family_key, given_key, birth_date, gender, address_line, postcode, gp_code)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insItem = db.prepare(
    'INSERT INTO item (patient_nhs, seq, resource_type, scr_section, scr_group, mig_section, private, resource) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insRel = db.prepare(
    'INSERT OR IGNORE INTO care_relation (patient_nhs, org_code, kind) VALUES (?, ?, ?)',
  );
  const insPref = db.prepare(
    'INSERT INTO sharing_preference (patient_nhs, scr, sensitive, mig) VALUES (?, ?, ?, ?)',
  );
  const insChange = db.prepare(
    `INSERT INTO sharing_preference_change (patient_nhs, at, by_user_id, by_name, from_json, to_json, patient_statement)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const defaults = JSON.stringify({ scr: 'core', sensitive: 'excluded', mig: 'share' });
  let count = 0;
  let items = 0;
  db.transaction(() => {
    for (const o of orgs) insOrg.run(o.code, o.name, o.type);
    for (const p of patients) {
      insPatient.run(
        p.nhs,
        p.family,
        JSON.stringify(p.given),
        p.prefix ?? null,
        nameKey(p.family),
        nameKey(p.given[0] ?? ''),
        p.birthDate,
        p.gender,
        p.addressLine,
        p.postcode,
        p.gpCode,
      );
      p.items.forEach((it, i) => {
        insItem.run(
          p.nhs,
          i + 1,
          it.resource.resourceType,
          it.scr?.section ?? null,
          it.scr?.group ?? null,
          it.mig,
          it.private ? 1 : 0,
          JSON.stringify(it.resource),
        );
      });
      items += p.items.length;
      for (const r of p.relations) insRel.run(p.nhs, r.org, r.kind);
      insPref.run(p.nhs, p.preferences.scr, p.preferences.sensitive, p.preferences.mig);
      if (p.preferenceStatement) {
        insChange.run(
          p.nhs,
          `${AS_OF}T09:00:00.000Z`,
          REGISTRATION_CLERK.id,
          REGISTRATION_CLERK.name,
          defaults,
          JSON.stringify(p.preferences),
          p.preferenceStatement,
        );
      }
      count++;
    }
  })();
  return { patients: count, items, organisations: orgs.length };
}

/** Builds the population and writes it to `file` (which must not exist unless `overwrite`). */
export function writePopulation(
  file: string,
  options: PopulationOptions,
  overwrite = false,
): PopulationSummary {
  if (!Number.isInteger(options.patients) || options.patients < 1)
    throw new Error('patients must be a positive integer');
  if (existsSync(file) && !overwrite) throw new Error(`${file} exists (use --force to replace it)`);
  const population = generatePopulation(options);

  const tmp = `${file}.partial-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = openRecordsDb(tmp, { bulk: true });
  try {
    db.pragma('cache_size = -262144');
    const summary = insertAll(db, population.organisations, population.patients);
    const info = db.prepare('INSERT INTO dataset_info (key, value) VALUES (?, ?)');
    for (const [k, v] of [
      ['generator', GENERATOR_VERSION],
      ['seed', options.seed],
      ['patients', String(summary.patients)],
      ['as-of', AS_OF],
    ]) {
      info.run(k, v);
    }
    db.pragma('optimize');
    db.close();
    rmSync(file, { force: true });
    renameSync(tmp, file);
    return summary;
  } catch (err) {
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    throw err;
  }
}
