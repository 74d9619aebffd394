/**
 * XHTML narrative for SCR sections: tables and paragraphs inside the FHIR narrative div. Every piece of text is
 * escaped (& < > " ') and characters XML cannot carry are replaced, so whatever an item's text holds (markup,
 * entities, script) it arrives as text, never as markup.
 */

/** True for UTF-16 code units XML 1.0 cannot carry: C0 controls other than tab, LF and CR, and U+FFFE / U+FFFF. */
function invalidUnit(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff;
}

/** Replaces the characters XML cannot carry (and unpaired surrogates) with U+FFFD. */
function xmlSafe(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text.slice(i, i + 2);
        i++;
      } else out += '\uFFFD';
    } else if ((c >= 0xdc00 && c <= 0xdfff) || invalidUnit(c)) out += '\uFFFD';
    else out += text.charAt(i);
  }
  return out;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe to place between tags or in an attribute value. */
export function escapeXhtml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2020-05-12 (or a dateTime) as 12-May-2020, the GP summary's date style; other text as it is. */
export function narrativeDate(value: string | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return value;
  return `${m[3]}-${MONTHS[Number(m[2]) - 1] ?? m[2]}-${m[1]}`;
}

export interface NarrativeTable {
  headers: readonly string[];
  rows: readonly (readonly string[])[];
}

const DIV_OPEN = '<div xmlns="http://www.w3.org/1999/xhtml">';

/** A table of the rows, or a paragraph saying there is nothing to show. */
export function tableNarrative(t: NarrativeTable, empty = 'Nothing to show.'): string {
  if (t.rows.length === 0) return `${DIV_OPEN}<p>${escapeXhtml(empty)}</p></div>`;
  const head = t.headers.map((h) => `<th>${escapeXhtml(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXhtml(c)}</td>`).join('')}</tr>`).join('');
  return `${DIV_OPEN}<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export function paragraphsNarrative(lines: readonly string[]): string {
  return `${DIV_OPEN}${lines.map((l) => `<p>${escapeXhtml(l)}</p>`).join('')}</div>`;
}
