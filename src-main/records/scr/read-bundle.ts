/**
 * SCR API searchset bundle -> ScrDocument: sections in display order (core first, then Additional
 * Information, then codes the workstation does not know, in the order sent), each narrative parsed into text
 * blocks; the summary's date and source practice; the coded entries with their labels.
 * Anything that is not an SCR searchset is refused with RecordShapeError saying what is wrong.
 */
import { nhsNumberProblem } from '../../../src-shared/domain/nhs-number';
import type { ScrSectionView, ScrView, SourcePractice } from '../../../src-shared/domain/scr-view';
import { NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM } from '../../domain/fhir-resources';
import { parseJsonBody, parseShape, RecordShapeError } from '../remote-shape';
import { cleanText } from '../text-clean';
import {
  ScrBundleShell,
  ScrComposition,
  ScrCondition,
  ScrObservation,
  ScrOrganization,
  ScrPatient,
  ScrPractitionerRole,
  type Coding,
  type ScrSection,
} from './bundle-schema';
import type { ScrCodedEntry, ScrDocument } from '../../domain/scr-document';
import { NARRATIVE_LIMITS, parseNarrativeCapturing, type NarrativeLimits } from './narrative';
import { SCR_TITLE_SECTION_CODE, scrSectionByCode, SECTION_WITHHELD_EXTENSION } from './sections';

/** The spec's default size cap for a record service's answer. */
export const SCR_BUNDLE_MAX_BYTES = 10 * 1024 * 1024;

export interface ReadScrOptions {
  /** The NHS number asked for: a bundle about anyone else is refused. */
  nhsNumber?: string;
  maxBytes?: number;
  narrativeLimits?: Partial<NarrativeLimits>;
}

const WHAT = 'the SCR bundle';

/** The General Practice Summary document type (Composition.type, DocumentReference.type). */
export const SCR_DOCUMENT_TYPE = { system: 'http://snomed.info/sct', code: '196981000000101' } as const;

type Entry = { fullUrl?: string | undefined; resource: { resourceType: string; id?: string | undefined } };

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return 'a JSON list, not a FHIR resource';
  if (value === null || typeof value !== 'object') return 'not a FHIR resource';
  const rt = (value as { resourceType?: unknown }).resourceType;
  return typeof rt === 'string'
    ? `a ${cleanText(rt).slice(0, 60)} resource`
    : 'a JSON object without a resourceType';
}

function checkIsSearchset(value: unknown): void {
  const rt =
    typeof value === 'object' && value !== null ? (value as { resourceType?: unknown }).resourceType : null;
  if (rt !== 'Bundle')
    throw new RecordShapeError('wrong-type', `not an SCR searchset bundle: it is ${describeKind(value)}`);
  const type = (value as { type?: unknown }).type;
  if (type !== 'searchset') {
    const said = typeof type === 'string' ? `of type "${cleanText(type).slice(0, 40)}"` : 'without a type';
    throw new RecordShapeError('wrong-type', `not an SCR searchset bundle: it is a Bundle ${said}`);
  }
}

/** Finds entries by "Type/id" reference or by fullUrl. */
function indexEntries(entries: readonly Entry[]): Map<string, number> {
  const index = new Map<string, number>();
  entries.forEach((e, i) => {
    const r = e.resource;
    if (r.id) index.set(`${r.resourceType}/${r.id}`, i);
    if (e.fullUrl) index.set(e.fullUrl, i);
  });
  return index;
}

