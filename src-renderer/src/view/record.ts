/**
 * Labels for record screens. Which sections are the SCR core, and their order, come from main (RecordSection.core).
 */
/**
 * The withheld marker: that something was left out, why in general terms, and what to do. Never what or how many
 * (main does not say, so neither can this).
 */
export const WITHHELD_TEXT = {
  title: 'Some information is not shown',
  why: 'The patient chose not to share some of their record, or their GP practice decided not to share it.',
  todo: 'What is shown may not be everything. If you need to know more, ask the patient or their GP practice.',
} as const;

/**
 * What an empty part of a record says. Where anything was withheld from the view, an empty list may not be a clean
 * one, so it says "None shown" and never "None recorded" (hazard H-03).
 */
export function emptyText(withheld: boolean): string {
  return withheld ? 'None shown.' : 'None recorded.';
}

/** Under a section of a withheld view that lists nothing of its own: an empty-looking section may not be empty. */
export const WITHHELD_SECTION_NOTE =
  'None shown here may not mean none recorded: some information is not shown.';

export const SCR_LEVEL_LABEL = {
  'opted-out': 'Opted out: no Summary Care Record',
  core: 'Core: medication, allergies and adverse reactions',
  'core-and-additional': 'Core and Additional Information',
} as const;

export const SENSITIVE_LABEL = {
  excluded: 'Sensitive information not shared',
  included: 'Sensitive information shared (patient gave specific consent)',
} as const;

export const MIG_LABEL = {
  share: 'Shares their GP record through the MIG',
  dissent: 'Does not share their GP record through the MIG (dissent)',
} as const;
