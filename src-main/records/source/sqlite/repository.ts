/**
 * Typed queries over the record store. Every row is parsed with zod on the way out: the database is a file that
 * may have been produced by another program or version.
 */
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { OrgType } from '../../../../src-shared/domain/rbac';
import { SharingPreferences, PatientSummary } from '../../../../src-shared/domain/records';
import { ClinicalResource } from '../../../domain/fhir-resources';
import {
  SCR_CORE_GROUPS,
  type CareOrganisations,
  type Organisation,
  type SourceItem,
  type ScrGroup,
  type MigSection,
} from '../../../domain/record-items';

/** Lower-case letters only: "O'Brien-Smith" and "obrien smith" find the same people. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

const PatientRow = z.object({
  nhs: z.string(),
  family: z.string(),
  given: z.string(),
  prefix: z.string().nullable(),
  birth_date: z.string(),
  gender: z.enum(['male', 'female', 'other', 'unknown']),
  address_line: z.string(),
  postcode: z.string(),
  gp_code: z.string().nullable(),
  gp_name: z.string().nullable(),
});
export type PatientRow = z.infer<typeof PatientRow>;

const GivenNames = z.array(z.string());

const ItemRow = z.object({
  scr_section: z.enum(['core', 'additional-information']).nullable(),
  scr_group: z
    .enum([
      'medications',
      'allergies',
      'problems',
      'procedures',
      'anticipatory-care',
      'end-of-life',
      'immunisations',
    ])
    .nullable(),
  mig_section: z
    .enum([
      'problems',
      'medication',
      'allergies',
      'encounters',
      'investigations',
      'immunisations',
      'referrals',
    ])
    .nullable(),
  private: z.union([z.literal(0), z.literal(1)]),
  resource: z.string(),
});

const OrgRow = z.object({ code: z.string(), name: z.string(), type: OrgType });
const RelationRow = z.object({ org_code: z.string(), kind: z.enum(['referred', 'treated']) });
const PreferenceRow = z.object({ scr: z.string(), sensitive: z.string(), mig: z.string() });
const ChangeRow = z.object({
  at: z.string(),
  by_user_id: z.string(),
  by_name: z.string(),
  from_json: z.string(),
  to_json: z.string(),
  patient_statement: z.string(),
});

const NOT_REGISTERED = 'No registered GP practice';

export function toSummary(row: PatientRow): PatientSummary {
  const summary: PatientSummary = {
    nhsNumber: row.nhs,
    family: row.family,
    given: GivenNames.parse(JSON.parse(row.given)),
    birthDate: row.birth_date,
    gender: row.gender,
    addressLine: row.address_line,
    postcode: row.postcode,
    gpPracticeName: row.gp_name ?? (row.gp_code ? row.gp_code : NOT_REGISTERED),
  };
  if (row.prefix) summary.prefix = row.prefix;
  return PatientSummary.parse(summary);
}

const PATIENT_COLUMNS = `p.nhs, p.family, p.given, p.prefix, p.birth_date, p.gender, p.address_line, p.postcode, p.gp_code,
  o.name AS gp_name`;

export interface Repository {
  patient(nhs: string): PatientRow | null;
  patientsByNameDob(familyKey: string, birthDate: string): PatientRow[];
  items(nhs: string): SourceItem[];
  careOrganisations(nhs: string): CareOrganisations;
  organisation(code: string): Organisation | null;
  preferences(nhs: string): SharingPreferences | null;
  preferenceHistory(nhs: string): z.infer<typeof ChangeRow>[];
  /** Upserts the current preferences and appends the change, in one transaction. */
  recordPreferenceChange(nhs: string, change: z.infer<typeof ChangeRow>, to: SharingPreferences): void;
}

