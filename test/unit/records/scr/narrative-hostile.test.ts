/**
 * Hostile SCR narratives (fast-check). Each generated narrative mixes visible text (words and character
 * references) in ordinary structure with hostile parts: script and style elements (any letter case), event
 * handler, style, href="javascript:..." and other attributes (quoted and unquoted), self-closed <script/>, SVG with script and
 * foreignObject, MathML, iframes, objects, images, forms, comments, CDATA sections, processing instructions and
 * doctypes. Every hostile part carries a marker ("ZQ" + digits) and visible words use only the letters a-m, so
 * neither can be mistaken for the other.
 *
 * What the property asserts, precisely:
 * 1. The view is data, not markup: it parses as NarrativeView with nothing left over (only the four block
 *    types, booleans, numbers and strings).
 * 2. No marker appears anywhere in the serialised view: no character of a script or style body, of SVG or
 *    MathML, of a comment, CDATA section, processing instruction or doctype, and no attribute value (so no URL,
 *    no handler, no CSS) reaches it.
 * 3. The view's strings, in order and ignoring whitespace, are exactly the visible text decoded once: nothing
 *    added, nothing lost. So every "<", ">" or "&" in the view is a character the narrative's text encoded as a
 *    reference (&lt;, &#60;, &#x3C;, &amp;lt; gives the text "&lt;"), shown as text; no "<" written as markup
 *    survives, since markup contributes no character at all.
 * 4. The omitted-content kinds reported are exactly those of the hostile parts used (images, drawings,
 *    formulas, forms, embedded content); scripts and styles are dropped without mention.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NarrativeView, type OmittedContent } from '../../../../src-shared/domain/scr-view';
import { parseNarrative } from '../../../../src-main/records/scr/narrative';
import { viewText } from '../../../support/records/narrative-text';

interface Piece {
  html: string;
  /** The decoded visible text this piece contributes. */
  text: string;
  omitted: OmittedContent[];
}

const marker = fc.nat({ max: 99_999 }).map((n) => `ZQ${n}`);
const word = fc.stringMatching(/^[a-m]{1,6}$/);

/** Character references in text, with what they decode to (once). Unterminated ones end with a space. */
const ENTITIES: ReadonlyArray<readonly [string, string]> = [
  ['&lt;script&gt;', '<script>'],
  ['&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;', '</p><img src=x onerror=alert(1)>'],
  ['&amp;lt;', '&lt;'],
  ['&amp;amp;lt;', '&amp;lt;'],
  ['&amp;#60;', '&#60;'],
  ['&#60;', '<'],
  ['&#x3C;', '<'],
  ['&#X3c;', '<'],
  ['&#0000060;', '<'],
  ['&lt ', '< '],
  ['&#60 ', '< '],
  ['&gt;&quot;&apos;&amp;', '>"\'&'],
  ['&bogus;', '&bogus;'],
  ['&#xZZ;', '&#xZZ;'],
  ['&#0;', '\uFFFD'],
  ['&#x110000;', '\uFFFD'],
  ['&#xD800;', '\uFFFD'],
  // Bidirectional overrides and control characters are removed from text (they could reorder what is shown).
  ['&#x202E;', ''],
  ['&#x2066;', ''],
  ['&#1;', ''],
  ['&#x81;', ''],
  // HTML maps references in the C1 range to Windows-1252 characters.
  ['&#x9F;', '\u0178'],
  ['&#128;', '\u20AC'],
  ['&nbsp;', '\u00A0'],
];
const entity = fc.constantFrom(...ENTITIES).map(([html, text]): Piece => ({ html, text, omitted: [] }));
const textPiece = fc.oneof(
  { weight: 3, arbitrary: word.map((w): Piece => ({ html: w, text: w, omitted: [] })) },
  { weight: 2, arbitrary: entity },
);

/** Hostile attributes for visible elements: every value holds a marker. */
const attribute = marker.chain((m) =>
  fc.constantFrom(
    ` onclick="alert('${m}')"`,
    ` onmouseover=${m}`,
    ` style="background:url(javascript:${m})"`,
    ` style='color:red;${m}'`,
    ` title="&lt;script&gt;${m}&lt;/script&gt;"`,
    ` id="${m}"`,
    ` class=${m}`,
    ` data-x="a>b ${m}"`,
    ` colspan="${m}"`,
    ` xmlns="${m}"`,
  ),
);
const attributes = fc.array(attribute, { maxLength: 3 }).map((a) => a.join(''));

