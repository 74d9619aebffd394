/** The shape of one generated patient before it is written to the record store. */
import type { SharingPreferences } from '../../../src-shared/domain/records';
import type { SourceItem } from '../../domain/record-items';

export interface GeneratedPatient {
  nhs: string;
  family: string;
  given: string[];
  prefix?: string;
  birthDate: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  addressLine: string;
  postcode: string;
  /** ODS code of the registered GP practice, or null when not registered anywhere we know. */
  gpCode: string | null;
  items: SourceItem[];
  relations: { org: string; kind: 'referred' | 'treated' }[];
  preferences: SharingPreferences;
  /** The patient's recorded wish when preferences differ from the default (kept as the first history entry). */
  preferenceStatement?: string;
  /** What the demographics service (PDS) holds beyond the plain record; only the live test services use it. */
  pds?: {
    /** Restricted (v3-Confidentiality R): address, telecom and GP are held but never answered. */
    restricted?: true;
    /** Earlier NHS numbers that this one superseded (PDS answers this record for them). */
    supersededNumbers?: string[];
  };
  /** Demographics the shared care record holds where they differ from PDS (the mismatch warning). */
  sharedCareDemographics?: Partial<Pick<GeneratedPatient, 'family' | 'given' | 'birthDate' | 'gender'>>;
}

/** Reference date for every generated date, so the same seed gives the same file on any day. */
export const AS_OF = '2026-11-01';
