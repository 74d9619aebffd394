/**
 * Channels for patient search, the encounter (legitimate relationship, permission to view) and record views.
 * Every NHS number is checked (modulus 11) and normalised by the schema itself, so no handler sees a bad one.
 */
import { z } from 'zod';
import { channel } from '../define';
import { Pin } from './session';
import {
  NhsNumber,
  PatientSummary,
  EncounterView,
  AlertDelivery,
  PtvView,
  RecordView,
  SharingPreferences,
  PreferenceChange,
  ScrLevel,
  SensitiveConsent,
  MigConsent,
} from '../../domain/records';

const Text = (max: number) => z.string().trim().min(1).max(max);

export const PatientSearch = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('nhs-number'), nhsNumber: NhsNumber }).strict(),
  z
    .object({
      kind: z.literal('demographics'),
      family: Text(100),
      given: z.string().trim().max(100).optional(),
      birthDate: z.iso.date({ error: 'Enter a real date of birth.' }),
      /** Similar spellings too (PDS fuzzy match): offered only after an ordinary search found nobody. */
      fuzzy: z.literal(true).optional(),
    })
    .strict(),
]);

export const PtvRequest = z.discriminatedUnion('choice', [
  z.object({ choice: z.literal('given'), nhsNumber: NhsNumber }).strict(),
  z.object({ choice: z.literal('refused'), nhsNumber: NhsNumber }).strict(),
  z
    .object({
      choice: z.literal('emergency'),
      nhsNumber: NhsNumber,
      reason: z.enum(['medical-emergency', 'safeguarding']),
      text: Text(500),
      pin: Pin,
      /**
       * The emergency path: no legitimate relationship is recorded and the patient cannot be asked. The same step
       * records a self-claimed relationship ("treating now", with the same account) and the override, with one PIN
       * check; both are audited as privacy officer alerts in the one encounter.
       */
      claimRelationship: z.literal(true).optional(),
    })
    .strict(),
  z
    .object({
      choice: z.literal('legal'),
      nhsNumber: NhsNumber,
      /** SCR alert codes: 1 public interest, 2 required by statute, 3 court order, 6 other. */
      reasonCode: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(6)]),
      text: Text(500),
      pin: Pin,
    })
    .strict(),
]);

export const recordChannels = {
  'patients.search': channel(PatientSearch, z.object({ results: z.array(PatientSummary) })),
  'encounter.open': channel(z.object({ nhsNumber: NhsNumber }).strict(), EncounterView),
  'encounter.close': channel(z.object({}).strict(), z.object({})),
  'encounter.claimRelationship': channel(
    z
      .object({
        nhsNumber: NhsNumber,
        reason: z.enum(['treating-now', 'referred-informally', 'other']),
        text: Text(500),
      })
      .strict(),
    EncounterView,
  ),
  'ptv.record': channel(PtvRequest, PtvView),
  /** Where one of the open encounter's privacy officer alerts stands now (by its id, from the PtvView). */
  'encounter.alertDelivery': channel(z.object({ id: AlertDelivery.shape.id }).strict(), AlertDelivery),
  'record.scr': channel(z.object({ nhsNumber: NhsNumber }).strict(), RecordView),
  'record.mig': channel(z.object({ nhsNumber: NhsNumber }).strict(), RecordView),
  'preferences.get': channel(
    z.object({ nhsNumber: NhsNumber }).strict(),
    z.object({ current: SharingPreferences, history: z.array(PreferenceChange) }),
  ),
  'preferences.set': channel(
    z
      .object({
        nhsNumber: NhsNumber,
        scr: ScrLevel,
        sensitive: SensitiveConsent,
        mig: MigConsent,
        patientStatement: Text(1000),
      })
      .strict(),
    z.object({ current: SharingPreferences, history: z.array(PreferenceChange) }),
  ),
};

export type RecordChannelName = keyof typeof recordChannels;

export const recordEvents = {
  /** Pushed when an alert of the open encounter moves on (sending, waiting, told). */
  alertDelivery: AlertDelivery,
};
