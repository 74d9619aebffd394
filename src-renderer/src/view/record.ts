/**
 * Orders and labels record sections: the SCR core (medication, allergies and adverse reactions) always first,
 * then Additional Information in the order main sent it.
 */
import type { RecordSection } from '../../../src-shared/domain/records';

const CORE_PATTERNS = [/medication|medicine|acute|repeat/i, /allerg/i, /adverse/i];

/** 0..2 for core sections (in core order), 3 for anything else. */
export function coreRank(section: Pick<RecordSection, 'key' | 'title'>): number {
  const text = `${section.key} ${section.title}`;
  const i = CORE_PATTERNS.findIndex((p) => p.test(text));
  return i === -1 ? CORE_PATTERNS.length : i;
}

export function isCoreSection(section: Pick<RecordSection, 'key' | 'title'>): boolean {
  return coreRank(section) < CORE_PATTERNS.length;
}

/** Core first (medication, allergies, adverse reactions), others keep their order. Stable. */
export function orderSections<T extends Pick<RecordSection, 'key' | 'title'>>(sections: readonly T[]): T[] {
  return sections
    .map((s, i) => ({ s, i, r: coreRank(s) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.s);
}

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