/** Hostile parts that must contribute no text; some are reported as omitted content. */
const hostile = marker.chain((m) =>
  fc.constantFrom<Piece>(
    { html: `<script>alert("${m}")</script>`, text: '', omitted: [] },
    { html: `<SCRIPT>document.write("<p>${m}</p>")</SCRIPT>`, text: '', omitted: [] },
    { html: `<ScRiPt type="text/javascript"><!--${m}//--></sCrIpT>`, text: '', omitted: [] },
    { html: `<script src="https://${m}.invalid/x.js"></script>`, text: '', omitted: [] },
    // A self-closed script or style still starts raw text, as in a browser: what follows is script, not text.
    { html: `<script/>alert("${m}")</script>`, text: '', omitted: [] },
    { html: `<style/>p{color:${m}}</style>`, text: '', omitted: [] },
    { html: `<textarea/>${m}</textarea>`, text: '', omitted: ['form'] },
    { html: `<style>p{background:url(javascript:${m})}</style>`, text: '', omitted: [] },
    { html: `<STYLE>@import "${m}";</STYLE>`, text: '', omitted: [] },
    { html: `<!--${m}-->`, text: '', omitted: [] },
    { html: `<!-- <p>${m}</p> <script>${m}</script> -->`, text: '', omitted: [] },
    { html: `<![CDATA[${m}]]>`, text: '', omitted: [] },
    { html: `<![CDATA[<script>${m}</script>]]>`, text: '', omitted: [] },
    { html: `<?xml-stylesheet href="${m}"?>`, text: '', omitted: [] },
    { html: `<!DOCTYPE ${m}>`, text: '', omitted: [] },
    { html: `<noscript><p>${m}</p></noscript>`, text: '', omitted: [] },
    { html: `<template><p>${m}</p></template>`, text: '', omitted: [] },
    { html: `<title>${m}</title>`, text: '', omitted: [] },
    { html: `<xmp><p>${m}</p></xmp>`, text: '', omitted: [] },
    { html: `<noembed>${m}</noembed><noframes>${m}</noframes>`, text: '', omitted: [] },
    {
      html: `<link rel="stylesheet" href="${m}"><meta http-equiv="refresh" content="0;url=${m}">`,
      text: '',
      omitted: [],
    },
    { html: `<base href="${m}">`, text: '', omitted: [] },
    { html: `<img src="${m}" onerror="alert('${m}')">`, text: '', omitted: ['image'] },
    { html: `<img src=${m} alt="${m}"/>`, text: '', omitted: ['image'] },
    { html: `<video src="${m}"><track src="${m}">${m}</video>`, text: '', omitted: ['embedded'] },
    {
      html: `<svg onload="${m}"><script>${m}</script><foreignObject><p>${m}</p></foreignObject><text>${m}</text></svg>`,
      text: '',
      omitted: ['drawing'],
    },
    {
      html: `<svg><style>${m}</style><a href="javascript:${m}"><text>${m}</text></a></svg>`,
      text: '',
      omitted: ['drawing'],
    },
    {
      html: `<math><mi>${m}</mi><annotation-xml encoding="text/html"><p>${m}</p></annotation-xml></math>`,
      text: '',
      omitted: ['formula'],
    },
    { html: `<iframe src="javascript:${m}">${m}</iframe>`, text: '', omitted: ['embedded'] },
    { html: `<iframe srcdoc="<script>${m}</script>"></iframe>`, text: '', omitted: ['embedded'] },
    {
      html: `<object data="${m}"><param name="${m}">${m}</object><embed src="${m}">`,
      text: '',
      omitted: ['embedded'],
    },
    {
      html: `<form action="${m}"><input value="${m}"><button formaction="${m}">${m}</button><select><option>${m}</option></select><textarea>${m}</textarea></form>`,
      text: '',
      omitted: ['form'],
    },
    { html: `<button onclick="${m}">${m}</button>`, text: '', omitted: ['form'] },
  ),
);

