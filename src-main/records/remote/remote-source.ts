/**
 * The record source over the three remote services (docs/specs/record-services.md): demographics from PDS
 * (with the shared care record's demographics compared field by field), the Summary Care Record from the SCR
 * service, the detailed record and the sharing preferences from the shared care record. Every call carries the
 * encounter's signal and correlation id; nothing received is written to disk.
 */
import type {
  DemographicMismatch,
  PatientSummary,
  SharingPreferences,
} from '../../../src-shared/domain/records';
import type { PatientView } from '../../../src-shared/domain/patient-view';
import { Refusal } from '../../domain/errors';
import type { ClinicalResource } from '../../domain/fhir-resources';
import {
  DEFAULT_PREFERENCES,
  type CareOrganisations,
  type MigSection,
  type SourceItem,
} from '../../domain/record-items';
import type { ScrDocument } from '../../domain/scr-document';
import type {
  DemographicQuery,
  PreferencesState,
  PreferenceUpdate,
  RecordSource,
  SourceContext,
} from '../source/types';
import type { PdsClient } from './pds-client';
import type { ScrClient } from './scr-client';
import type { SharedCareClient, SharedPatient } from './shared-care-client';

export interface RemoteSourceDeps {
  pds: PdsClient;
  scr: ScrClient;
  sharedCare: SharedCareClient;
  /** Closes the transports' kept-alive connections. */
  close?: () => void;
}

export interface RemoteRecordSource extends RecordSource {
  getScr(nhsNumber: string, ctx: SourceContext): Promise<ScrDocument | null>;
}

const MIG_SECTION_OF: Record<ClinicalResource['resourceType'], MigSection | null> = {
  Condition: 'problems',
  Procedure: 'problems',
  MedicationStatement: 'medication',
  AllergyIntolerance: 'allergies',
  Encounter: 'encounters',
  Observation: 'investigations',
  Immunization: 'immunisations',
  ServiceRequest: 'referrals',
  CarePlan: null,
  Flag: null,
};

function summaryOf(v: PatientView, mismatch: DemographicMismatch[]): PatientSummary {
  const s: PatientSummary = {
    nhsNumber: v.nhsNumber,
    family: v.name?.family ?? '',
    given: v.name?.given ?? [],
    birthDate: v.born ?? '',
    gender: v.gender,
    addressLine: v.restricted ? '' : (v.address?.line ?? ''),
    postcode: v.restricted ? '' : (v.address?.postcode ?? ''),
    gpPracticeName: v.restricted ? '' : (v.gpPractice?.name ?? v.gpPractice?.odsCode ?? ''),
  };
  if (v.name?.prefix) s.prefix = v.name.prefix;
  if (v.restricted) s.restricted = true;
  if (v.superseded) s.supersededNumber = v.superseded.requested;
  if (mismatch.length > 0) s.mismatch = mismatch;
  return s;
}

const norm = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();

/** Name, birth date and gender as PDS and the shared care record hold them, where they differ. */
export function compareDemographics(pds: PatientView, shared: SharedPatient): DemographicMismatch[] {
  const out: DemographicMismatch[] = [];
  const name = shared.name?.[0];
  if (name && pds.name) {
    const a = `${pds.name.given.join(' ')} ${pds.name.family}`.trim();
    const b = `${(name.given ?? []).join(' ')} ${name.family ?? ''}`.trim();
    if (norm(a) !== norm(b)) out.push({ field: 'name', demographics: a, sharedCare: b });
  }
  if (shared.birthDate && pds.born && shared.birthDate !== pds.born)
    out.push({ field: 'birthDate', demographics: pds.born, sharedCare: shared.birthDate });
  if (shared.gender && shared.gender !== pds.gender)
    out.push({ field: 'gender', demographics: pds.gender, sharedCare: shared.gender });
  return out;
}

