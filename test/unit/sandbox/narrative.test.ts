/**
 * SCR narratives escape every piece of text: hostile item text (markup, event handlers, javascript: URLs, CSS,
 * SVG, entity tricks, comment and CDATA breakers) comes out of an HTML5 parser as the same text in a cell, never as
 * an element or attribute.
 */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import {
  escapeXhtml,
  narrativeDate,
  paragraphsNarrative,
  tableNarrative,
} from '../../../src-main/sandbox/services/scr/narrative';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  '<a href="javascript:alert(1)">click</a>',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<svg><script>alert(1)</script></svg>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;',
  '"><td onmouseover=alert(1)>',
  "'); alert(1); ('",
  '--><!-- ',
  ']]><x>',
  '</td></tr></tbody></table><form action=//evil><input name=pin>',
  'Penicillin & amoxicillin < 5 > 3',
];

function walk(n: Node, visit: (e: Element) => void): void {
  if ('tagName' in n) visit(n);
  if ('childNodes' in n) for (const c of n.childNodes) walk(c, visit);
}

function textOf(n: Node): string {
  if (n.nodeName === '#text') return (n as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in n ? n.childNodes.map(textOf).join('') : '';
}

function parse(html: string) {
  const root = parseFragment(html);
  const tags: string[] = [];
  const attrs: string[] = [];
  const cells: string[] = [];
  walk(root, (e) => {
    tags.push(e.tagName);
    for (const a of e.attrs) attrs.push(`${e.tagName}@${a.name}`);
    if (e.tagName === 'td' || e.tagName === 'p' || e.tagName === 'th') cells.push(textOf(e));
  });
  return {
    tags: [...new Set(tags)].sort(),
    attrs: [...new Set(attrs)],
    cells,
    comments: html.includes('<!--'),
  };
}

describe('SCR narrative', () => {
  it('keeps hostile item text as text in its cell', () => {
    for (const h of HOSTILE) {
      const html = tableNarrative({ headers: ['Date', 'Description'], rows: [['12-May-2020', h]] });
      const p = parse(html);
      expect(p.tags, h).toEqual(['div', 'table', 'tbody', 'td', 'th', 'thead', 'tr']);
      expect(p.attrs, h).toEqual(['div@xmlns']);
      expect(p.cells, h).toEqual(['Date', 'Description', '12-May-2020', h]);
      expect(p.comments, h).toBe(false);
    }
  });

  it('escapes headers and paragraphs too', () => {
    const p = parse(paragraphsNarrative(HOSTILE));
    expect(p.tags).toEqual(['div', 'p']);
    expect(p.cells).toEqual(HOSTILE);
    const t = parse(tableNarrative({ headers: ['<b>Date</b>'], rows: [] }, '<i>none</i>'));
    expect(t.tags).toEqual(['div', 'p']);
    expect(t.cells).toEqual(['<i>none</i>']);
  });

  it('replaces characters XML cannot carry', () => {
    expect(escapeXhtml('a\u0000b\u0007c\uD800d\u000Be')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeXhtml('tab\tnew\nline \u{1F600}')).toBe('tab\tnew\nline \u{1F600}');
  });

  it('writes dates in the GP summary style', () => {
    expect(narrativeDate('2020-05-12')).toBe('12-May-2020');
    expect(narrativeDate('2026-10-24T09:00:00Z')).toBe('24-Oct-2026');
    expect(narrativeDate(undefined)).toBe('');
  });
});
