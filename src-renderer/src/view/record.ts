/**
 * Labels for record screens. Which sections are the SCR core, and their order, come from main (RecordSection.core).
 */
export const WITHHELD_TEXT = 'One or more entries have been withheld';

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
