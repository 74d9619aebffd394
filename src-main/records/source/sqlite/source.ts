/**
 * The local RecordSource: a SQLite file produced by demo-data. The file answers synchronously; the boundary is
 * asynchronous, so each call resolves with what the file holds (a call whose signal is already aborted rejects).
 */
import type { Database } from 'better-sqlite3';
import {
  PreferenceChange,
  SharingPreferences,
  type PatientSummary,
} from '../../../../src-shared/domain/records';
import { NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM, type FhirPatient } from '../../../domain/fhir-resources';
import { DEFAULT_PREFERENCES, type Organisation } from '../../../domain/record-items';
import type { RecordSource, SourceContext } from '../types';
import { openRecordsDb } from './open';
import { createRepository, nameKey, toSummary, type PatientRow } from './repository';

function sqliteRecordSource(db: Database): SqliteRecordSource {
  const repo = createRepository(db);

  const history = (nhs: string): PreferenceChange[] =>
    repo.preferenceHistory(nhs).map((r) =>
      PreferenceChange.parse({
        at: r.at,
        byUserId: r.by_user_id,
        byName: r.by_name,
        from: JSON.parse(r.from_json),
        to: JSON.parse(r.to_json),
        patientStatement: r.patient_statement,
      }),
    );

  const toFhir = (row: PatientRow): FhirPatient => {
    const s = toSummary(row);
    const patient: FhirPatient = {
      resourceType: 'Patient',
      id: row.nhs,
      identifier: [{ system: NHS_NUMBER_SYSTEM, value: row.nhs }],
      name: [{ family: s.family, given: s.given, ...(s.prefix ? { prefix: [s.prefix] } : {}) }],
      gender: s.gender,
      birthDate: s.birthDate,
      address: [{ line: [s.addressLine], postalCode: s.postcode }],
    };
    if (row.gp_code) {
      patient.generalPractitioner = [
        {
          identifier: { system: ODS_CODE_SYSTEM, value: row.gp_code },
          ...(row.gp_name ? { display: row.gp_name } : {}),
        },
      ];
    }
    return patient;
  };

  const answer = async <T>(ctx: SourceContext, value: () => T): Promise<T> => {
    ctx.signal.throwIfAborted();
    return value();
  };
  const preferences = (nhs: string) => ({
    current: repo.preferences(nhs) ?? DEFAULT_PREFERENCES,
    history: history(nhs),
  });

  return {
    getPatient: (nhs, ctx) =>
      answer(ctx, () => {
        const row = repo.patient(nhs);
        return row ? toSummary(row) : null;
      }),
    getFhirPatient(nhs) {
      const row = repo.patient(nhs);
      return row ? toFhir(row) : null;
    },
    searchByNhsNumber: (nhs, ctx) =>
      answer(ctx, (): PatientSummary[] => {
        const row = repo.patient(nhs);
        return row ? [toSummary(row)] : [];
      }),
    searchByDemographics: ({ family, given, birthDate }, ctx) =>
      answer(ctx, () => {
        const key = nameKey(family);
        if (!key) return [];
        const givenKey = given ? nameKey(given) : '';
        return repo
          .patientsByNameDob(key, birthDate)
          .map(toSummary)
          .filter((s) => !givenKey || s.given.some((g) => nameKey(g).startsWith(givenKey)));
      }),
    getItems: (nhs, ctx) => answer(ctx, () => repo.items(nhs)),
    getCareOrganisations: (nhs, ctx) => answer(ctx, () => repo.careOrganisations(nhs)),
    getOrganisation: (code) => repo.organisation(code),
    getPreferences: (nhs, ctx) => answer(ctx, () => preferences(nhs)),
    setPreferences: (nhs, update, ctx) =>
      answer(ctx, () => {
        if (!repo.patient(nhs)) throw new Error('setPreferences: unknown patient');
        const from = repo.preferences(nhs) ?? DEFAULT_PREFERENCES;
        const to = SharingPreferences.parse(update.to);
        repo.recordPreferenceChange(
          nhs,
          {
            at: update.at,
            by_user_id: update.byUserId,
            by_name: update.byName,
            from_json: JSON.stringify(from),
            to_json: JSON.stringify(to),
            patient_statement: update.patientStatement,
          },
          to,
        );
        return preferences(nhs);
      }),
    close() {
      if (db.open) db.close();
    },
  };
}

/** The SQLite source also answers the demo data's own questions (its FHIR Patient, its organisations). */
export interface SqliteRecordSource extends RecordSource {
  getFhirPatient(nhsNumber: string): FhirPatient | null;
  getOrganisation(code: string): Organisation | null;
}

/** Opens a records file and wraps it as a RecordSource. */
export function openSqliteRecordSource(file: string): SqliteRecordSource {
  return sqliteRecordSource(openRecordsDb(file));
}
