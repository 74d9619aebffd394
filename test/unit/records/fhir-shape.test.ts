/** Every resource the record source returns is valid against the published FHIR R4 JSON schema. */
import { CTX } from '../../support/records/context';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writePopulation } from '../../../src-main/records/demo-data/write';
import { openSqliteRecordSource } from '../../../src-main/records/source/sqlite/source';
import { fhirR4Errors } from '../../support/audit-log/fhir-validator';

const dir = mkdtempSync(join(tmpdir(), 'steth-h5-fhir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('record source resources are FHIR R4', () => {
  it('patients and all their items (fixed demo patients and a random population) pass the R4 schema', async () => {
    const file = join(dir, 'r.sqlite');
    writePopulation(file, { patients: 400, seed: 'fhir' });
    const db = new Database(file, { readonly: true });
    const all = db.prepare('SELECT nhs FROM patient').pluck().all() as string[];
    db.close();
    const src = openSqliteRecordSource(file);
    const problems: string[] = [];
    const types = new Set<string>();
    try {
      for (const nhs of all) {
        const patient = src.getFhirPatient(nhs);
        if (!patient) throw new Error(`no FHIR Patient for ${nhs}`);
        for (const e of fhirR4Errors(patient)) problems.push(`Patient ${nhs}: ${e}`);
        for (const item of await src.getItems(nhs, CTX)) {
          types.add(item.resource.resourceType);
          for (const e of fhirR4Errors(item.resource))
            problems.push(`${item.resource.resourceType} ${item.resource.id}: ${e}`);
        }
      }
    } finally {
      src.close();
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect([...types].sort()).toEqual([
      'AllergyIntolerance',
      'CarePlan',
      'Condition',
      'Encounter',
      'Flag',
      'Immunization',
      'MedicationStatement',
      'Observation',
      'Procedure',
      'ServiceRequest',
    ]);
  });

  it('the validator rejects a resource that breaks the schema (so the test above can fail)', async () => {
    expect(
      fhirR4Errors({ resourceType: 'Immunization', status: 'completed' } as { resourceType: string }),
    ).not.toEqual([]);
  });
});
