/**
 * The record source boundary: what the workstation asks of wherever shared records live. Shaped like a remote FHIR
 * source (SCR / GP Connect style: patient by NHS number, demographic search, a bundle of clinical resources) so a
 * network implementation can replace the local SQLite one without touching policy or views.
 */
import type { OrgType } from '../../../src-shared/domain/rbac';
import type {
  PatientSummary,
  SharingPreferences,
  PreferenceChange,
} from '../../../src-shared/domain/records';
import type { ClinicalResource, FhirPatient } from './fhir';

/** Where an item sits in the Summary Care Record: core (medication, allergies) or Additional Information. */
export type ScrSection = 'core' | 'additional-information';

/** The SCR display group the item belongs to (core: medications, allergies; AI: the rest). */
export type ScrGroup =
  | 'medications'
  | 'allergies'
  | 'problems'
  | 'procedures'
  | 'anticipatory-care'
  | 'end-of-life'
  | 'immunisations';

export const SCR_CORE_GROUPS: readonly ScrGroup[] = ['medications', 'allergies'];
export const SCR_AI_GROUPS: readonly ScrGroup[] = [
  'problems',
  'procedures',
  'anticipatory-care',
  'end-of-life',
  'immunisations',
];

export type MigSection =
  'problems' | 'medication' | 'allergies' | 'encounters' | 'investigations' | 'immunisations' | 'referrals';

export const MIG_SECTIONS: readonly MigSection[] = [
  'problems',
  'medication',
  'allergies',
  'encounters',
  'investigations',
  'immunisations',
  'referrals',
];

/** One clinical item with the sharing metadata the GP system attaches to it. Sensitivity is in resource.meta.security. */
export interface SourceItem {
  resource: ClinicalResource;
  /** null when the item is not part of the SCR at all (e.g. encounters, investigations). */
  scr: { section: ScrSection; group: ScrGroup } | null;
  /** null when the item is not shared through the MIG. */
  mig: MigSection | null;
  /** Marked private by the GP: never shared. */
  private: boolean;
}

export interface Organisation {
  code: string;
  name: string;
  type: OrgType;
}

/** Organisations the patient has a care relationship with (for the legitimate relationship check). */
export interface CareOrganisations {
  registeredWith: string | null;
  referredTo: readonly string[];
  treatedBy: readonly string[];
}

export interface PreferenceUpdate {
  to: SharingPreferences;
  at: string;
  byUserId: string;
  byName: string;
  patientStatement: string;
}

export interface RecordSource {
  /** Demographics (no clinical data), or null when unknown. The NHS number must already be validated. */
  getPatient(nhsNumber: string): PatientSummary | null;
  /** The patient as a FHIR Patient resource. */
  getFhirPatient(nhsNumber: string): FhirPatient | null;
  searchByNhsNumber(nhsNumber: string): PatientSummary[];
  /** Exact family name (case-insensitive), optional given-name prefix, exact birth date (YYYY-MM-DD). */
  searchByDemographics(family: string, given: string | undefined, birthDate: string): PatientSummary[];
  getItems(nhsNumber: string): SourceItem[];
  getCareOrganisations(nhsNumber: string): CareOrganisations;
  getOrganisation(code: string): Organisation | null;
  getPreferences(nhsNumber: string): { current: SharingPreferences; history: PreferenceChange[] };
  /** Records a change (with history) and returns the new state. Throws if the patient is unknown. */
  setPreferences(
    nhsNumber: string,
    update: PreferenceUpdate,
  ): { current: SharingPreferences; history: PreferenceChange[] };
  close(): void;
}

export const DEFAULT_PREFERENCES: SharingPreferences = { scr: 'core', sensitive: 'excluded', mig: 'share' };
