/**
 * The Summary Care Record as the renderer receives it: plain text in typed blocks.
 *
 * Main turns each section's XHTML narrative into these blocks (src-main/records/scr/narrative.ts); no remote
 * markup, attribute, link target or style ever reaches the renderer. Every string here is text to be shown as
 * text (a "<" in it is a character the record contains, never markup). Text may contain "\n" where the
 * narrative had a line break (or, inside a table cell or list item, where nested blocks were flattened).
 */
import { z } from 'zod';

export const HeadingBlock = z.object({ type: z.literal('heading'), text: z.string() });
export const ParagraphBlock = z.object({ type: z.literal('paragraph'), text: z.string() });
export const ListBlock = z.object({
  type: z.literal('list'),
  ordered: z.boolean(),
  items: z.array(z.string()),
});

export const TableCell = z.object({
  text: z.string(),
  /** Present only when the cell spans more than one column. */
  colSpan: z.number().int().min(2).max(1000).optional(),
  /** true for a header cell (th). */
  header: z.boolean(),
});
export type TableCell = z.infer<typeof TableCell>;

export const TableBlock = z.object({
  type: z.literal('table'),
  caption: z.string().optional(),
  /** Header rows (thead; without a thead, the leading rows made only of header cells). */
  head: z.array(z.array(TableCell)),
  /** Body rows, in document order (tbody and loose rows, then tfoot). */
  body: z.array(z.array(TableCell)),
});

export const NarrativeBlock = z.discriminatedUnion('type', [
  HeadingBlock,
  ParagraphBlock,
  ListBlock,
  TableBlock,
]);
export type NarrativeBlock = z.infer<typeof NarrativeBlock>;

/** Which bound cut a narrative short (the blocks before the cut are kept). */
export const TruncationLimit = z.enum(['depth', 'blocks', 'cells', 'text']);
export type TruncationLimit = z.infer<typeof TruncationLimit>;

/** Content the workstation never shows, reported so the clinician knows the section held more. */
export const OmittedContent = z.enum(['image', 'drawing', 'formula', 'form', 'embedded']);
export type OmittedContent = z.infer<typeof OmittedContent>;

export const NarrativeView = z.object({
  blocks: z.array(NarrativeBlock),
  /** null when the whole narrative was read; otherwise the bound that stopped it. */
  truncated: TruncationLimit.nullable(),
  /** Kinds of content left out (sorted, no repeats); scripts and styles are dropped without mention. */
  omitted: z.array(OmittedContent),
});
export type NarrativeView = z.infer<typeof NarrativeView>;

export const ScrSectionView = z.object({
  /** Our key from the SCR section table (e.g. "allergies"), or "additional-N" for a section we do not know. */
  key: z.string(),
  /** The section code as the SCR service sent it (Composition.section.code.coding[0].code), as text. */
  code: z.string(),
  title: z.string(),
  /** Core SCR (allergies, medications) rather than Additional Information. */
  core: z.boolean(),
  /** The service left something out of this section (the patient's preferences); never what or how much. */
  withheld: z.boolean(),
  narrative: NarrativeView,
});
export type ScrSectionView = z.infer<typeof ScrSectionView>;

export const SourcePractice = z.object({
  name: z.string().optional(),
  odsCode: z.string().optional(),
});
export type SourcePractice = z.infer<typeof SourcePractice>;

export const ScrView = z.object({
  /** The Composition title, e.g. "General Practice Summary". */
  title: z.string(),
  /** When the GP summary was last updated (FHIR dateTime as sent), null when the service did not say. */
  lastUpdated: z.string().nullable(),
  /** The practice the summary comes from, null when the service did not say. */
  sourcePractice: SourcePractice.nullable(),
  /** The narrative of the Title section (the source's own notes about the summary), null without one. */
  summary: NarrativeView.nullable(),
  /** Core sections first, then Additional Information, then sections the workstation does not know. */
  sections: z.array(ScrSectionView),
});
export type ScrView = z.infer<typeof ScrView>;

const truncationWords: Record<TruncationLimit, string> = {
  depth: 'its layout is nested too deeply to read',
  blocks: 'it has more parts than the workstation shows',
  cells: 'it has more table cells or list items than the workstation shows',
  text: 'it is longer than the workstation shows',
};

/** Plain words for a cut-short narrative, to show after its blocks. */
export function truncationNotice(limit: TruncationLimit): string {
  return `Only the first part of this section is shown: ${truncationWords[limit]}. Check the full record at its source.`;
}

const omittedWords: Record<OmittedContent, string> = {
  image: 'images',
  drawing: 'drawings',
  formula: 'formulas',
  form: 'forms',
  embedded: 'embedded content',
};

/** Plain words for content left out of a narrative, or null when nothing was. */
export function omittedNotice(omitted: readonly OmittedContent[]): string | null {
  if (omitted.length === 0) return null;
  const words = omitted.map((o) => omittedWords[o]);
  const list =
    words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
  return `This section also held ${list}, which the workstation does not show.`;
}
