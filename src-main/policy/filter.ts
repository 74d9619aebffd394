/**
 * Item filtering for a released view: which items of the patient's record go out, by section, and whether anything
 * was withheld. Sensitive items go only with the patient's explicit consent ('included'); private items never.
 * Whether something was withheld is a single boolean: never which, never how many.
 */
import type { SharingPreferences } from '../../src-shared/domain/records';
import { isSensitive } from '../domain/sensitivity';
import type { ScrSectionView } from '../../src-shared/domain/scr-view';
import type { ScrDocument } from '../domain/scr-document';
import {
  MIG_SECTIONS,
  SCR_AI_GROUPS,
  SCR_CORE_GROUPS,
  type MigSection,
  type ScrGroup,
  type SourceItem,
} from '../domain/record-items';

export interface Filtered<K extends string> {
  /** Released section keys in display order (including empty ones), each with its items. */
  sections: { key: K; items: SourceItem[] }[];
  withheld: boolean;
}

/** True when the item may leave under these preferences (sensitivity and the private flag). */
function shareable(item: SourceItem, prefs: SharingPreferences): boolean {
  if (item.private) return false;
  if (isSensitive(item.resource.meta?.security) && prefs.sensitive !== 'included') return false;
  return true;
}

function group<K extends string>(
  keys: readonly K[],
  items: SourceItem[],
  keyOf: (i: SourceItem) => K | null,
  prefs: SharingPreferences,
): Filtered<K> {
  const wanted = new Set<string>(keys);
  const by = new Map<K, SourceItem[]>(keys.map((k) => [k, []]));
  let withheld = false;
  for (const item of items) {
    const key = keyOf(item);
    if (key === null || !wanted.has(key)) continue;
    if (!shareable(item, prefs)) {
      withheld = true;
      continue;
    }
    by.get(key)!.push(item);
  }
  return { sections: keys.map((key) => ({ key, items: by.get(key)! })), withheld };
}

export function filterScr(
  items: SourceItem[],
  prefs: SharingPreferences,
  includeAdditional: boolean,
): Filtered<ScrGroup> {
  const keys = includeAdditional ? [...SCR_CORE_GROUPS, ...SCR_AI_GROUPS] : [...SCR_CORE_GROUPS];
  return group(keys, items, (i) => i.scr?.group ?? null, prefs);
}

export function filterMig(items: SourceItem[], prefs: SharingPreferences): Filtered<MigSection> {
  return group(MIG_SECTIONS, items, (i) => i.mig, prefs);
}

/**
 * The SCR as the SCR service sent it, filtered again by the workstation (defence in depth): Additional
 * Information sections only when they were asked for; a section listing a coded entry whose label the patient's
 * preferences exclude is withheld whole (its narrative may name it); a section the service marked as incomplete
 * counts as withheld.
 */
export function filterScrDocument(
  doc: ScrDocument,
  prefs: SharingPreferences,
  includeAdditional: boolean,
): { sections: ScrSectionView[]; withheld: boolean } {
  const blocked = new Set<string>();
  for (const e of doc.entries) {
    const labels = e.security.flatMap((c) => (c.code === undefined ? [] : [{ ...c, code: c.code }]));
    if (e.section !== null && isSensitive(labels) && prefs.sensitive !== 'included') blocked.add(e.section);
  }
  let withheld = false;
  const sections: ScrSectionView[] = [];
  for (const section of doc.view.sections) {
    if (!section.core && !includeAdditional) continue;
    if (blocked.has(section.key)) {
      withheld = true;
      continue;
    }
    if (section.withheld) withheld = true;
    sections.push(section);
  }
  return { sections, withheld };
}
