/**
 * The narrative tokenizer's shortcuts (src-main/records/scr/narrative-tokens.ts) change nothing but speed:
 * - TextSkippingTokenizer, which skips the idle steps of text and quoted attribute values, gives exactly the
 *   callbacks, with the same positions and code points, as htmlparser2's own Tokenizer, on random markup made of
 *   the characters that matter to the tokenizer (tags, quotes, references, comments, raw-text elements, SVG);
 * - DirtyPlaces says a text needs cleaning exactly when needsCleaning says so, for texts read in order.
 */
import fc from 'fast-check';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  CAN_SKIP,
  DirtyPlaces,
  TextSkippingTokenizer,
} from '../../../../src-main/records/scr/narrative-tokens';
import { needsCleaning } from '../../../../src-main/records/text-clean';

/** Every callback as a line, in order; the foreign-content flag follows <svg>/<math> as ElementRules does. */
function record(make: (cbs: TokenizerCallbacks) => Tokenizer, html: string): string[] {
  const out: string[] = [];
  let foreign = 0;
  const cbs: TokenizerCallbacks = {
    onattribdata: (s, e) => out.push(`attribdata ${s} ${e}`),
    onattribentity: (cp) => out.push(`attribentity ${cp}`),
    onattribend: (q, e) => out.push(`attribend ${q} ${e}`),
    onattribname: (s, e) => out.push(`attribname ${s} ${e}`),
    oncdata: (s, e, o) => out.push(`cdata ${s} ${e} ${o}`),
    onclosetag: (s, e) => out.push(`closetag ${s} ${e}`),
    oncomment: (s, e, o) => out.push(`comment ${s} ${e} ${o}`),
    ondeclaration: (s, e) => out.push(`declaration ${s} ${e}`),
    onend: () => out.push('end'),
    onopentagend: (e) => out.push(`opentagend ${e}`),
    onopentagname: (s, e) => {
      const name = html.slice(s, e).toLowerCase();
      if (name === 'svg' || name === 'math') foreign++;
      out.push(`opentagname ${s} ${e}`);
    },
    onprocessinginstruction: (s, e) => out.push(`pi ${s} ${e}`),
    onselfclosingtag: (e) => out.push(`selfclosing ${e}`),
    ontext: (s, e) => out.push(`text ${s} ${e}`),
    ontextentity: (cp, e) => out.push(`textentity ${cp} ${e}`),
    isInForeignContext: () => foreign > 0,
  };
  const t = make(cbs);
  t.write(html);
  t.end();
  return out;
}

const options = { xmlMode: false, decodeEntities: true, recognizeSelfClosing: false } as const;

/** Markup from the pieces the tokenizer reacts to, run together at random. */
const markup = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<',
        '>',
        '&',
        '"',
        "'",
        '/',
        '=',
        ' ',
        '\n',
        '<td>',
        '</td>',
        '<tr class="oddRow">',
        "<p id='Practice'>",
        '<td colspan=2>',
        '<td/>',
        '<br>',
        '</br>',
        '&amp;',
        '&lt',
        '&#60;',
        '&#x3C;',
        '&nbsp;',
        '&notin;',
        '&unknown;',
        '<!-- c -->',
        '<!--',
        '-->',
        '<![CDATA[ x ]]>',
        '<?pi x?>',
        '<!DOCTYPE html>',
        '<script>',
        '</script>',
        '<ScRiPt>',
        '<style>',
        '</style>',
        '<title>',
        '</title>',
        '<textarea>',
        '<plaintext>',
        '<svg>',
        '</svg>',
        '<math>',
        '<a href="x&amp;y">',
        "<a title='a\"b'>",
        '\u202e',
        '\u0000',
        '  ',
      ),
      fc.stringMatching(/^[a-z0-9 ]{1,8}$/),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('narrative tokenizer shortcuts', () => {
  it('htmlparser2 12 has the internals the skipping needs (else it would fall back to stepping)', () => {
    expect(CAN_SKIP).toBe(true);
  });

  it('skipping text and attribute values gives exactly the Tokenizer callbacks', () => {
    fc.assert(
      fc.property(markup, (html) => {
        expect(record((c) => new TextSkippingTokenizer(options, c), html)).toEqual(
          record((c) => new Tokenizer(options, c), html),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('long text with many references and no tag, and the reverse, are the same as well', () => {
    for (const html of [
      'a&amp;'.repeat(2000),
      '<b>'.repeat(2000) + 'x',
      `<p title="${'&quot;'.repeat(500)}">${'z'.repeat(5000)}`,
      `<p title='${'a&amp;'.repeat(500)}'>`,
    ])
      expect(record((c) => new TextSkippingTokenizer(options, c), html)).toEqual(
        record((c) => new Tokenizer(options, c), html),
      );
  });

  it('DirtyPlaces agrees with needsCleaning on every text, read in order (and out of order)', () => {
    const text = fc
      .array(fc.constantFrom('a', ' ', '  ', '\n', '\t', '\u202e', '\u2066', '\u0085', '\u0007', 'xyz'), {
        maxLength: 30,
      })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(
        text,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
        fc.boolean(),
        (html, cuts, ordered) => {
          const spans = cuts.map(([a, b]) => {
            const s = a % (html.length + 1);
            return [s, s + (b % (html.length + 1 - s))] as const;
          });
          if (ordered) spans.sort((x, y) => x[0] - y[0]);
          const dirty = new DirtyPlaces(html);
          for (const [s, e] of spans) expect(dirty.within(s, e)).toBe(needsCleaning(html.slice(s, e)));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
