/**
 * The clinical items and care facts that the policy, the encounter and the record views share: one clinical
 * item with the sharing metadata the GP system attaches to it, the SCR groups and MIG sections items fall in, and
 * the organisations a patient has a care relationship with. Domain types: no I/O, no source.
 */
import type { OrgType } from '../../src-shared/domain/rbac';
import type { SharingPreferences } from '../../src-shared/domain/records';
import type { ClinicalResource } from './fhir-resources';

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

export const DEFAULT_PREFERENCES: SharingPreferences = { scr: 'core', sensitive: 'excluded', mig: 'share' };
