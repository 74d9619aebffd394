/**
 * The warnings a record screen shows first, above everything else: high-criticality allergies, and end-of-life
 * care information (a DNACPR decision is recorded there). Main finds them, in what it is about to release, so the
 * renderer never guesses them from labels; a warning never carries anything the view itself does not.
 */
import type { RecordWarning } from '../../../src-shared/domain/records';
import type { ScrSectionView, NarrativeView, TableCell } from '../../../src-shared/domain/scr-view';
import type { SourceItem } from '../../domain/record-items';

const norm = (s: string) => s.trim().toLowerCase();

/** Body rows of the narrative's tables as header name -> cell text (header names lower-cased). */
function tableRows(view: NarrativeView): Map<string, string>[] {
  const rows: Map<string, string>[] = [];
  for (const b of view.blocks) {
    if (b.type !== 'table') continue;
    const head = b.head[b.head.length - 1] ?? [];
    const names = head.map((c: TableCell) => norm(c.text));
    for (const row of b.body) {
      const m = new Map<string, string>();
      row.forEach((cell, i) => {
        const name = names[i];
        if (name) m.set(name, cell.text.trim());
      });
      rows.push(m);
    }
  }
  return rows;
}

const first = (row: Map<string, string>, names: string[]) =>
  names.map((n) => row.get(n)).find((v) => v !== undefined && v !== '') ?? '';

/** From the SCR's own sections (after the workstation's filter): what the service wrote, row by row. */
export function scrWarnings(sections: readonly ScrSectionView[]): RecordWarning[] {
  const out: RecordWarning[] = [];
  for (const s of sections) {
    if (s.key === 'allergies')
      for (const row of tableRows(s.narrative)) {
        if (norm(row.get('criticality') ?? '') !== 'high') continue;
        const what = first(row, ['description', 'allergy', 'substance']);
        const reaction = first(row, ['reaction', 'manifestation']);
        if (what) out.push({ kind: 'allergy', text: reaction ? `${what}: ${reaction}` : what });
      }
    if (s.key === 'end-of-life')
      for (const row of tableRows(s.narrative)) {
        const text = first(row, ['description', 'details']);
        if (text) out.push({ kind: 'end-of-life', text });
      }
  }
  return out;
}

/** From released items (the local source's SCR and the MIG): high-criticality allergies and end-of-life plans. */
export function itemWarnings(items: readonly SourceItem[]): RecordWarning[] {
  const out: RecordWarning[] = [];
  for (const { resource: r, scr } of items) {
    if (r.resourceType === 'AllergyIntolerance' && r.criticality === 'high') {
      const reactions = (r.reaction ?? []).flatMap((x) => x.manifestation.map((m) => m.text)).join(', ');
      out.push({ kind: 'allergy', text: reactions ? `${r.code.text}: ${reactions}` : r.code.text });
    }
    if (r.resourceType === 'CarePlan' && scr?.group === 'end-of-life')
      out.push({ kind: 'end-of-life', text: [r.title, r.description].filter(Boolean).join(': ') });
  }
  return out;
}
