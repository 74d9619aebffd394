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
 *
 * Text runs are skipped, not stepped through: the Tokenizer visits every character, and in its text state every
 * character but `<` and `&` is a no-op, so `TextSkippingTokenizer` moves straight to the next `<` or `&` (found
 * with indexOf, a native scan) and lets the Tokenizer handle that one as it would have. The same for the inside
 * of a quoted attribute value (to the closing quote or `&`). The tokens, their positions and every state change
 * are the Tokenizer's own (a property test compares the two on random markup); only the idle steps are gone.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { needsCleaning, SPECIAL_CHARACTER } from '../text-clean';
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

/** The Tokenizer's fields and states the skipping relies on (htmlparser2 12; checked when this module loads). */
interface TokenizerInternals {
  buffer: string;
  offset: number;
  index: number;
  stateText(c: number): void;
  stateInAttributeValueDoubleQuotes(c: number): void;
  stateInAttributeValueSingleQuotes(c: number): void;
}

const LT = 0x3c;
const AMP = 0x26;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/**
 * The next position of a character at or after `from` in one buffer, remembered until `from` passes it, so that
 * text with many `&` and no `<` (or the reverse) is still scanned once, not once per stop.
 */
class NextOf {
  /** Where the last scan started and what it found (the buffer's length: nothing). */
  private from = 0;
  private at = -1;
  private buffer = '';
  constructor(private readonly ch: string) {}
  find(buffer: string, from: number): number {
    if (this.at < from || from < this.from || this.buffer !== buffer) {
      const i = buffer.indexOf(this.ch, from);
      this.from = from;
      this.at = i < 0 ? buffer.length : i;
      this.buffer = buffer;
    }
    return this.at;
  }
}

/**
 * htmlparser2's Tokenizer, with the idle steps of text and quoted attribute values skipped (see the module
 * comment). The overrides call the Tokenizer's own state functions for every character that does something.
 */
export class TextSkippingTokenizer extends Tokenizer {
  readonly nextLt = new NextOf('<');
  readonly nextAmp = new NextOf('&');
  readonly nextDquote = new NextOf('"');
  readonly nextSquote = new NextOf("'");
}

const BASE = Tokenizer.prototype as unknown as TokenizerInternals;
const SKIPPING = TextSkippingTokenizer.prototype as unknown as TokenizerInternals;
type Skipper = TokenizerInternals &
  Pick<TextSkippingTokenizer, 'nextLt' | 'nextAmp' | 'nextDquote' | 'nextSquote'>;

/**
 * Moves the Tokenizer to the character before `stop` (its parse loop then steps onto `stop`); `stop` is the
 * buffer's length when nothing more is found, which ends the loop as stepping would.
 */
function skipTo(t: Skipper, stop: number): void {
  t.index = stop + t.offset - 1;
}

/** The Tokenizer's internals are as this module expects: otherwise it runs unchanged, stepping every character. */
export const CAN_SKIP =
  typeof BASE.stateText === 'function' &&
  typeof BASE.stateInAttributeValueDoubleQuotes === 'function' &&
  typeof BASE.stateInAttributeValueSingleQuotes === 'function' &&
  (() => {
    const probe = new Tokenizer({ decodeEntities: true }, {} as TokenizerCallbacks) as unknown as Partial<
      Record<keyof TokenizerInternals, unknown>
    >;
    return (
      typeof probe.buffer === 'string' && typeof probe.offset === 'number' && typeof probe.index === 'number'
    );
  })();

if (CAN_SKIP) {
  const text = BASE.stateText;
  const inDq = BASE.stateInAttributeValueDoubleQuotes;
  const inSq = BASE.stateInAttributeValueSingleQuotes;
  SKIPPING.stateText = function (this: Skipper, c: number): void {
    if (c === LT || c === AMP) return text.call(this, c);
    const buffer = this.buffer;
    const from = this.index - this.offset + 1;
    const lt = this.nextLt.find(buffer, from);
    const amp = this.nextAmp.find(buffer, from);
    skipTo(this, lt < amp ? lt : amp);
  };
  SKIPPING.stateInAttributeValueDoubleQuotes = function (this: Skipper, c: number): void {
    if (c === DQUOTE || c === AMP) return inDq.call(this, c);
    const buffer = this.buffer;
    const from = this.index - this.offset + 1;
    const q = this.nextDquote.find(buffer, from);
    const amp = this.nextAmp.find(buffer, from);
    skipTo(this, q < amp ? q : amp);
  };
  SKIPPING.stateInAttributeValueSingleQuotes = function (this: Skipper, c: number): void {
    if (c === SQUOTE || c === AMP) return inSq.call(this, c);
    const buffer = this.buffer;
    const from = this.index - this.offset + 1;
    const q = this.nextSquote.find(buffer, from);
    const amp = this.nextAmp.find(buffer, from);
    skipTo(this, q < amp ? q : amp);
  };
}

/**
 * Whether the text html[start, end) needs cleaning (a control or bidirectional character, or two spaces in a
 * row), answered from the next such place at or after `start`, each found once by a native scan and remembered
 * until the text read passes it: texts come in document order, so the whole narrative is scanned once however
 * many texts it holds.
 */
export class DirtyPlaces {
  /** Where the scans started (a text before that is scanned afresh) and what they found. */
  private specialFrom = 0;
  private special = -1;
  private doubleFrom = 0;
  private doubleSpace = -1;
  private readonly search = new RegExp(SPECIAL_CHARACTER.source, 'g');
  constructor(private readonly html: string) {}
  within(start: number, end: number): boolean {
    if (this.special < start || start < this.specialFrom) {
      this.search.lastIndex = start;
      // test, not exec: no match object; a global regex leaves lastIndex just after the character found.
      this.special = this.search.test(this.html) ? this.search.lastIndex - 1 : this.html.length;
      this.specialFrom = start;
    }
    if (this.special < end) return true;
    if (this.doubleSpace < start || start < this.doubleFrom) {
      const i = this.html.indexOf('  ', start);
      this.doubleFrom = start;
      this.doubleSpace = i < 0 ? this.html.length : i;
    }
    return this.doubleSpace + 1 < end;
  }
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
  /** Where the narrative's raw text needs cleaning. Character references are checked one by one, as they decode. */
  private readonly dirty: DirtyPlaces;

  constructor(
    private readonly html: string,
    private readonly events: ElementEvents,
    private readonly captureIds: boolean,
  ) {
    this.dirty = new DirtyPlaces(html);
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
    this.events.text(html.slice(start, end), !this.dirty.within(start, end));
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
  const tokenizer = new (CAN_SKIP ? TextSkippingTokenizer : Tokenizer)(
    { xmlMode: false, decodeEntities: true, recognizeSelfClosing: false },
    new ElementRules(html, events, captureIds),
  );
  tokenizer.write(html);
  tokenizer.end();
}
