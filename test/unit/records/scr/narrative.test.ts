/**
 * SCR narrative -> text blocks: ordinary SCR tables, lists and paragraphs; what is dropped; the bounds and
 * what happens past them (5 MB of nesting included). Hostile markup in general is the property in
 * narrative-hostile.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NarrativeView } from '../../../../src-shared/domain/scr-view';
import { parseNarrative, parseNarrativeCapturing } from '../../../../src-main/records/scr/narrative';
import { scrTable, xhtml } from '../../../support/records/scr-fixtures';

const cell = (text: string, header = false, colSpan?: number) =>
  colSpan === undefined ? { text, header } : { text, header, colSpan };

describe('SCR narrative: ordinary content', () => {
  it('reads an SCR table: header row, body rows, empty self-closing cells, entities decoded', () => {
    const view = parseNarrative(
      scrTable(
        'Allergies',
        ['Date', 'Description', 'Certainty'],
        [
          ['12-May-2025', 'Penicillin allergy &amp; rash', ''],
          ['01-Jan-2024', 'Latex &lt;gloves&gt;', 'Confirmed'],
        ],
      ),
    );
    expect(view).toEqual({
      blocks: [
        {
          type: 'table',
          head: [[cell('Date', true), cell('Description', true), cell('Certainty', true)]],
          body: [
            [cell('12-May-2025'), cell('Penicillin allergy & rash'), cell('')],
            [cell('01-Jan-2024'), cell('Latex <gloves>'), cell('Confirmed')],
          ],
        },
      ],
      truncated: null,
      omitted: [],
    });
    expect(NarrativeView.parse(view)).toStrictEqual(view);
  });

  it('keeps colspan as a number (only when over 1, at most 1000), a caption, and tfoot rows last', () => {
    const view = parseNarrative(
      xhtml(
        '<table><caption>Repeat <b>medication</b></caption><tfoot><tr><td>Total</td><td>2</td></tr></tfoot>' +
          '<tbody><tr><td colspan="2">No relevant information available.</td></tr>' +
          '<tr><td COLSPAN=1>a</td><td colspan="99999">b</td><td colspan="two">c</td></tr></tbody></table>',
      ),
    );
    expect(view.blocks).toEqual([
      {
        type: 'table',
        caption: 'Repeat medication',
        head: [],
        body: [
          [cell('No relevant information available.', false, 2)],
          [cell('a'), cell('b', false, 1000), cell('c')],
          [cell('Total'), cell('2')],
        ],
      },
    ]);
  });

  it('without a thead, leading rows of header cells are the header; loose rows and implied ends are read', () => {
    const view = parseNarrative(xhtml('<table><tr><th>Date<th>Item<tr><td>1 Mar<td>Asthma review</table>'));
    expect(view.blocks).toEqual([
      {
        type: 'table',
        head: [[cell('Date', true), cell('Item', true)]],
        body: [[cell('1 Mar'), cell('Asthma review')]],
      },
    ]);
  });

  it('flattens blocks, lists and tables nested in a cell into its text, with line breaks', () => {
    const view = parseNarrative(
      xhtml(
        '<table><tr><td><p>Take one</p><p>at night</p><ul><li>with food</li><li>not with milk</li></ul>' +
          '<table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table></td></tr></table>',
      ),
    );
    expect(view.blocks).toEqual([
      { type: 'table', head: [], body: [[cell('Take one\nat night\nwith food\nnot with milk\nx y\nz')]] },
    ]);
  });

  it('text in a table outside any cell is shown before the table, as a browser does', () => {
    const view = parseNarrative(xhtml('<table>Stray words<tr><td>a</td></tr></table>'));
    expect(view.blocks).toEqual([
      { type: 'paragraph', text: 'Stray words' },
      { type: 'table', head: [], body: [[cell('a')]] },
    ]);
  });

  it('reads headings, paragraphs (whitespace collapsed, <br> a line break) and loose text', () => {
    const view = parseNarrative(
      xhtml(
        '<h3>Sourced from the GP record</h3>\n   <p>Summary   created:\n 2 Mar 2026<br/>by Dr <b>Quiller</b>.</p>' +
          'Loose text <span>here</span><div>In a div</div><p>  </p>',
      ),
    );
    expect(view.blocks).toEqual([
      { type: 'heading', text: 'Sourced from the GP record' },
      { type: 'paragraph', text: 'Summary created: 2 Mar 2026\nby Dr Quiller.' },
      { type: 'paragraph', text: 'Loose text here' },
      { type: 'paragraph', text: 'In a div' },
    ]);
  });

  it('reads ordered and unordered lists; a nested list joins its item; text loose in a list is an item', () => {
    const view = parseNarrative(
      xhtml(
        '<ol><li>Salbutamol<ul><li>when required</li></ul></li><li>Beclometasone</li><li> </li></ol>' +
          '<ul>Carer: <b>sister</b><li>Lives alone</li><p>Key safe</p></ul>',
      ),
    );
    expect(view.blocks).toEqual([
      { type: 'list', ordered: true, items: ['Salbutamol\nwhen required', 'Beclometasone'] },
      { type: 'list', ordered: false, items: ['Carer: sister', 'Lives alone', 'Key safe'] },
    ]);
  });

  it('keeps the text of a link, never its target; drops images and reports them', () => {
    const view = parseNarrative(
      xhtml(
        '<p>See <a href="https://example.invalid/leaflet?x=1">the leaflet</a><img src="https://example.invalid/t.png" alt="tracker"/> now.</p>',
      ),
    );
    expect(view).toEqual({
      blocks: [{ type: 'paragraph', text: 'See the leaflet now.' }],
      truncated: null,
      omitted: ['image'],
    });
    expect(JSON.stringify(view)).not.toContain('example.invalid');
    expect(JSON.stringify(view)).not.toContain('tracker');
  });

  it('decodes character references once: &amp;lt; is the text "&lt;", &lt;script&gt; is text', () => {
    const view = parseNarrative(
      xhtml('<p>&amp;lt;b&amp;gt; and &lt;script&gt;alert(1)&lt;/script&gt; and &#x26;#60;</p>'),
    );
    expect(view.blocks).toEqual([
      { type: 'paragraph', text: '&lt;b&gt; and <script>alert(1)</script> and &#60;' },
    ]);
  });

  it('removes bidirectional overrides and control characters from text', () => {
    const view = parseNarrative(xhtml('<p>Dose: 10\u202Egm 01\u202C mg\u0007 &#x2067;daily&#x2069;</p>'));
    expect(view.blocks).toEqual([{ type: 'paragraph', text: 'Dose: 10gm 01 mg daily' }]);
  });

  it('reads element names in any case, and </br> and a stray </p> as a browser does', () => {
    const view = parseNarrative(xhtml('<TABLE><Tr><TD>x</tD></TR></table><P>a</br>b</p>c</p>d'));
    expect(view.blocks).toEqual([
      { type: 'table', head: [], body: [[cell('x')]] },
      { type: 'paragraph', text: 'a\nb' },
      { type: 'paragraph', text: 'c' },
      { type: 'paragraph', text: 'd' },
    ]);
  });

  it('a self-closed <script/> or <style/> still starts raw text: what follows up to its end tag is dropped', () => {
    const view = parseNarrative(xhtml('<script/>alert(1)<p>no</p></script><style/>p{}</style><p>after</p>'));
    expect(view.blocks).toEqual([{ type: 'paragraph', text: 'after' }]);
  });

  it('inside SVG nothing is raw text, so </svg> ends it; a second <form> start tag is ignored, as in a browser', () => {
    expect(parseNarrative(xhtml('<svg><title></svg><p>visible</p>'))).toEqual({
      blocks: [{ type: 'paragraph', text: 'visible' }],
      truncated: null,
      omitted: ['drawing'],
    });
    const forms = parseNarrative(xhtml('<form><form></form>shown as a browser does</form><p>end</p>'));
    expect(forms.blocks).toEqual([
      { type: 'paragraph', text: 'shown as a browser does' },
      { type: 'paragraph', text: 'end' },
    ]);
    expect(forms.omitted).toEqual(['form']);
  });

  it('a plaintext element swallows the rest of the narrative, which is dropped with it', () => {
    const view = parseNarrative(xhtml('<p>Kept</p><plaintext><p>Not markup any more</p></div>'));
    expect(view.blocks).toEqual([{ type: 'paragraph', text: 'Kept' }]);
  });

  it('returns the text of elements asked for by id (the Title section practice), without putting ids in the view', () => {
    const { view, captured } = parseNarrativeCapturing(
      xhtml(
        '<p id="Author">Created by: QUILLER, Bryn</p><p id="Practice">Hollins Lane <b>Surgery</b>,\n Exampleton</p>',
      ),
      { capture: ['Practice'] },
    );
    expect(captured).toEqual(new Map([['Practice', 'Hollins Lane Surgery, Exampleton']]));
    expect(view.blocks).toHaveLength(2);
    expect(JSON.stringify(view)).not.toContain('Practice');
  });

  it('an id inside a dropped element is not captured', () => {
    const { captured } = parseNarrativeCapturing(
      xhtml('<svg><text id="Practice">Fake practice</text></svg>'),
      {
        capture: ['Practice'],
      },
    );
    expect(captured.size).toBe(0);
  });
});

describe('SCR narrative: bounds', () => {
  it('past the block bound, keeps the first blocks and says it stopped', () => {
    const view = parseNarrative(xhtml('<p>para</p>'.repeat(50)), { limits: { maxBlocks: 10 } });
    expect(view.blocks).toHaveLength(10);
    expect(view.truncated).toBe('blocks');
  });

  it('past the cell bound, keeps the rows read so far (table closed) and says it stopped', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`r${i}`, 'x']);
    const view = parseNarrative(scrTable('T', ['a', 'b'], rows), { limits: { maxCells: 21 } });
    expect(view.truncated).toBe('cells');
    const table = view.blocks[0];
    expect(table?.type).toBe('table');
    if (table?.type !== 'table') return;
    expect(table.head).toEqual([[cell('a', true), cell('b', true)]]);
    // 2 header cells + 9 full rows = 20 cells; the 21st (r9's first) is the last one allowed.
    expect(table.body.map((r) => r[0]!.text)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(table.body[8]).toEqual([cell('r8'), cell('x')]);
    expect(table.body[9]).toEqual([cell('r9')]);
  });

  it('past the text bound, keeps text up to the bound exactly and says it stopped', () => {
    const view = parseNarrative(xhtml(`<p>${'abcde '.repeat(100)}</p><p>after</p>`), {
      limits: { maxTextLength: 52 },
    });
    expect(view.truncated).toBe('text');
    expect(view.blocks).toEqual([{ type: 'paragraph', text: `${'abcde '.repeat(8)}abcd` }]);
  });

  it('past the depth bound, stops, keeping what came before', () => {
    const view = parseNarrative(xhtml(`<p>Allergies: none known</p>${'<div>'.repeat(200)}deep`), {
      limits: { maxDepth: 50 },
    });
    expect(view).toEqual({
      blocks: [{ type: 'paragraph', text: 'Allergies: none known' }],
      truncated: 'depth',
      omitted: [],
    });
  });

  const FIVE_MB = 5 * 1024 * 1024;
  const nesting: [string, string][] = [
    ['div', '<div>'],
    ['inline b', '<b>'],
    ['table/tr/td', '<table><tr><td>'],
    ['ul/li', '<ul><li>'],
    ['svg (dropped subtree)', '<svg><g>'],
    ['unclosed p and span', '<span><p>'],
  ];
  for (const [name, open] of nesting) {
    it(`5 MB of ${name} nesting: no stack overflow, stopped at the depth bound with the earlier text kept`, () => {
      const html = `<p>Before</p><table><tr><td>cell</td></tr></table>${open.repeat(Math.ceil(FIVE_MB / open.length))}x`;
      expect(html.length).toBeGreaterThanOrEqual(FIVE_MB);
      const view = parseNarrative(html);
      expect(view.truncated).toBe('depth');
      expect(view.blocks.slice(0, 2)).toEqual([
        { type: 'paragraph', text: 'Before' },
        { type: 'table', head: [], body: [[cell('cell')]] },
      ]);
    });
  }

  it('5 MB of closing tags with nothing open, and 5 MB of nesting inside a script or comment, are read to the end', () => {
    const closes = parseNarrative(`<p>a</p>${'</span></div>'.repeat(FIVE_MB / 13)}<p>b</p>`);
    expect(closes).toEqual({
      blocks: [
        { type: 'paragraph', text: 'a' },
        { type: 'paragraph', text: 'b' },
      ],
      truncated: null,
      omitted: [],
    });
    const script = parseNarrative(`<script>${'<div>'.repeat(FIVE_MB / 5)}</script><p>c</p>`);
    expect(script.blocks).toEqual([{ type: 'paragraph', text: 'c' }]);
    const comment = parseNarrative(`<!--${'<div>'.repeat(FIVE_MB / 5)}--><p>d</p>`);
    expect(comment.blocks).toEqual([{ type: 'paragraph', text: 'd' }]);
  });
});
