/**
 * The shared care record client (plain FHIR R4, docs/specs/record-services.md section 6): the patient by NHS
 * number, the clinical resources of the record in parallel searches, and the patient's sharing preferences as one
 * Consent whose versions are the history; a change is sent with If-Match and a concurrent one is refused (412).
 */
import { z } from 'zod';
import { ClinicalResource, NHS_NUMBER_SYSTEM } from '../../domain/fhir-resources';
import { Refusal } from '../../domain/errors';
import type { PreferenceChange } from '../../../src-shared/domain/records';
import { decodeConsent, encodeConsent, type ConsentRecord } from '../shared-care/consent-codec';
import { RecordShapeError } from '../remote-shape';
import type { SourceContext } from '../source/types';
import { Searchset } from './fhir-answers';
import type { ServiceClient } from './service-client';

/** The record's resource types, each searched with ?patient= (Procedure too: the shared care record holds them). */
export const SHARED_CARE_SEARCHES = [
  'Condition',
  'Procedure',
  'MedicationStatement',
  'AllergyIntolerance',
  'Encounter',
  'Observation',
  'Immunization',
  'ServiceRequest',
] as const;

/** Most resources of one type read for one patient (a record with more is refused rather than cut short). */
const MAX_PER_TYPE = 1000;

/** What the workstation reads of the shared care record's Patient: who it is, to compare with PDS. */
const SharedPatient = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string().min(1).max(64),
  identifier: z.array(z.looseObject({ system: z.string().optional(), value: z.string().optional() })).min(1),
  name: z
    .array(z.looseObject({ family: z.string().optional(), given: z.array(z.string()).optional() }))
    .optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: z.string().optional(),
});
export type SharedPatient = z.infer<typeof SharedPatient>;

/**
 * What the attendance check reads of an Encounter: when it started, where, and what it was. Looser than the
 * record's Encounter (no subject shape required: the search was by patient), so any attendance the shared care
 * record holds counts.
 */
const AttendedEncounter = z.looseObject({
  resourceType: z.literal('Encounter'),
  id: z.string().min(1).max(64),
  class: z
    .looseObject({ code: z.string().max(100).optional(), display: z.string().max(200).optional() })
    .optional(),
  type: z
    .array(z.looseObject({ text: z.string().max(200).optional() }))
    .max(20)
    .optional(),
  period: z.looseObject({ start: z.string().max(40).optional() }).optional(),
  serviceProvider: z
    .looseObject({
      identifier: z
        .looseObject({ system: z.string().max(200).optional(), value: z.string().max(20).optional() })
        .optional(),
      display: z.string().max(200).optional(),
    })
    .optional(),
});
export type AttendedEncounter = z.infer<typeof AttendedEncounter>;

export interface SharedCarePatient {
  id: string;
  patient: SharedPatient;
}

export interface ConsentState {
  id: string;
  versionId: string;
  record: ConsentRecord;
  /** Every change, oldest first (the first version is the starting point, not a change). */
  history: PreferenceChange[];
}

export interface SharedCareClient {
  patient(nhsNumber: string, ctx: SourceContext): Promise<SharedCarePatient | null>;
  resources(patientId: string, ctx: SourceContext): Promise<ClinicalResource[]>;
  consent(patientId: string, ctx: SourceContext): Promise<ConsentState | null>;
  /** The patient's Encounters whose period starts between two instants (the privacy officer's attendance check). */
  encounters(
    patientId: string,
    window: { from: string; to: string },
    ctx: SourceContext,
  ): Promise<AttendedEncounter[]>;
  /** Writes a new version over `base` (If-Match its version); 412 becomes a conflict refusal. */
  updateConsent(base: ConsentState, record: ConsentRecord, ctx: SourceContext): Promise<void>;
}

const Versioned = z.looseObject({
  resourceType: z.literal('Consent'),
  id: z.string().min(1).max(64),
  meta: z.looseObject({ versionId: z.string().min(1).max(64), lastUpdated: z.string().optional() }),
});

function readEntries<T>(json: unknown, what: string, read: (r: unknown, i: number) => T): T[] {
  const set = Searchset.parse(json);
  if (set.entry.length > MAX_PER_TYPE)
    throw new RecordShapeError('too-large', `more than ${MAX_PER_TYPE} ${what} resources`);
  if (set.link?.some((l) => l.relation === 'next'))
    throw new RecordShapeError('too-large', `the ${what} resources did not fit one page`);
  return set.entry.filter((e) => e.search?.mode !== 'include').map((e, i) => read(e.resource, i));
}

