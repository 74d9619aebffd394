/**
 * The record source boundary: what the workstation asks of wherever patients and shared records live. Every call
 * is asynchronous and cancellable: a lock, a patient change or a sign-out aborts what is in flight (the context's
 * signal) and its answer is dropped. Implemented over the remote record services (demographics, Summary Care
 * Record, shared care record; docs/specs/record-services.md) and, for tests, in memory.
 */
import type {
  PatientSummary,
  SharingPreferences,
  PreferenceChange,
} from '../../../src-shared/domain/records';
import type { CareOrganisations, SourceItem } from '../../domain/record-items';
import type { SignedInUser } from '../../session/port';
import type { ScrDocument } from '../../domain/scr-document';

/** Who asks, within which encounter, and the signal that cancels the request. */
export interface SourceContext {
  signal: AbortSignal;
  user: SignedInUser;
  /** The encounter (or, outside one, the request) every call of this piece of work is correlated by. */
  correlationId: string;
}

export interface PreferenceUpdate {
  to: SharingPreferences;
  at: string;
  byUserId: string;
  byName: string;
  patientStatement: string;
}

export interface PreferencesState {
  current: SharingPreferences;
  history: PreferenceChange[];
}

export interface DemographicQuery {
  family: string;
  given?: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** Similar spellings too (PDS `_fuzzy-match`); sources without it search exactly. */
  fuzzy?: boolean;
}

export interface RecordSource {
  /** Demographics (no clinical data), or null when unknown. */
  getPatient(nhsNumber: string, ctx: SourceContext): Promise<PatientSummary | null>;
  searchByNhsNumber(nhsNumber: string, ctx: SourceContext): Promise<PatientSummary[]>;
  /** Exact family name (case-insensitive), optional given-name prefix, exact birth date. */
  searchByDemographics(query: DemographicQuery, ctx: SourceContext): Promise<PatientSummary[]>;
  getItems(nhsNumber: string, ctx: SourceContext): Promise<SourceItem[]>;
  /**
   * The Summary Care Record as the SCR service sends it (typed text, coded entries with their labels), or null
   * when the patient has none. Remote sources have it; a source without it builds the SCR from getItems.
   */
  getScr?(nhsNumber: string, ctx: SourceContext): Promise<ScrDocument | null>;
  getCareOrganisations(nhsNumber: string, ctx: SourceContext): Promise<CareOrganisations>;
  getPreferences(nhsNumber: string, ctx: SourceContext): Promise<PreferencesState>;
  /** Records a change (with history) and returns the new state. Throws if the patient is unknown. */
  setPreferences(nhsNumber: string, update: PreferenceUpdate, ctx: SourceContext): Promise<PreferencesState>;
  close(): void;
}
