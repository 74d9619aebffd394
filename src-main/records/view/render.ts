/**
 * Turns released items into the display view the renderer receives. Entry ids are positions in the released
 * view ("medications-1"), never source ids, so gaps cannot hint that something was withheld.
 */
import type {
  PatientSummary,
  RecordEntry,
  RecordSection,
  RecordView,
  SharingPreferences,
} from '../../../src-shared/domain/records';
import {
  LAST_ISSUED_EXTENSION,
  QUANTITY_EXTENSION,
  type ClinicalResource,
} from '../../domain/fhir-resources';
import { SCR_CORE_GROUPS, type MigSection, type ScrGroup, type SourceItem } from '../../domain/record-items';
import { filterScrDocument, type Filtered } from '../../policy/filter';
import type { ScrDocument } from '../../domain/scr-document';
import { itemWarnings, scrWarnings } from './warnings';

export const SCR_TITLES: Record<ScrGroup, string> = {
  medications: 'Medication',
  allergies: 'Allergies and adverse reactions',
  problems: 'Significant problems (past and present)',
  procedures: 'Significant procedures (past and present)',
  'anticipatory-care': 'Anticipatory care information and communication preferences',
  'end-of-life': 'End of life care information',
  immunisations: 'Immunisations',
};

export const MIG_TITLES: Record<MigSection, string> = {
  problems: 'Problems',
  medication: 'Medication',
  allergies: 'Allergies',
  encounters: 'Encounters',
  investigations: 'Investigations',
  immunisations: 'Immunisations',
  referrals: 'Referrals',
};

type EntryBody = Omit<RecordEntry, 'id'>;

function compact(e: {
  text: string;
  date?: string | undefined;
  status?: string | undefined;
  detail?: string | undefined;
  quantity?: string | undefined;
  lastIssued?: string | undefined;
}): EntryBody {
  const out: EntryBody = { text: e.text };
  if (e.date) out.date = e.date;
  if (e.status) out.status = e.status;
  if (e.detail) out.detail = e.detail;
  if (e.quantity) out.quantity = e.quantity;
  if (e.lastIssued) out.lastIssued = e.lastIssued;
  return out;
}

/** The GP system's issue details of a medication, where its extensions carry them. */
function issued(r: Extract<ClinicalResource, { resourceType: 'MedicationStatement' }>) {
  const ext = (url: string) => r.extension?.find((e) => e.url === url);
  const q = ext(QUANTITY_EXTENSION)?.valueQuantity;
  return {
    quantity: q ? `${q.value}${q.unit ? ` ${q.unit}` : ''}` : undefined,
    lastIssued: ext(LAST_ISSUED_EXTENSION)?.valueDate,
  };
}

function entryBody(r: ClinicalResource): EntryBody {
  switch (r.resourceType) {
    case 'MedicationStatement':
      return compact({
        text: r.medicationCodeableConcept.text,
        detail: r.dosage?.map((d) => d.text).join('; '),
        date: r.effectivePeriod?.start,
        status: r.status,
        ...issued(r),
      });
    case 'AllergyIntolerance': {
      const reactions = (r.reaction ?? []).flatMap((x) => x.manifestation.map((m) => m.text));
      const detail = [reactions.join(', '), r.criticality === 'high' ? 'High criticality' : '']
        .filter(Boolean)
        .join('; ');
      return compact({ text: r.code.text, detail, date: r.recordedDate, status: r.clinicalStatus?.text });
    }
    case 'Condition':
      return compact({
        text: r.code.text,
        date: r.onsetDateTime ?? r.recordedDate,
        status: r.clinicalStatus?.text,
      });
    case 'Procedure':
      return compact({ text: r.code.text, date: r.performedDateTime, status: r.status });
    case 'Immunization':
      return compact({ text: r.vaccineCode.text, date: r.occurrenceDateTime, status: r.status });
    case 'CarePlan':
      return compact({ text: r.title, detail: r.description, date: r.created, status: r.status });
    case 'Flag':
      return compact({ text: r.code.text, date: r.period?.start, status: r.status });
    case 'Encounter':
      return compact({
        text: r.type?.[0]?.text ?? 'Encounter',
        detail: r.serviceProvider.display,
        date: r.period?.start,
        status: r.status,
      });
    case 'Observation':
      return compact({
        text: r.code.text,
        detail: r.valueString,
        date: r.effectiveDateTime,
        status: r.status,
      });
    case 'ServiceRequest':
      return compact({
        text: r.code.text,
        detail: r.performer.map((p) => p.display ?? p.identifier.value).join(', '),
        date: r.authoredOn,
        status: r.status,
      });
  }
}

function sections<K extends string>(
  kind: 'scr' | 'mig',
  filtered: Filtered<K>,
  titles: Record<K, string>,
): RecordSection[] {
  const core = new Set<string>(kind === 'scr' ? SCR_CORE_GROUPS : []);
  return filtered.sections.map(({ key, items }) => ({
    key,
    title: titles[key],
    core: core.has(key),
    entries: items.map((item: SourceItem, i) => ({ id: `${key}-${i + 1}`, ...entryBody(item.resource) })),
  }));
}

/** The released view; sections keep the filter's order, which puts the SCR core first. */
export function buildView<K extends string>(
  kind: 'scr' | 'mig',
  patient: PatientSummary,
  access: RecordView['access'],
  filtered: Filtered<K>,
  titles: Record<K, string>,
): RecordView {
  return {
    kind,
    patient,
    access,
    sections: sections(kind, filtered, titles),
    withheld: filtered.withheld,
    warnings: itemWarnings(filtered.sections.flatMap((s) => s.items)),
  };
}

/** The SCR as the SCR service sent it -> the view, after the workstation's own filter (filterScrDocument). */
export function scrDocumentView(
  doc: ScrDocument | null,
  patient: PatientSummary,
  access: RecordView['access'],
  prefs: SharingPreferences,
  includeAdditional: boolean,
): RecordView {
  const origin = {
    service: 'Summary Care Record service',
    lastUpdated: doc?.view.lastUpdated ?? null,
    practice: doc?.view.sourcePractice?.name ?? doc?.view.sourcePractice?.odsCode ?? null,
  };
  if (!doc) return { kind: 'scr', patient, access, sections: [], withheld: false, warnings: [], origin };
  const filtered = filterScrDocument(doc, prefs, includeAdditional);
  return {
    kind: 'scr',
    patient,
    access,
    sections: filtered.sections.map((s) => ({
      key: s.key,
      title: s.title,
      core: s.core,
      entries: [],
      narrative: s.narrative,
    })),
    withheld: filtered.withheld,
    warnings: scrWarnings(filtered.sections),
    origin,
  };
}
