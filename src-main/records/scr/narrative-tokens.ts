/**
 * htmlparser2's HTML tokenizer -> element open / close / text events, with the element rules of its Parser
 * that matter for text: lower-case names, void elements, the implied end tags (a <td> ends an open <td>, a
 * <p> an open <p> ...), </p> and </br> without a start tag, a second <form> ignored, and no raw-text
 * tokenising inside SVG and MathML. The Tokenizer is used directly because in HTML mode the Parser on top of
 * it costs two to three times the tokenizing itself (1 MB of SCR table narrative, measured here), for
 * bookkeeping the narrative does not need; and its element stack, an array it shifts and searches, makes
 * deep nesting quadratic. Ours stops at the depth bound.
 *
 * Self-closing tags: an ordinary element written <td/> is closed at once, as XHTML (which SCR narratives are)
 * means; a raw-text element written <script/> is not, as in a browser, so what follows it up to </script> is
 * script, not text.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { needsCleaning } from '../text-clean';
import { elementInfo, type ElementInfo } from './narrative-elements';

export interface ElementEvents {
  /** An element starts (after the elements it implies closed were closed). */
  open(name: string, info: ElementInfo): void;
  /** An attribute of the element just opened; only colspan, and id when asked for. */
  attribute(name: 'colspan' | 'id', value: string): void;
  /** The innermost open element ends. */
  close(): void;
  /**
   * Text, decoded; `plain` when it holds nothing to clean (no control or bidirectional character, no
   * whitespace but single spaces). It may be whitespace only.
   */
  text(data: string, plain: boolean): void;
  /** A character reference that is HTML whitespace. */
  whitespace(): void;
}

function isHtmlSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
}

const TWO = [
  'td',
  'tr',
  'th',
  'li',
  'ul',
  'ol',
  'br',
  'em',
  'hr',
  'dd',
  'dt',
  'dl',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
];
/** Longer names, by length. */
const LONGER: readonly (readonly string[])[] = [
  [],
  [],
  [],
  ['div', 'pre', 'img', 'sub', 'sup'],
  ['span'],
  ['table', 'tbody', 'thead', 'tfoot'],
  ['strong'],
  ['caption'],
];

/**
 * The lower-case tag name at html[start, end). The names SCR narratives are made of come back as constants
 * (no new string to make and hash); any other is sliced and lower-cased.
 */
function readName(html: string, start: number, end: number): string {
  const len = end - start;
  if (len <= 2) {
    // | 0x20 lower-cases an ASCII letter and turns no other character into one.
    const c0 = html.charCodeAt(start) | 0x20;
    if (len === 1) {
      if (c0 === 0x70) return 'p';
      if (c0 === 0x62) return 'b';
      if (c0 === 0x69) return 'i';
      if (c0 === 0x61) return 'a';
    } else {
      const c1 = html.charCodeAt(start + 1) | 0x20;
      for (const n of TWO) if (n.charCodeAt(0) === c0 && n.charCodeAt(1) === c1) return n;
    }
  } else if (len < LONGER.length) {
    for (const n of LONGER[len]!) if (html.startsWith(n, start)) return n;
  }
  return html.slice(start, end).toLowerCase();
}

/**
 * The tokenizer's callbacks: keeps the open elements (names and table entries) and turns tokens into
 * ElementEvents. A class, so that a section costs no new closures.
 */
class ElementRules implements TokenizerCallbacks {
  private readonly names: string[] = [];
  private foreign = 0;
  private forms = 0;
  /** The start tag whose attributes are being read (null: none, or one that is ignored). */
  private tag: ElementInfo | null = null;
  private tagName = '';
  private attr: 'colspan' | 'id' | null = null;
  private value = '';
  /**
   * True when nothing in the whole narrative needs cleaning (one scan, instead of one per text): then no
   * text taken from it does either. Character references are checked one by one, as they decode.
   */
  private readonly clean: boolean;

  constructor(
    private readonly html: string,
    private readonly events: ElementEvents,
    private readonly captureIds: boolean,
  ) {
    this.clean = !needsCleaning(html);
  }

  private pop(): void {
    const name = this.names.pop()!;
    if (name === 'svg' || name === 'math') this.foreign--;
    else if (name === 'form') this.forms--;
    this.events.close();
  }