export function createRepository(db: Database): Repository {
  const q = {
    patient: db.prepare(
      `SELECT ${PATIENT_COLUMNS} FROM patient p LEFT JOIN organisation o ON o.code = p.gp_code WHERE p.nhs = ?`,
    ),
    byNameDob: db.prepare(
      `SELECT ${PATIENT_COLUMNS} FROM patient p LEFT JOIN organisation o ON o.code = p.gp_code
       WHERE p.family_key = ? AND p.birth_date = ? ORDER BY p.given_key, p.nhs LIMIT 200`,
    ),
    items: db.prepare(
      'SELECT scr_section, scr_group, mig_section, private, resource FROM item WHERE patient_nhs = ? ORDER BY seq',
    ),
    relations: db.prepare('SELECT org_code, kind FROM care_relation WHERE patient_nhs = ?'),
    org: db.prepare('SELECT code, name, type FROM organisation WHERE code = ?'),
    prefs: db.prepare('SELECT scr, sensitive, mig FROM sharing_preference WHERE patient_nhs = ?'),
    history: db.prepare(
      'SELECT at, by_user_id, by_name, from_json, to_json, patient_statement FROM sharing_preference_change WHERE patient_nhs = ? ORDER BY id',
    ),
    upsertPrefs: db.prepare(
      `INSERT INTO sharing_preference (patient_nhs, scr, sensitive, mig) VALUES (?, ?, ?, ?)
       ON CONFLICT (patient_nhs) DO UPDATE SET scr = excluded.scr, sensitive = excluded.sensitive, mig = excluded.mig`,
    ),
    appendChange: db.prepare(
      `INSERT INTO sharing_preference_change (patient_nhs, at, by_user_id, by_name, from_json, to_json, patient_statement)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };

  const recordChange = db.transaction(
    (nhs: string, change: z.infer<typeof ChangeRow>, to: SharingPreferences) => {
      q.upsertPrefs.run(nhs, to.scr, to.sensitive, to.mig);
      q.appendChange.run(
        nhs,
        change.at,
        change.by_user_id,
        change.by_name,
        change.from_json,
        change.to_json,
        change.patient_statement,
      );
    },
  );

  return {
    patient(nhs) {
      const row = q.patient.get(nhs);
      return row === undefined ? null : PatientRow.parse(row);
    },
    patientsByNameDob(familyKey, birthDate) {
      return q.byNameDob.all(familyKey, birthDate).map((r) => PatientRow.parse(r));
    },
    items(nhs) {
      return q.items.all(nhs).map((raw) => {
        const row = ItemRow.parse(raw);
        if ((row.scr_section === null) !== (row.scr_group === null)) {
          throw new Error('records database: an item has an SCR section without a group (or the reverse)');
        }
        if (row.scr_group && SCR_CORE_GROUPS.includes(row.scr_group) !== (row.scr_section === 'core')) {
          throw new Error("records database: an item's SCR group does not belong to its SCR section");
        }
        const item: SourceItem = {
          resource: ClinicalResource.parse(JSON.parse(row.resource)),
          scr:
            row.scr_section && row.scr_group
              ? { section: row.scr_section, group: row.scr_group satisfies ScrGroup }
              : null,
          mig: row.mig_section satisfies MigSection | null,
          private: row.private === 1,
        };
        return item;
      });
    },
    careOrganisations(nhs) {
      const p = q.patient.get(nhs);
      const gp = p === undefined ? null : PatientRow.parse(p).gp_code;
      const referredTo: string[] = [];
      const treatedBy: string[] = [];
      for (const raw of q.relations.all(nhs)) {
        const r = RelationRow.parse(raw);
        (r.kind === 'referred' ? referredTo : treatedBy).push(r.org_code);
      }
      return { registeredWith: gp, referredTo, treatedBy };
    },
    organisation(code) {
      const row = q.org.get(code);
      return row === undefined ? null : OrgRow.parse(row);
    },
    preferences(nhs) {
      const row = q.prefs.get(nhs);
      return row === undefined ? null : SharingPreferences.parse(PreferenceRow.parse(row));
    },
    preferenceHistory(nhs) {
      return q.history.all(nhs).map((r) => ChangeRow.parse(r));
    },
    recordPreferenceChange(nhs, change, to) {
      recordChange(nhs, change, to);
    },
  };
}
