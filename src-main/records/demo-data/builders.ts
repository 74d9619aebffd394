/**
 * Builders for one synthetic patient's FHIR items, each with its SCR / MIG placement, sensitivity labels and
 * private flag. Shared by the random population and the fixed demo patients so both look the same.
 */
import {
  NHS_NUMBER_SYSTEM,
  ODS_CODE_SYSTEM,
  type ClinicalResource,
  type OrgReference,
} from '../../domain/fhir-resources';
import { securityLabels, type SensitiveCategory } from '../../domain/sensitivity';
import type { Organisation, SourceItem, ScrGroup, MigSection } from '../../domain/record-items';

export interface ItemOptions {
  sensitive?: SensitiveCategory;
  private?: boolean;
}

export interface ItemBuilder {
  readonly items: SourceItem[];
  readonly relations: { org: string; kind: 'referred' | 'treated' }[];
  medication(
    text: string,
    dose: string,
    start: string,
    status: 'active' | 'completed',
    o?: ItemOptions,
  ): void;
  allergy(
    substance: string,
    reaction: string,
    category: 'medication' | 'food' | 'environment',
    criticality: 'low' | 'high',
    recorded: string,
  ): void;
  problem(text: string, onset: string, resolved: boolean, o?: ItemOptions): void;
  procedure(text: string, performed: string, o?: ItemOptions): void;
  immunisation(text: string, date: string): void;
  carePlan(kind: 'anticipatory-care' | 'end-of-life', text: string, created: string): void;
  communicationPreference(text: string, start: string): void;
  encounter(org: Organisation, type: string, date: string): void;
  investigation(text: string, value: string, date: string): void;
  referral(org: Organisation, text: string, date: string): void;
}

const orgRef = (org: Organisation): OrgReference => ({
  identifier: { system: ODS_CODE_SYSTEM, value: org.code },
  display: org.name,
});

export function itemBuilder(nhs: string): ItemBuilder {
  const items: SourceItem[] = [];
  const relations: { org: string; kind: 'referred' | 'treated' }[] = [];
  let seq = 0;
  const subject = { identifier: { system: NHS_NUMBER_SYSTEM as typeof NHS_NUMBER_SYSTEM, value: nhs } };
  const nextId = () => `${nhs}-${++seq}`;
  const meta = (o?: ItemOptions) => (o?.sensitive ? { meta: { security: securityLabels(o.sensitive) } } : {});
  const push = (
    resource: ClinicalResource,
    scr: SourceItem['scr'],
    mig: MigSection | null,
    o?: ItemOptions,
  ) => items.push({ resource, scr, mig, private: o?.private ?? false });
  const ai = (group: ScrGroup): SourceItem['scr'] => ({ section: 'additional-information', group });

  return {
    items,
    relations,
    medication(text, dose, start, status, o) {
      push(
        {
          resourceType: 'MedicationStatement',
          id: nextId(),
          ...meta(o),
          subject,
          status,
          medicationCodeableConcept: { text },
          dosage: [{ text: dose }],
          effectivePeriod: { start },
        },
        { section: 'core', group: 'medications' },
        'medication',
        o,
      );
    },
    allergy(substance, reaction, category, criticality, recorded) {
      push(
        {
          resourceType: 'AllergyIntolerance',
          id: nextId(),
          patient: subject,
          clinicalStatus: { text: 'Active' },
          category: [category],
          criticality,
          code: { text: substance },
          recordedDate: recorded,
          reaction: [{ manifestation: [{ text: reaction }] }],
        },
        { section: 'core', group: 'allergies' },
        'allergies',
      );
    },
    problem(text, onset, resolved, o) {
      push(
        {
          resourceType: 'Condition',
          id: nextId(),
          ...meta(o),
          subject,
          clinicalStatus: { text: resolved ? 'Resolved' : 'Active' },
          code: { text },
          onsetDateTime: onset,
        },
        ai('problems'),
        'problems',
        o,
      );
    },
    procedure(text, performed, o) {
      // MIG has no procedures view of its own; significant procedures appear among problems there.
      push(
        {
          resourceType: 'Procedure',
          id: nextId(),
          ...meta(o),
          subject,
          status: 'completed',
          code: { text },
          performedDateTime: performed,
        },
        ai('procedures'),
        'problems',
        o,
      );
    },
    immunisation(text, date) {
      push(
        {
          resourceType: 'Immunization',
          id: nextId(),
          patient: subject,
          status: 'completed',
          vaccineCode: { text },
          occurrenceDateTime: date,
        },
        ai('immunisations'),
        'immunisations',
      );
    },
    carePlan(kind, text, created) {
      push(
        {
          resourceType: 'CarePlan',
          id: nextId(),
          subject,
          status: 'active',
          intent: 'plan',
          category: [{ text: kind === 'end-of-life' ? 'End of life care' : 'Anticipatory care' }],
          title: kind === 'end-of-life' ? 'End of life care plan' : 'Anticipatory care plan',
          description: text,
          created,
        },
        ai(kind),
        null,
      );
    },
    communicationPreference(text, start) {
      push(
        {
          resourceType: 'Flag',
          id: nextId(),
          subject,
          status: 'active',
          category: [{ text: 'Communication preference' }],
          code: { text },
          period: { start },
        },
        ai('anticipatory-care'),
        null,
      );
    },
    encounter(org, type, date) {
      push(
        {
          resourceType: 'Encounter',
          id: nextId(),
          subject,
          status: 'finished',
          class: { code: type.startsWith('Emergency') ? 'EMER' : type.includes('home') ? 'HH' : 'AMB' },
          type: [{ text: type }],
          period: { start: date },
          serviceProvider: orgRef(org),
        },
        null,
        'encounters',
      );
      relations.push({ org: org.code, kind: 'treated' });
    },
    investigation(text, value, date) {
      push(
        {
          resourceType: 'Observation',
          id: nextId(),
          subject,
          status: 'final',
          code: { text },
          effectiveDateTime: date,
          valueString: value,
        },
        null,
        'investigations',
      );
    },
    referral(org, text, date) {
      push(
        {
          resourceType: 'ServiceRequest',
          id: nextId(),
          subject,
          status: 'active',
          intent: 'order',
          code: { text },
          authoredOn: date,
          performer: [orgRef(org)],
        },
        null,
        'referrals',
      );
      relations.push({ org: org.code, kind: 'referred' });
    },
  };
}
