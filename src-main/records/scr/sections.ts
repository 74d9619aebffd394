/**
 * The Summary Care Record's known sections: the code in Composition.section.code.coding[0].code, our key, whether
 * the section is core (shown first, always part of an SCR) or Additional Information, the display order, and the
 * title to use when a section carries none. Both the test SCR service (which writes the narratives) and the
 * workstation's narrative parser read this table, so the two cannot drift apart.
 *
 * A section whose code is not listed here is Additional Information, shown after the known ones under its own
 * (text-only) title. The `Title` section is the General Practice Summary header: last update and source practice.
 */

export type ScrSectionKey =
  | 'allergies'
  | 'medications-acute'
  | 'medications-repeat'
  | 'medications-discontinued'
  | 'problems'
  | 'procedures'
  | 'anticipatory-care'
  | 'end-of-life'
  | 'immunisations';

export interface ScrSectionDef {
  readonly code: string;
  readonly key: ScrSectionKey;
  readonly core: boolean;
  /** Display order, ascending; core sections come first. */
  readonly order: number;
  readonly title: string;
}

/** The coding system our test SCR service writes for section codes (a parser should match on the code). */
export const SCR_SECTION_SYSTEM = 'https://stethoscope.invalid/fhir/CodeSystem/scr-section';

/** The section code of the General Practice Summary header (not a clinical section). */
export const SCR_TITLE_SECTION_CODE = 'Title';

/** Marks a section from which the SCR service left something out under the patient's preferences. */
export const SECTION_WITHHELD_EXTENSION =
  'https://stethoscope.invalid/fhir/StructureDefinition/section-withheld';

export const SCR_SECTIONS: readonly ScrSectionDef[] = [
  {
    code: 'AllergiesHeader',
    key: 'allergies',
    core: true,
    order: 1,
    title: 'Allergies and adverse reactions',
  },
  { code: 'AcuteMedsHeader', key: 'medications-acute', core: true, order: 2, title: 'Acute medication' },
  { code: 'RepeatMedsHeader', key: 'medications-repeat', core: true, order: 3, title: 'Repeat medication' },
  {
    code: 'DiscRepeatMedsHeader',
    key: 'medications-discontinued',
    core: true,
    order: 4,
    title: 'Discontinued repeat medication',
  },
  {
    code: 'ProblemsHeader',
    key: 'problems',
    core: false,
    order: 5,
    title: 'Significant problems (past and present)',
  },
  {
    code: 'ProceduresHeader',
    key: 'procedures',
    core: false,
    order: 6,
    title: 'Significant procedures (past and present)',
  },
  {
    code: 'AnticipatoryCareHeader',
    key: 'anticipatory-care',
    core: false,
    order: 7,
    title: 'Anticipatory care information and communication preferences',
  },
  {
    code: 'EndOfLifeHeader',
    key: 'end-of-life',
    core: false,
    order: 8,
    title: 'End of life care information',
  },
  { code: 'ImmunisationsHeader', key: 'immunisations', core: false, order: 9, title: 'Immunisations' },
];

const byCode = new Map(SCR_SECTIONS.map((s) => [s.code, s]));
const byKey = new Map(SCR_SECTIONS.map((s) => [s.key, s]));

/** The known section for a section code, or undefined (then it is Additional Information under its own title). */
export function scrSectionByCode(code: string): ScrSectionDef | undefined {
  return byCode.get(code);
}

export function scrSection(key: ScrSectionKey): ScrSectionDef {
  return byKey.get(key) as ScrSectionDef;
}
