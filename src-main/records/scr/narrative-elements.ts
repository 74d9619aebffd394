/**
 * What each HTML element is to the narrative reader, in one table looked up once per start tag: its kind
 * (what narrative.ts makes of it) and the HTML rules narrative-tokens.ts applies (void, raw text, the end
 * tags it implies). Elements not listed are inline: their text is kept, the tag is not.
 */
import type { OmittedContent } from '../../../src-shared/domain/scr-view';

export type ElementKind =
  | 'inline'
  | 'block'
  | 'heading'
  | 'list'
  | 'item'
  | 'table'
  | 'caption'
  | 'tsection'
  | 'row'
  | 'cell'
  | 'br'
  /** Not content for a reader: dropped with its text, without mention. */
  | 'drop'
  /** Dropped with its text and reported. */
  | OmittedContent;

export interface ElementInfo {
  readonly kind: ElementKind;
  /** Has no content and no end tag (img, br ...). */
  readonly void: boolean;
  /** Its content is raw text to the tokenizer (script, style ...). */
  readonly rawText: boolean;
  /** Opening it closes a current element with one of these names (htmlparser2 Parser's openImpliesClose). */
  readonly impliesClose: ReadonlySet<string> | null;
}

const KINDS: Record<Exclude<ElementKind, 'inline'>, string> = {
  drop: 'script style template head title meta link base noscript xmp noembed noframes plaintext param source track',
  image: 'img image picture canvas map area',
  drawing: 'svg',
  formula: 'math',
  form: 'form input button select option optgroup datalist textarea output keygen',
  embedded: 'iframe frame frameset object embed applet video audio portal',
  heading: 'h1 h2 h3 h4 h5 h6',
  block:
    'p div pre listing address blockquote section article aside header footer main nav hgroup search figure ' +
    'figcaption details summary dialog fieldset legend dl dt dd center body html hr',
  list: 'ul ol menu dir',
  item: 'li',
  table: 'table',
  caption: 'caption',
  tsection: 'thead tbody tfoot',
  row: 'tr',
  cell: 'td th',
  br: 'br',
};

const VOID =
  'area base basefont br col command embed frame hr image img input isindex keygen link meta param source track wbr';
const RAW_TEXT = 'script style title textarea xmp iframe noembed noframes plaintext';

const P = ['p'];
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p'];
const FORM_TAGS = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const IMPLIES_CLOSE: Record<string, string[]> = {
  tr: ['tr', 'th', 'td'],
  th: ['th'],
  td: ['thead', 'th', 'td'],
  body: ['head', 'link', 'script'],
  a: ['a'],
  li: ['li'],
  p: P,
  h1: HEADINGS,
  h2: HEADINGS,
  h3: HEADINGS,
  h4: HEADINGS,
  h5: HEADINGS,
  h6: HEADINGS,
  select: FORM_TAGS,
  input: FORM_TAGS,
  output: FORM_TAGS,
  button: FORM_TAGS,
  datalist: FORM_TAGS,
  textarea: FORM_TAGS,
  option: ['option'],
  optgroup: ['optgroup', 'option'],
  dd: ['dd', 'dt'],
  dt: ['dd', 'dt'],
  rt: ['rt', 'rp'],
  rp: ['rt', 'rp'],
  tbody: ['thead', 'tbody'],
  tfoot: ['thead', 'tbody'],
};
for (const n of 'address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul'.split(
  ' ',
))
  IMPLIES_CLOSE[n] = P;

export const INLINE: ElementInfo = Object.freeze({
  kind: 'inline',
  void: false,
  rawText: false,
  impliesClose: null,
});

const TABLE = new Map<string, ElementInfo>();
{
  const kindOf = new Map<string, ElementKind>();
  for (const [kind, names] of Object.entries(KINDS))
    for (const n of names.split(' ')) kindOf.set(n, kind as ElementKind);
  const voids = new Set(VOID.split(' '));
  const raw = new Set(RAW_TEXT.split(' '));
  const sets = new Map<string[], ReadonlySet<string>>();
  const names = new Set([...kindOf.keys(), ...voids, ...raw, ...Object.keys(IMPLIES_CLOSE)]);
  for (const n of names) {
    const implied = IMPLIES_CLOSE[n];
    if (implied && !sets.has(implied)) sets.set(implied, new Set(implied));
    TABLE.set(
      n,
      Object.freeze({
        kind: kindOf.get(n) ?? 'inline',
        void: voids.has(n),
        rawText: raw.has(n),
        impliesClose: implied ? sets.get(implied)! : null,
      }),
    );
  }
}

/** The element's entry; INLINE for one not listed. `name` is lower case. */
export function elementInfo(name: string): ElementInfo {
  return TABLE.get(name) ?? INLINE;
}
