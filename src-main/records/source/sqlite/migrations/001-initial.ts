/** Migration 1: organisations, patients, clinical items, care relationships, sharing preferences and their history. */
import type { Database } from 'better-sqlite3';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE organisation (
      code TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('gp-practice','out-of-hours','ambulance','community','social-care','acute','pharmacy'))
    ) STRICT;

    CREATE TABLE patient (
      nhs TEXT PRIMARY KEY CHECK (length(nhs) = 10),
      family TEXT NOT NULL,
      given TEXT NOT NULL,          -- JSON array of given names
      prefix TEXT,
      family_key TEXT NOT NULL,     -- lower-case letters only, for search
      given_key TEXT NOT NULL,      -- first given name, same normalisation
      birth_date TEXT NOT NULL,
      gender TEXT NOT NULL CHECK (gender IN ('male','female','other','unknown')),
      address_line TEXT NOT NULL,
      postcode TEXT NOT NULL,
      gp_code TEXT REFERENCES organisation(code)
    ) STRICT, WITHOUT ROWID;
    -- Name + date of birth search: equality on both, then a given-name prefix filter on few rows.
    CREATE INDEX patient_by_name_dob ON patient (family_key, birth_date, given_key);

    -- Clustered by patient so one patient's items are read from adjacent pages.
    CREATE TABLE item (
      patient_nhs TEXT NOT NULL REFERENCES patient(nhs),
      seq INTEGER NOT NULL,
      resource_type TEXT NOT NULL,
      scr_section TEXT CHECK (scr_section IS NULL OR scr_section IN ('core','additional-information')),
      scr_group TEXT CHECK (scr_group IS NULL OR scr_group IN
        ('medications','allergies','problems','procedures','anticipatory-care','end-of-life','immunisations')),
      mig_section TEXT CHECK (mig_section IS NULL OR mig_section IN
        ('problems','medication','allergies','encounters','investigations','immunisations','referrals')),
      private INTEGER NOT NULL CHECK (private IN (0,1)),
      resource TEXT NOT NULL,       -- FHIR R4 JSON
      PRIMARY KEY (patient_nhs, seq)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE care_relation (
      patient_nhs TEXT NOT NULL REFERENCES patient(nhs),
      org_code TEXT NOT NULL REFERENCES organisation(code),
      kind TEXT NOT NULL CHECK (kind IN ('referred','treated')),
      PRIMARY KEY (patient_nhs, org_code, kind)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sharing_preference (
      patient_nhs TEXT PRIMARY KEY REFERENCES patient(nhs),
      scr TEXT NOT NULL CHECK (scr IN ('opted-out','core','core-and-additional')),
      sensitive TEXT NOT NULL CHECK (sensitive IN ('excluded','included')),
      mig TEXT NOT NULL CHECK (mig IN ('share','dissent'))
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sharing_preference_change (
      id INTEGER PRIMARY KEY,
      patient_nhs TEXT NOT NULL REFERENCES patient(nhs),
      at TEXT NOT NULL,
      by_user_id TEXT NOT NULL,
      by_name TEXT NOT NULL,
      from_json TEXT NOT NULL,
      to_json TEXT NOT NULL,
      patient_statement TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sharing_preference_change_by_patient ON sharing_preference_change (patient_nhs, id);

    CREATE TABLE dataset_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `);
}