export function createSharedCareClient(client: ServiceClient): SharedCareClient {
  return {
    async patient(nhsNumber, ctx) {
      const answer = await client.call(
        {
          method: 'GET',
          path: 'Patient',
          query: { identifier: `${NHS_NUMBER_SYSTEM}|${nhsNumber}` },
          expect: (json) =>
            readEntries(json, 'Patient', (r) => {
              const p = SharedPatient.parse(r);
              const id = p.id;
              if (!p.identifier.some((i) => i.system === NHS_NUMBER_SYSTEM && i.value === nhsNumber))
                throw new RecordShapeError('wrong-patient', 'a Patient with another NHS number');
              return { id, patient: p };
            }),
        },
        ctx,
      );
      if (!answer.ok) return null;
      if (answer.value.length > 1)
        throw new Refusal(
          'unavailable',
          'The shared care record service holds more than one record for this NHS number. Nothing was shown. Tell your IT service desk.',
          { service: 'sharedCare', reason: 'duplicate-patient' },
        );
      return answer.value[0] ?? null;
    },

    async resources(patientId, ctx) {
      const lists = await Promise.all(
        SHARED_CARE_SEARCHES.map((type) =>
          client.call(
            {
              method: 'GET',
              path: type,
              query: { patient: `Patient/${patientId}`, _count: String(MAX_PER_TYPE) },
              expect: (json) =>
                readEntries(json, type, (r) => {
                  if ((r as { resourceType?: unknown }).resourceType !== type)
                    throw new RecordShapeError('wrong-type', `a search for ${type} answered another type`);
                  return ClinicalResource.parse(r);
                }),
            },
            ctx,
          ),
        ),
      );
      return lists.flatMap((a) => (a.ok ? a.value : []));
    },

    async encounters(patientId, window, ctx) {
      // `date` twice (and): the repeated parameter goes in the path, which a query record cannot hold twice.
      const answer = await client.call(
        {
          method: 'GET',
          path: `Encounter?date=ge${encodeURIComponent(window.from)}&date=le${encodeURIComponent(window.to)}`,
          query: { patient: `Patient/${patientId}`, _count: String(MAX_PER_TYPE) },
          expect: (json) => readEntries(json, 'Encounter', (r) => AttendedEncounter.parse(r)),
        },
        ctx,
      );
      return answer.ok ? answer.value : [];
    },

    async consent(patientId, ctx) {
      const found = await client.call(
        {
          method: 'GET',
          path: 'Consent',
          query: { patient: `Patient/${patientId}` },
          expect: (json) => readEntries(json, 'Consent', (r) => Versioned.parse(r)),
        },
        ctx,
      );
      if (!found.ok || found.value.length === 0) return null;
      if (found.value.length > 1)
        throw new Refusal(
          'unavailable',
          'The shared care record service holds more than one set of sharing preferences for this patient. Nothing was shown. Tell your IT service desk.',
          { service: 'sharedCare', reason: 'duplicate-consent' },
        );
      const current = found.value[0]!;
      const history = await client.call(
        {
          method: 'GET',
          path: `Consent/${current.id}/_history`,
          query: { _count: '1000' },
          expect: (json) => {
            const set = z
              .looseObject({
                resourceType: z.literal('Bundle'),
                type: z.literal('history'),
                entry: z.array(z.looseObject({ resource: z.unknown().optional() })).default([]),
              })
              .parse(json);
            return set.entry
              .filter((e) => e.resource !== undefined)
              .map((e) => ({ meta: Versioned.parse(e.resource).meta, record: decodeConsent(e.resource) }));
          },
        },
        ctx,
      );
      const versions = (history.ok ? history.value : []).sort(
        (a, b) =>
          Number(a.meta.versionId) - Number(b.meta.versionId) || a.record.at.localeCompare(b.record.at),
      );
      const changes: PreferenceChange[] = [];
      for (let i = 1; i < versions.length; i++) {
        const before = versions[i - 1]!.record;
        const after = versions[i]!.record;
        changes.push({
          at: after.at,
          byUserId: after.by.userId,
          byName: after.by.name,
          from: before.preferences,
          to: after.preferences,
          patientStatement: after.statement,
        });
      }
      return {
        id: current.id,
        versionId: current.meta.versionId,
        record: decodeConsent(current),
        history: changes,
      };
    },

    async updateConsent(base, record, ctx) {
      const answer = await client.call(
        {
          method: 'PUT',
          path: `Consent/${base.id}`,
          headers: { 'if-match': `W/"${base.versionId}"` },
          body: { ...encodeConsent(record), id: base.id },
          expect: (json) => Versioned.parse(json),
          passThrough: [409, 412],
        },
        ctx,
      );
      if (!answer.ok)
        throw new Refusal(
          'conflict',
          "Someone else changed this patient's sharing preferences while you were recording them. Nothing was changed. Look at the preferences again, then record the patient's wishes.",
        );
    },
  };
}