  private push(name: string, info: ElementInfo): void {
    const implied = info.impliesClose;
    const names = this.names;
    if (implied !== null) while (names.length > 0 && implied.has(names[names.length - 1]!)) this.pop();
    names.push(name);
    if (name === 'svg' || name === 'math') this.foreign++;
    else if (name === 'form') this.forms++;
    this.events.open(name, info);
  }

  /** Where the start tag ends: a void element closes there. */
  private endStartTag(): void {
    const tag = this.tag;
    if (tag !== null && tag.void && this.names[this.names.length - 1] === this.tagName) this.pop();
    this.tag = null;
    this.attr = null;
  }

  onopentagname(start: number, end: number): void {
    const name = readName(this.html, start, end);
    this.attr = null;
    // A second form inside a form is ignored, as htmlparser2's Parser (and a browser) does.
    if (name === 'form' && this.forms > 0) {
      this.tag = null;
      return;
    }
    this.tag = elementInfo(name);
    this.tagName = name;
    this.push(name, this.tag);
  }

  onattribname(start: number, end: number): void {
    const len = end - start;
    this.attr = null;
    if (this.tag === null) return;
    if (len === 7 && this.html.slice(start, end).toLowerCase() === 'colspan') this.attr = 'colspan';
    else if (len === 2 && this.captureIds && this.html.slice(start, end).toLowerCase() === 'id')
      this.attr = 'id';
    this.value = '';
  }

  onattribdata(start: number, end: number): void {
    if (this.attr !== null) this.value += this.html.slice(start, end);
  }

  onattribentity(cp: number): void {
    if (this.attr !== null) this.value += String.fromCodePoint(cp);
  }

  onattribend(): void {
    if (this.attr !== null) this.events.attribute(this.attr, this.value);
    this.attr = null;
  }

  onopentagend(): void {
    this.endStartTag();
  }

  onselfclosingtag(): void {
    // <td/> is an empty cell (XHTML); <script/> still starts raw text, as in a browser.
    const tag = this.tag;
    if (tag !== null && !tag.void && !tag.rawText && this.names[this.names.length - 1] === this.tagName)
      this.pop();
    this.endStartTag();
  }

  onclosetag(start: number, end: number): void {
    const names = this.names;
    // Most end tags end the innermost element: compare in place before making a name.
    const top = names[names.length - 1];
    if (top !== undefined && top.length === end - start && this.html.startsWith(top, start))
      return this.pop();
    const name = readName(this.html, start, end);
    // </br> is a line break, as in a browser; other void elements are never open, so their end tags are
    // not found below and are ignored.
    if (name === 'br') {
      this.push(name, elementInfo(name));
      this.pop();
      return;
    }
    const at = names.lastIndexOf(name);
    if (at >= 0) while (names.length > at) this.pop();
    else if (name === 'p') {
      // </p> with no <p> open: an empty paragraph, as in a browser.
      this.push(name, elementInfo(name));
      this.pop();
    }
  }

  ontext(start: number, end: number): void {
    const html = this.html;
    // A lone line break between tags is the most common text of all.
    if (end - start === 1 && isHtmlSpace(html.charCodeAt(start))) return this.events.whitespace();
    const text = html.slice(start, end);
    this.events.text(text, this.clean || !needsCleaning(text));
  }

  ontextentity(cp: number): void {
    if (isHtmlSpace(cp)) return this.events.whitespace();
    // &amp; &lt; &gt; &quot; and the like: printable ASCII needs no cleaning.
    if (cp > 32 && cp < 127) return this.events.text(String.fromCharCode(cp), true);
    const ch = String.fromCodePoint(cp);
    this.events.text(ch, !needsCleaning(ch));
  }

  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  onend(): void {
    while (this.names.length > 0) this.pop();
  }

  isInForeignContext(): boolean {
    return this.foreign > 0;
  }
}

/** Tokenises `html`, calling `events`; an exception thrown by an event handler stops it and propagates. */
export function tokenize(html: string, events: ElementEvents, captureIds: boolean): void {
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true, recognizeSelfClosing: false },
    new ElementRules(html, events, captureIds),
  );
  tokenizer.write(html);
  tokenizer.end();
}