function resolve(index: Map<string, number>, reference: string | undefined): number | undefined {
  if (!reference) return undefined;
  const direct = index.get(reference);
  if (direct !== undefined) return direct;
  // An absolute reference to a resource in the bundle ("https://.../Patient/abc").
  const m = /([A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(reference);
  return m ? index.get(m[1]!) : undefined;
}

function firstCode(section: ScrSection): string {
  return cleanText(section.code?.coding?.[0]?.code ?? '');
}

function isWithheld(section: ScrSection): boolean {
  return (section.extension ?? []).some(
    (x) => x.url === SECTION_WITHHELD_EXTENSION && x.valueBoolean === true,
  );
}

interface ReadSections {
  sections: ScrSectionView[];
  summary: ScrView['summary'];
  practiceText: string | undefined;
  /** "Type/id" of each entry a section lists -> that section's key. */
  entrySection: Map<string, string>;
}

function readSections(sections: readonly ScrSection[], limits: NarrativeLimits): ReadSections {
  const out: { order: number; view: ScrSectionView }[] = [];
  const used = new Map<string, number>();
  const entrySection = new Map<string, string>();
  let summary: ScrView['summary'] = null;
  let practiceText: string | undefined;
  let additional = 0;
  for (const [i, section] of sections.entries()) {
    const nested = (section as { section?: unknown }).section;
    if (Array.isArray(nested) && nested.length > 0)
      throw new RecordShapeError(
        'invalid',
        `${WHAT} is not in the expected form: section ${i + 1} has sub-sections, which an SCR does not use`,
      );
    const code = firstCode(section);
    const div = section.text?.div ?? '';
    if (code === SCR_TITLE_SECTION_CODE && summary === null) {
      const parsed = parseNarrativeCapturing(div, { limits, capture: ['Practice'] });
      summary = parsed.view;
      practiceText = parsed.captured.get('Practice');
      continue;
    }
    const def = scrSectionByCode(code);
    let key: string = def ? def.key : `additional-${++additional}`;
    const seen = (used.get(key) ?? 0) + 1;
    used.set(key, seen);
    if (seen > 1) key = `${key}-${seen}`;
    const title = cleanText(section.title ?? '') || def?.title || code || 'Untitled section';
    for (const ref of section.entry ?? []) if (ref.reference) entrySection.set(ref.reference, key);
    out.push({
      // Unknown codes after every known one.
      order: def?.order ?? Number.MAX_SAFE_INTEGER,
      view: {
        key,
        code,
        title,
        core: def?.core ?? false,
        withheld: isWithheld(section),
        narrative: parseNarrativeCapturing(div, { limits }).view,
      },
    });
  }
  // Array.prototype.sort is stable: equal orders (unknown codes, repeats) keep the order sent.
  out.sort((a, b) => a.order - b.order);
  return { sections: out.map((o) => o.view), summary, practiceText, entrySection };
}

function practiceFrom(
  composition: ScrComposition,
  entries: readonly Entry[],
  index: Map<string, number>,
): SourcePractice | null {
  for (const author of composition.author ?? []) {
    let at = resolve(index, author.reference);
    if (at === undefined) continue;
    const role = ScrPractitionerRole.safeParse(entries[at]!.resource);
    if (role.success) at = resolve(index, role.data.organization?.reference);
    if (at === undefined) continue;
    const org = ScrOrganization.safeParse(entries[at]!.resource);
    if (!org.success) continue;
    const name = cleanText(org.data.name ?? '');
    const ods = cleanText(org.data.identifier?.find((i) => i.system === ODS_CODE_SYSTEM)?.value ?? '');
    if (!name && !ods) continue;
    const practice: SourcePractice = {};
    if (name) practice.name = name;
    if (ods) practice.odsCode = ods;
    return practice;
  }
  return null;
}

function patientNhsNumber(
  composition: ScrComposition,
  entries: readonly Entry[],
  index: Map<string, number>,
): string {
  const at = resolve(index, composition.subject.reference);
  if (at === undefined || entries[at]!.resource.resourceType !== 'Patient')
    throw new RecordShapeError(
      'invalid',
      `${WHAT} is not in the expected form: the Composition's subject is not a Patient in the bundle`,
    );
  const patient = parseShape(ScrPatient, entries[at]!.resource, WHAT, `entry[${at}].resource`);
  const nhs = patient.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value ?? '';
  if (nhsNumberProblem(nhs) !== null)
    throw new RecordShapeError(
      'invalid',
      `${WHAT} is not in the expected form: its Patient has no valid NHS number`,
    );
  return nhs;
}

/** Only the three coding fields, whatever else the service put beside them. */
function plainCodings(codings: readonly Coding[] | undefined): Coding[] {
  return (codings ?? []).map((c) => {
    const out: Coding = {};
    if (c.system !== undefined) out.system = c.system;
    if (c.code !== undefined) out.code = c.code;
    if (c.display !== undefined) out.display = c.display;
    return out;
  });
}

function codedEntry(entry: Entry, at: number, entrySection: Map<string, string>): ScrCodedEntry {
  const prefix = `entry[${at}].resource`;
  const r =
    entry.resource.resourceType === 'Condition'
      ? parseShape(ScrCondition, entry.resource, WHAT, prefix)
      : parseShape(ScrObservation, entry.resource, WHAT, prefix);
  const coding = plainCodings(r.code.coding);
  const first = coding[0];
  const text = cleanText(r.code.text ?? first?.display ?? first?.code ?? '');
  const section =
    entrySection.get(`${r.resourceType}/${r.id}`) ??
    (entry.fullUrl ? entrySection.get(entry.fullUrl) : undefined);
  const status =
    r.resourceType === 'Condition' ? (r.clinicalStatus?.coding?.[0]?.code ?? null) : (r.status ?? null);
  const date =
    r.resourceType === 'Condition'
      ? (r.onsetDateTime ?? r.recordedDate ?? null)
      : (r.effectiveDateTime ?? r.effectivePeriod?.start ?? null);
  return {
    resourceType: r.resourceType,
    id: r.id,
    section: section ?? null,
    coding,
    text,
    status,
    date,
    security: plainCodings(r.meta?.security),
  };
}

/** An already-parsed JSON value -> ScrDocument (throws RecordShapeError). */
export function scrDocumentFromBundle(value: unknown, options: ReadScrOptions = {}): ScrDocument {
  checkIsSearchset(value);
  const bundle = parseShape(ScrBundleShell, value, WHAT);
  const entries: Entry[] = bundle.entry ?? [];
  const compositions = entries.flatMap((e, i) => (e.resource.resourceType === 'Composition' ? [i] : []));
  if (compositions.length === 0)
    throw new RecordShapeError('no-record', `${WHAT} holds no Composition, so no Summary Care Record`);
  if (compositions.length > 1)
    throw new RecordShapeError(
      'invalid',
      `${WHAT} holds ${compositions.length} Compositions; an SCR has one`,
    );
  const at = compositions[0]!;
  const composition = parseShape(ScrComposition, entries[at]!.resource, WHAT, `entry[${at}].resource`);
  const isSummary = (composition.type.coding ?? []).some(
    (c) => c.system === SCR_DOCUMENT_TYPE.system && c.code === SCR_DOCUMENT_TYPE.code,
  );
  if (!isSummary)
    throw new RecordShapeError(
      'wrong-type',
      `not an SCR: its Composition is not a General Practice Summary (SNOMED CT ${SCR_DOCUMENT_TYPE.code})`,
    );
  const index = indexEntries(entries);
  const nhsNumber = patientNhsNumber(composition, entries, index);
  if (options.nhsNumber !== undefined && options.nhsNumber !== nhsNumber)
    throw new RecordShapeError(
      'wrong-patient',
      `${WHAT} is about a different NHS number from the one asked for`,
    );

  const limits = { ...NARRATIVE_LIMITS, ...options.narrativeLimits };
  const read = readSections(composition.section ?? [], limits);
  const practice =
    practiceFrom(composition, entries, index) ?? (read.practiceText ? { name: read.practiceText } : null);
  const view: ScrView = {
    title: cleanText(composition.title) || 'General Practice Summary',
    lastUpdated: composition.date ?? composition.meta?.lastUpdated ?? null,
    sourcePractice: practice,
    summary: read.summary,
    sections: read.sections,
  };
  const coded = entries.flatMap((e, i) =>
    e.resource.resourceType === 'Condition' || e.resource.resourceType === 'Observation'
      ? [codedEntry(e, i, read.entrySection)]
      : [],
  );
  return {
    nhsNumber,
    compositionId: composition.id,
    identifier: composition.identifier?.value ?? null,
    view,
    entries: coded,
  };
}

/** The service's answer (bytes or text) -> ScrDocument: size cap, JSON, then scrDocumentFromBundle. */
export function readScrBundle(body: Uint8Array | string, options: ReadScrOptions = {}): ScrDocument {
  const value = parseJsonBody(body, options.maxBytes ?? SCR_BUNDLE_MAX_BYTES, WHAT);
  return scrDocumentFromBundle(value, options);
}