export function createRemoteRecordSource(deps: RemoteSourceDeps): RemoteRecordSource {
  const { pds, scr, sharedCare } = deps;

  const sharedPatientId = async (nhs: string, ctx: SourceContext): Promise<string | null> =>
    (await sharedCare.patient(nhs, ctx))?.id ?? null;

  const preferences = async (nhs: string, ctx: SourceContext) => {
    const id = await sharedPatientId(nhs, ctx);
    return id ? sharedCare.consent(id, ctx) : null;
  };

  const getPatient = async (nhs: string, ctx: SourceContext): Promise<PatientSummary | null> => {
    const [view, shared] = await Promise.all([
      pds.read(nhs, ctx),
      // The comparison is a warning, not a gate: a shared care record that cannot be read now is told when the
      // detailed record is asked for.
      sharedCare.patient(nhs, ctx).catch((err: unknown) => {
        if (err instanceof Refusal && err.kind === 'unavailable') return null;
        throw err;
      }),
    ]);
    if (!view) return null;
    return summaryOf(view, shared ? compareDemographics(view, shared.patient) : []);
  };

  return {
    getPatient,

    async searchByNhsNumber(nhs, ctx) {
      const p = await getPatient(nhs, ctx);
      return p ? [p] : [];
    },

    async searchByDemographics(q: DemographicQuery, ctx) {
      const matches = await pds.search(q, ctx);
      return matches.map((m) => ({ ...summaryOf(m.patient, []), match: m.band }));
    },

    async getItems(nhs, ctx): Promise<SourceItem[]> {
      const id = await sharedPatientId(nhs, ctx);
      if (!id) return [];
      const resources = await sharedCare.resources(id, ctx);
      return resources.map((resource) => ({
        resource,
        scr: null,
        mig: MIG_SECTION_OF[resource.resourceType],
        private: false,
      }));
    },

    async getScr(nhs, ctx) {
      const latest = await scr.latest(nhs, ctx);
      if (!latest) return null;
      if (latest.permission === 'No')
        throw new Refusal(
          'refused',
          'The patient has opted out of the Summary Care Record. Nothing was shown.',
        );
      return scr.record(nhs, latest, ctx);
    },

    async getCareOrganisations(nhs, ctx): Promise<CareOrganisations> {
      const [view, id] = await Promise.all([pds.read(nhs, ctx), sharedPatientId(nhs, ctx)]);
      const resources = id ? await sharedCare.resources(id, ctx) : [];
      const treatedBy = new Set<string>();
      const referredTo = new Set<string>();
      for (const r of resources) {
        if (r.resourceType === 'Encounter') treatedBy.add(r.serviceProvider.identifier.value);
        if (r.resourceType === 'ServiceRequest')
          for (const p of r.performer) referredTo.add(p.identifier.value);
      }
      return {
        registeredWith: view && !view.restricted ? (view.gpPractice?.odsCode ?? null) : null,
        referredTo: [...referredTo],
        treatedBy: [...treatedBy],
      };
    },

    async getPreferences(nhs, ctx): Promise<PreferencesState> {
      const state = await preferences(nhs, ctx);
      return state
        ? { current: state.record.preferences, history: state.history }
        : { current: DEFAULT_PREFERENCES, history: [] };
    },

    async setPreferences(nhs, update: PreferenceUpdate, ctx) {
      const id = await sharedPatientId(nhs, ctx);
      if (!id) throw new Refusal('not-found', 'The shared care record holds no record for this patient.');
      const base = await sharedCare.consent(id, ctx);
      if (!base)
        throw new Refusal(
          'unavailable',
          'The shared care record holds no sharing preferences for this patient to change. Nothing was changed. Tell your IT service desk.',
          { service: 'sharedCare', reason: 'no-consent' },
        );
      await sharedCare.updateConsent(
        base,
        {
          preferences: update.to,
          patient: { nhsNumber: nhs, reference: `Patient/${id}` },
          at: update.at,
          by: { userId: update.byUserId, name: update.byName },
          statement: update.patientStatement,
        },
        ctx,
      );
      // The SCR service keeps its own copy of the SCR consent: told after the shared care record took the change.
      await scr.setPermission(nhs, scrPermission(update.to), ctx);
      return this.getPreferences(nhs, ctx);
    },

    close() {
      deps.close?.();
    },
  };
}

const scrPermission = (p: SharingPreferences) => (p.scr === 'opted-out' ? 'No' : 'Yes');
