/** The local RecordSource: a SQLite file produced by demo-data (or, later, a cache of a remote source). */
import type { Database } from 'better-sqlite3';
import {
  PreferenceChange,
  SharingPreferences,
  type PatientSummary,
} from '../../../../src-shared/domain/records';
import { NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM, type FhirPatient } from '../fhir';
import { DEFAULT_PREFERENCES, type RecordSource } from '../types';
import { openRecordsDb } from './open';
import { createRepository, nameKey, toSummary, type PatientRow } from './repository';

function sqliteRecordSource(db: Database): RecordSource {
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

  return {
    getPatient(nhs) {
      const row = repo.patient(nhs);
      return row ? toSummary(row) : null;
    },
    getFhirPatient(nhs) {
      const row = repo.patient(nhs);
      return row ? toFhir(row) : null;
    },
    searchByNhsNumber(nhs): PatientSummary[] {
      const row = repo.patient(nhs);
      return row ? [toSummary(row)] : [];
    },
    searchByDemographics(family, given, birthDate) {
      const key = nameKey(family);
      if (!key) return [];
      const givenKey = given ? nameKey(given) : '';
      return repo
        .patientsByNameDob(key, birthDate)
        .map(toSummary)
        .filter((s) => !givenKey || s.given.some((g) => nameKey(g).startsWith(givenKey)));
    },
    getItems: (nhs) => repo.items(nhs),
    getCareOrganisations: (nhs) => repo.careOrganisations(nhs),
    getOrganisation: (code) => repo.organisation(code),
    getPreferences(nhs) {
      return { current: repo.preferences(nhs) ?? DEFAULT_PREFERENCES, history: history(nhs) };
    },
    setPreferences(nhs, update) {
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
      return { current: to, history: history(nhs) };
    },
    close() {
      if (db.open) db.close();
    },
  };
}

/** Opens a records file and wraps it as a RecordSource. */
export function openSqliteRecordSource(file: string): RecordSource {
  return sqliteRecordSource(openRecordsDb(file));
}
