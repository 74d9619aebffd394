/**
 * The SCR's Composition sections, written for one request under the patient's current preferences: the Title
 * section (last update, source practice), the core sections always, the Additional Information sections only
 * with scr-additional permitted. Private items are never written; sensitive ones only with sensitive permitted;
 * a section that lost something is marked with the section-withheld extension. Each section's narrative is a
 * table (escaped, see narrative.ts).
 */
import type {
  AllergyIntolerance,
  CarePlan,
  CompositionSection,
  Condition,
  Flag,
  Immunization,
  MedicationRequest,
  Procedure,
  Resource,
} from '@medplum/fhirtypes';
import type { SharingPreferences } from '../../../../src-shared/domain/records';
import {
  SCR_SECTION_SYSTEM,
  SCR_SECTIONS,
  SCR_TITLE_SECTION_CODE,
  SECTION_WITHHELD_EXTENSION,
  type ScrSectionDef,
  type ScrSectionKey,
} from '../../../records/scr/sections';
import { isSensitive } from '../../../domain/sensitivity';
import { GP_RECORD_FLAG, LAST_ISSUED_EXTENSION, SCR_PLACEMENT } from '../../population/codes';
import type { ScrPlacement } from '../../population/scr';
import { narrativeDate, paragraphsNarrative, tableNarrative, type NarrativeTable } from './narrative';

export function placementOf(r: Resource): ScrPlacement | null {
  const code = r.meta?.tag?.find((t) => t.system === SCR_PLACEMENT)?.code;
  return (code as ScrPlacement | undefined) ?? null;
}

export function isPrivate(r: Resource): boolean {
  return r.meta?.tag?.some((t) => t.system === GP_RECORD_FLAG && t.code === 'private') ?? false;
}

/** Whether the item may leave under these preferences (never when private; sensitive only when included). */
export function releasable(r: Resource, prefs: SharingPreferences): boolean {
  if (isPrivate(r)) return false;
  const security = r.meta?.security?.map((c) => ({ system: c.system, code: c.code ?? '' }));
  return !(isSensitive(security) && prefs.sensitive !== 'included');
}

type Row = { date: string; cells: string[] };

function rowOf(key: ScrSectionKey, r: Resource): Row | null {
  switch (r.resourceType) {
    case 'AllergyIntolerance': {
      const a = r as AllergyIntolerance;
      const reactions = (a.reaction ?? [])
        .flatMap((x) => x.manifestation.map((m) => m.text ?? ''))
        .join(', ');
      const criticality = a.criticality === 'high' ? 'High' : a.criticality === 'low' ? 'Low' : '';
      return {
        date: a.recordedDate ?? '',
        cells: [narrativeDate(a.recordedDate), a.code?.text ?? '', reactions, criticality],
      };
    }
    case 'MedicationRequest': {
      const m = r as MedicationRequest;
      const q = m.dispenseRequest?.quantity;
      const issued = m.extension?.find((e) => e.url === LAST_ISSUED_EXTENSION)?.valueDate;
      return {
        date: m.authoredOn ?? '',
        cells: [
          m.medicationCodeableConcept?.text ?? '',
          (m.dosageInstruction ?? []).map((d) => d.text ?? '').join('; '),
          q ? `${q.value ?? ''} ${q.unit ?? ''}`.trim() : '',
          narrativeDate(m.authoredOn),
          narrativeDate(issued),
        ],
      };
    }
    case 'Condition': {
      const c = r as Condition;
      const date = c.onsetDateTime ?? c.recordedDate ?? '';
      return { date, cells: [narrativeDate(date), c.code?.text ?? '', c.clinicalStatus?.text ?? ''] };
    }
    case 'Procedure': {
      const p = r as Procedure;
      return {
        date: p.performedDateTime ?? '',
        cells: [narrativeDate(p.performedDateTime), p.code?.text ?? ''],
      };
    }
    case 'Immunization': {
      const i = r as Immunization;
      return {
        date: i.occurrenceDateTime ?? '',
        cells: [narrativeDate(i.occurrenceDateTime), i.vaccineCode.text ?? ''],
      };
    }
    case 'CarePlan': {
      const c = r as CarePlan;
      const text = [c.title, c.description].filter(Boolean).join(': ');
      return { date: c.created ?? '', cells: [narrativeDate(c.created), text] };
    }
    case 'Flag': {
      const f = r as Flag;
      return { date: f.period?.start ?? '', cells: [narrativeDate(f.period?.start), f.code.text ?? ''] };
    }
    default:
      void key;
      return null;
  }
}

const HEADERS: Record<ScrSectionKey, readonly string[]> = {
  allergies: ['Date', 'Description', 'Reaction', 'Criticality'],
  'medications-acute': ['Medication', 'Dosage', 'Quantity', 'Start date', 'Last issued'],
  'medications-repeat': ['Medication', 'Dosage', 'Quantity', 'Start date', 'Last issued'],
  'medications-discontinued': ['Medication', 'Dosage', 'Quantity', 'Start date', 'Last issued'],
  problems: ['Date', 'Description', 'Status'],
  procedures: ['Date', 'Description'],
  'anticipatory-care': ['Date', 'Description'],
  'end-of-life': ['Date', 'Description'],
  immunisations: ['Date', 'Vaccination'],
};

function section(
  def: ScrSectionDef,
  items: readonly Resource[],
  prefs: SharingPreferences,
): CompositionSection {
  let withheld = false;
  const rows: Row[] = [];
  for (const r of items) {
    if (!releasable(r, prefs)) {
      withheld = true;
      continue;
    }
    const row = rowOf(def.key, r);
    if (row) rows.push(row);
  }
  // Newest first, as a GP summary lists them.
  rows.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const table: NarrativeTable = { headers: HEADERS[def.key], rows: rows.map((r) => r.cells) };
  return {
    title: def.title,
    code: { coding: [{ system: SCR_SECTION_SYSTEM, code: def.code, display: def.title }] },
    text: { status: 'generated', div: tableNarrative(table) },
    ...(withheld ? { extension: [{ url: SECTION_WITHHELD_EXTENSION, valueBoolean: true }] } : {}),
  };
}

export interface SectionInput {
  items: readonly Resource[];
  prefs: SharingPreferences;
  updated: string;
  practice: { name: string; code: string } | null;
}

export function compositionSections(input: SectionInput): CompositionSection[] {
  const withAdditional = input.prefs.scr === 'core-and-additional';
  const byKey = new Map<ScrSectionKey, Resource[]>();
  for (const r of input.items) {
    const place = placementOf(r);
    if (!place || place === 'investigation') continue;
    byKey.set(place, [...(byKey.get(place) ?? []), r]);
  }
  const title: CompositionSection = {
    title: 'General Practice Summary',
    code: {
      coding: [
        { system: SCR_SECTION_SYSTEM, code: SCR_TITLE_SECTION_CODE, display: 'General Practice Summary' },
      ],
    },
    text: {
      status: 'generated',
      div: paragraphsNarrative([
        `Last updated: ${narrativeDate(input.updated)}`,
        input.practice
          ? `Source: ${input.practice.name} (${input.practice.code})`
          : 'Source: no registered GP practice',
      ]),
    },
  };
  const known = [...SCR_SECTIONS]
    .sort((a, b) => a.order - b.order)
    .filter((d) => d.core || withAdditional)
    .map((d) => section(d, byKey.get(d.key) ?? [], input.prefs));
  return [title, ...known];
}
