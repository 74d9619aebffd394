/**
 * The SCR section table, shared by the SCR service (which writes the Composition) and the reader (which
 * orders and labels what it shows): Composition.section.code.coding[0].code -> our key, whether the section is
 * core SCR, and the display order (the order of this list). Any other code is Additional Information, shown
 * after these. The Title section (code "Title") carries the summary's own notes, its date and source practice.
 */
export const SCR_SECTIONS = [
  { code: 'AllergiesHeader', key: 'allergies', core: true },
  { code: 'AcuteMedsHeader', key: 'medications-acute', core: true },
  { code: 'RepeatMedsHeader', key: 'medications-repeat', core: true },
  { code: 'DiscRepeatMedsHeader', key: 'medications-discontinued', core: true },
  { code: 'ProblemsHeader', key: 'problems', core: false },
  { code: 'ProceduresHeader', key: 'procedures', core: false },
  { code: 'AnticipatoryCareHeader', key: 'anticipatory-care', core: false },
  { code: 'EndOfLifeHeader', key: 'end-of-life', core: false },
  { code: 'ImmunisationsHeader', key: 'immunisations', core: false },
] as const;

export type ScrSectionDef = (typeof SCR_SECTIONS)[number];
export type ScrSectionKey = ScrSectionDef['key'];

export const SCR_TITLE_SECTION_CODE = 'Title';

/** Marks a section from which the SCR service left something out (the patient's preferences). */
export const SECTION_WITHHELD_URL = 'https://stethoscope.invalid/fhir/StructureDefinition/section-withheld';

/** The General Practice Summary document type (Composition.type, DocumentReference.type). */
export const SCR_DOCUMENT_TYPE = { system: 'http://snomed.info/sct', code: '196981000000101' } as const;

const byCode = new Map<string, ScrSectionDef>(SCR_SECTIONS.map((s) => [s.code, s]));

export function scrSectionByCode(code: string): ScrSectionDef | undefined {
  return byCode.get(code);
}
