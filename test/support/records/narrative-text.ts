/** All the text of a narrative view, in reading order (caption, header rows, body rows), one string. */
import type { NarrativeView } from '../../../src-shared/domain/scr-view';

export function viewText(view: NarrativeView): string {
  const out: string[] = [];
  for (const b of view.blocks) {
    if (b.type === 'heading' || b.type === 'paragraph') out.push(b.text);
    else if (b.type === 'list') out.push(...b.items);
    else {
      if (b.caption !== undefined) out.push(b.caption);
      for (const row of [...b.head, ...b.body]) for (const c of row) out.push(c.text);
    }
  }
  return out.join('\n');
}