function wrap(open: string, close: string, inner: Piece[], attrs = ''): Piece {
  return {
    html: `<${open}${attrs}>${inner.map((p) => p.html).join(' ')}</${close}>`,
    text: inner.map((p) => p.text).join(''),
    omitted: inner.flatMap((p) => p.omitted),
  };
}

function join(parts: Piece[], sep = ''): Piece {
  return {
    html: parts.map((p) => p.html).join(sep),
    text: parts.map((p) => p.text).join(''),
    omitted: parts.flatMap((p) => p.omitted),
  };
}

const INLINE = ['span', 'b', 'i', 'em', 'strong', 'u', 'sub', 'sup', 'abbr', 'code', 'font', 'x-unknown'];
const BLOCK = ['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'section', 'pre', 'address'];

const { node } = fc.letrec<{ node: Piece; nodes: Piece[] }>((tie) => ({
  nodes: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: textPiece },
    { weight: 2, arbitrary: hostile },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...INLINE), attributes, tie('nodes'))
        .map(([t, a, inner]) => wrap(t, t, inner, a)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...BLOCK), attributes, tie('nodes'))
        .map(([t, a, inner]) => wrap(t, t, inner, a)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(marker, tie('nodes'))
        .map(([m, inner]) => wrap('a', 'a', inner, ` href="javascript:alert('${m}')" target=_blank`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('ul', 'ol'),
          attributes,
          fc.array(tie('nodes'), { minLength: 1, maxLength: 3 }),
        )
        .map(([t, a, items]) =>
          wrap(
            t,
            t,
            items.map((i) => wrap('li', 'li', i)),
            a,
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          attrs: attributes,
          caption: fc.option(tie('nodes'), { nil: undefined }),
          head: fc.option(fc.array(tie('nodes'), { minLength: 1, maxLength: 3 }), { nil: undefined }),
          rows: fc.array(
            fc.array(fc.tuple(tie('nodes'), fc.constantFrom('', ' colspan="2"', ' COLSPAN=3')), {
              minLength: 1,
              maxLength: 3,
            }),
            { minLength: 1, maxLength: 3 },
          ),
        })
        .map(({ attrs, caption, head, rows }) => {
          const parts: Piece[] = [];
          if (caption) parts.push(wrap('caption', 'caption', caption));
          if (head)
            parts.push(
              wrap('thead', 'thead', [
                wrap(
                  'tr',
                  'tr',
                  head.map((h) => wrap('th', 'th', h)),
                ),
              ]),
            );
          parts.push(
            wrap(
              'tbody',
              'tbody',
              rows.map((r) =>
                wrap(
                  'tr',
                  'tr',
                  r.map(([c, span]) => wrap('td', 'td', c, span)),
                ),
              ),
            ),
          );
          return wrap('table', 'table', parts, attrs);
        }),
    },
  ),
}));

/** Parts on lines of their own, or run together (then many narratives hold no character to clean at all). */
const narrative = fc
  .tuple(fc.array(node, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', ''))
  .map(([parts, separator]) =>
    join(
      [
        { html: '<div xmlns="http://www.w3.org/1999/xhtml">', text: '', omitted: [] },
        ...parts,
        { html: '</div>', text: '', omitted: [] },
      ],
      separator,
    ),
  );

const noSpace = (s: string) => s.replace(/\s+/g, '');

describe('hostile SCR narratives', () => {
  it('only the visible text reaches the view, decoded once, as text; no markup, script, style or attribute value', () => {
    fc.assert(
      fc.property(narrative, (doc) => {
        const view = parseNarrative(doc.html);
        // 1. Data, not markup: nothing beyond the schema.
        expect(NarrativeView.parse(view)).toStrictEqual(view);
        // 2. No hostile character.
        expect(JSON.stringify(view)).not.toMatch(/ZQ\d/);
        // 3. Exactly the visible text, in order.
        expect(noSpace(viewText(view))).toBe(noSpace(doc.text));
        // 4. Omitted content reported as it was.
        expect(view.omitted).toEqual([...new Set(doc.omitted)].sort());
        expect(view.truncated).toBeNull();
      }),
      { numRuns: 400 },
    );
  });
});
