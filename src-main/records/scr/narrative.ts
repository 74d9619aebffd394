/**
 * SCR section narrative (XHTML) -> typed text blocks (src-shared/domain/scr-view.ts).
 *
 * htmlparser2's tokenizer reads the narrative in HTML mode, as a browser would (raw-text elements such as
 * script, style, textarea and title, character references decoded once with the HTML rules), and
 * narrative-tokens.ts adds the element rules (lower-case names, void elements, implied end tags, XHTML's
 * <td/>). This module keeps only text, in headings, paragraphs, lists and tables. Nothing else is kept: no tag,
 * no attribute value (the one attribute read is colspan, as a number; an id is read only to find a captured
 * element), no comment, CDATA section or processing instruction. Scripts, styles and other non-content
 * subtrees are dropped with all their text; images, SVG, MathML, forms and embedded content are dropped with
 * their text too and reported in `omitted` (see README.md in this folder for why).
 *
 * Bounds (NARRATIVE_LIMITS): nesting depth, blocks, table cells and list items, total text. Past one, parsing
 * stops, what was read is kept and `truncated` names the bound. The element stack never grows past the depth
 * bound, so deep nesting costs nothing.
 */
import type {
  NarrativeBlock,
  NarrativeView,
  OmittedContent,
  TableCell,
  TruncationLimit,
} from '../../../src-shared/domain/scr-view';
import { cleanDirtyChunk } from '../text-clean';
import type { ElementInfo, ElementKind } from './narrative-elements';
import { tokenize, type ElementEvents } from './narrative-tokens';

export interface NarrativeLimits {
  /** Open elements at once. SCR narratives nest fewer than 15 deep. */
  maxDepth: number;
  /** Headings, paragraphs, lists and tables. */
  maxBlocks: number;
  /** Table cells plus list items. */
  maxCells: number;
  /** Characters of text, all blocks together. */
  maxTextLength: number;
}

export const NARRATIVE_LIMITS: Readonly<NarrativeLimits> = Object.freeze({
  maxDepth: 100,
  maxBlocks: 5_000,
  maxCells: 100_000,
  maxTextLength: 4_000_000,
});

export interface NarrativeOptions {
  limits?: Partial<NarrativeLimits>;
  /** Element ids whose text to return as well (the first element with each id). */
  capture?: readonly string[];
}

export interface CapturedNarrative {
  view: NarrativeView;
  /** Text of the captured elements, by id (cleaned; only ids that were found). */
  captured: ReadonlyMap<string, string>;
}

type Kind = ElementKind;

/** What an open element does when it closes (one entry per open element, htmlparser2's stack mirrored). */
const enum Role {
  Nothing,
  Skip,
  FlowBlock,
  Heading,
  List,
  Item,
  ListBlock,
  Table,
  TableOther,
  Caption,
  TSection,
  Row,
  Cell,
  FlatBlock,
}

const enum End {
  Empty,
  Text,
  Space,
  Newline,
}

/** Text being gathered for one block, cell, caption or list item. */
class Acc {
  s = '';
  end = End.Empty;
  text(): string {
    return this.end === End.Text ? this.s : this.s.trimEnd();
  }
  /** Emptied for the next block (one is open at a time, so each kind has one, reused). */
  reset(): this {
    this.s = '';
    this.end = End.Empty;
    return this;
  }
}

/** A table cell being read. */
class CellAcc extends Acc {
  colSpan = 1;
  header = false;
  start(header: boolean): this {
    this.reset();
    this.colSpan = 1;
    this.header = header;
    return this;
  }
}

class Stop {
  constructor(readonly limit: TruncationLimit) {}
}

interface TableBuild {
  caption: string | undefined;
  head: TableCell[][];
  body: TableCell[][];
  foot: TableCell[][];
  section: 'head' | 'body' | 'foot';
  row: TableCell[] | null;
  cell: CellAcc | null;
  captionAcc: Acc | null;
  /** Text inside the table but outside cells; shown before the table, as a browser does. */
  foster: Acc | null;
}

function parseColSpan(value: string): number {
  const m = /^\s*(\d{1,7})/.exec(value);
  if (!m) return 1;
  return Math.min(Math.max(Number(m[1]), 1), 1000);
}

/** ElementEvents -> blocks. */
class NarrativeBuilder implements ElementEvents {
  readonly blocks: NarrativeBlock[] = [];
  readonly omitted = new Set<OmittedContent>();
  readonly captured = new Map<string, string>();
  truncated: TruncationLimit | null = null;

  private readonly roles: Role[] = [];
  private readonly flowAcc = new Acc();
  private readonly itemAcc = new Acc();
  private readonly cellAcc = new CellAcc();
  private skip = 0;
  private flow: Acc | null = null;
  private flowKind: 'heading' | 'paragraph' = 'paragraph';
  private headingDepth = 0;
  private list: { ordered: boolean; items: string[] } | null = null;
  private item: Acc | null = null;
  private implicitItem = false;
  private table: TableBuild | null = null;
  private cells = 0;
  private textLength = 0;
  private stopped = false;
  /** The cell whose attributes are being read (colspan). */
  private openedCell: TableBuild['cell'] = null;
  private capture: { id: string; at: number; parts: string[] } | null = null;

  constructor(
    private readonly limits: NarrativeLimits,
    private readonly captureIds: ReadonlySet<string>,
  ) {}

  // ---- htmlparser2 callbacks -------------------------------------------------------------------------------

  open(name: string, info: ElementInfo): void {
    this.openedCell = null;
    this.roles.push(this.skip > 0 ? Role.Nothing : this.start(info.kind, name));
    if (this.roles.length > this.limits.maxDepth) throw new Stop('depth');
  }

  close(): void {
    const role = this.roles.pop();
    if (role !== undefined) this.end(role);
    if (this.capture && this.roles.length <= this.capture.at) this.endCapture();
  }

  attribute(name: 'colspan' | 'id', value: string): void {
    if (this.skip > 0) return;
    if (name === 'colspan') {
      if (this.openedCell) this.openedCell.colSpan = parseColSpan(value);
    } else if (this.capture === null && this.captureIds.has(value) && !this.captured.has(value)) {
      this.capture = { id: value, at: this.roles.length - 1, parts: [] };
    }
  }

  text(data: string, plain: boolean): void {
    if (this.skip > 0) return;
    const chunk = plain ? data : cleanDirtyChunk(data);
    if (chunk === ' ' || chunk === '') return this.whitespace();
    const sink = this.currentSink(true);
    if (sink) this.appendText(sink, chunk);
  }

  whitespace(): void {
    if (this.skip > 0) return;
    const sink = this.currentSink(false);
    if (sink && sink.end === End.Text) this.push(sink, ' ');
  }

  /** After a Stop: close what is open so the partial blocks are kept. */
  unwind(limit: TruncationLimit): void {
    this.stopped = true;
    this.truncated = limit;
    while (this.roles.length > 0) this.close();
    this.finish();
  }

  finish(): void {
    this.flushFlow();
    if (this.capture) this.endCapture();
  }

  // ---- opening and closing ---------------------------------------------------------------------------------

  private start(kind: Kind, name: string): Role {
    switch (kind) {
      case 'drop':
        this.skip++;
        return Role.Skip;
      case 'image':
      case 'drawing':
      case 'formula':
      case 'form':
      case 'embedded':
        this.omitted.add(kind);
        this.skip++;
        return Role.Skip;
      case 'br': {
        const sink = this.currentSink(false);
        if (sink) this.appendBreak(sink);
        return Role.Nothing;
      }
    }
    const inner = this.innerSink();
    if (inner) {
      // Inside a cell, caption or list item everything is flattened into its text.
      if (kind === 'cell') {
        if (inner.end === End.Text) this.push(inner, ' ');
        return Role.Nothing;
      }
      if (kind === 'inline') return Role.Nothing;
      this.appendBreak(inner);
      return Role.FlatBlock;
    }
    if (this.table) return this.openInTable(kind, name);
    if (this.list) return this.openInList(kind);
    return this.openInFlow(kind, name);
  }

  private openInFlow(kind: Kind, name: string): Role {
    switch (kind) {
      case 'inline':
        return Role.Nothing;
      case 'heading':
        this.flushFlow();
        this.headingDepth++;
        return Role.Heading;
      case 'list':
        this.flushFlow();
        this.list = { ordered: name === 'ol', items: [] };
        return Role.List;
      case 'table':
        this.flushFlow();
        this.table = {
          caption: undefined,
          head: [],
          body: [],
          foot: [],
          section: 'body',
          row: null,
          cell: null,
          captionAcc: null,
          foster: null,
        };
        return Role.Table;
      default:
        // Blocks, and list or table parts found outside a list or table: boundaries between paragraphs.
        this.flushFlow();
        return Role.FlowBlock;
    }
  }

  private openInList(kind: Kind): Role {
    if (kind === 'item') {
      this.endImplicitItem();
      this.countCell();
      this.item = this.itemAcc.reset();
      return Role.Item;
    }
    if (kind === 'inline' || kind === 'list') return Role.Nothing;
    this.endImplicitItem();
    return Role.ListBlock;
  }

  private openInTable(kind: Kind, name: string): Role {
    const t = this.table!;
    switch (kind) {
      case 'caption':
        t.captionAcc = new Acc();
        return Role.Caption;
      case 'tsection':
        this.endRow();
        t.section = name === 'thead' ? 'head' : name === 'tfoot' ? 'foot' : 'body';
        return Role.TSection;
      case 'row':
        this.endRow();
        t.row = [];
        return Role.Row;
      case 'cell':
        this.countCell();
        t.row ??= [];
        t.cell = this.cellAcc.start(name === 'th');
        this.openedCell = t.cell;
        return Role.Cell;
      case 'inline':
        return Role.Nothing;
      default:
        if (t.foster) this.appendBreak(t.foster);
        return Role.TableOther;
    }
  }

  private end(role: Role): void {
    switch (role) {
      case Role.Nothing:
        return;
      case Role.Skip:
        this.skip--;
        return;
      case Role.FlowBlock:
        this.flushFlow();
        return;
      case Role.Heading:
        this.flushFlow();
        this.headingDepth--;
        return;
      case Role.FlatBlock: {
        const inner = this.innerSink();
        if (inner) this.appendBreak(inner);
        return;
      }
      case Role.Item:
        this.endItem();
        return;
      case Role.ListBlock:
        this.endImplicitItem();
        return;
      case Role.List: {
        this.endItem();
        const list = this.list!;
        this.list = null;
        if (list.items.length > 0) this.pushBlock({ type: 'list', ordered: list.ordered, items: list.items });
        return;
      }
      case Role.Caption: {
        const t = this.table!;
        const text = t.captionAcc!.text();
        t.captionAcc = null;
        if (text) t.caption = t.caption === undefined ? text : `${t.caption}\n${text}`;
        return;
      }
      case Role.TSection:
        this.endRow();
        this.table!.section = 'body';
        return;
      case Role.Row:
        this.endRow();
        return;
      case Role.Cell:
        this.endCell();
        return;
      case Role.TableOther: {
        const foster = this.table!.foster;
        if (foster) this.appendBreak(foster);
        return;
      }
      case Role.Table:
        this.endTable();
        return;
    }
  }

  // ---- lists and tables ------------------------------------------------------------------------------------

  private endItem(): void {
    if (!this.item) return;
    const text = this.item.text();
    this.item = null;
    this.implicitItem = false;
    if (text) this.list!.items.push(text);
  }

  private endImplicitItem(): void {
    if (this.implicitItem) this.endItem();
  }

  private endCell(): void {
    const t = this.table!;
    const c = t.cell;
    if (!c) return;
    t.cell = null;
    const cell: TableCell = { text: c.text(), header: c.header };
    if (c.colSpan > 1) cell.colSpan = c.colSpan;
    t.row!.push(cell);
  }

  private endRow(): void {
    const t = this.table!;
    this.endCell();
    if (t.row && t.row.length > 0) t[t.section].push(t.row);
    t.row = null;
  }

  private endTable(): void {
    this.endRow();
    const t = this.table!;
    this.table = null;
    const head = t.head;
    const body = t.body.concat(t.foot);
    if (head.length === 0) {
      while (body.length > 0 && body[0]!.every((c) => c.header)) head.push(body.shift()!);
    }
    const foster = t.foster?.text();
    if (foster) this.pushBlock({ type: 'paragraph', text: foster });
    if (head.length === 0 && body.length === 0 && t.caption === undefined) return;
    this.pushBlock(
      t.caption === undefined
        ? { type: 'table', head, body }
        : { type: 'table', caption: t.caption, head, body },
    );
  }

  // ---- text ------------------------------------------------------------------------------------------------

  /** The open cell, caption or list item, if any: where nested structure is flattened. */
  private innerSink(): Acc | null {
    if (this.table) return this.table.cell ?? this.table.captionAcc;
    if (this.list && !this.implicitItem) return this.item;
    return null;
  }

  private currentSink(create: boolean): Acc | null {
    if (this.table) {
      const t = this.table;
      if (t.cell) return t.cell;
      if (t.captionAcc) return t.captionAcc;
      if (!t.foster && create) t.foster = new Acc();
      return t.foster;
    }
    if (this.list) {
      if (!this.item && create) {
        this.countCell();
        this.item = this.itemAcc.reset();
        this.implicitItem = true;
      }
      return this.item;
    }
    if (!this.flow && create) {
      this.flow = this.flowAcc.reset();
      this.flowKind = this.headingDepth > 0 ? 'heading' : 'paragraph';
    }
    return this.flow;
  }

  private flushFlow(): void {
    const flow = this.flow;
    if (!flow) return;
    this.flow = null;
    const text = flow.text();
    if (text) this.pushBlock({ type: this.flowKind, text });
  }

  private appendText(acc: Acc, chunk: string): void {
    let text = chunk;
    if (text.charCodeAt(0) === 32 && acc.end !== End.Text) text = text.slice(1);
    if (text === '') return;
    const room = this.limits.maxTextLength - this.textLength;
    if (text.length > room && !this.stopped) {
      if (room > 0) this.push(acc, text.slice(0, room));
      throw new Stop('text');
    }
    this.push(acc, text);
  }

  private appendBreak(acc: Acc): void {
    if (acc.end === End.Empty || acc.end === End.Newline) return;
    if (acc.end === End.Space) acc.s = acc.s.trimEnd();
    this.push(acc, '\n');
  }

  private push(acc: Acc, text: string): void {
    acc.s += text;
    this.textLength += text.length;
    const last = text.charCodeAt(text.length - 1);
    acc.end = last === 10 ? End.Newline : last === 32 ? End.Space : End.Text;
    if (this.capture) this.capture.parts.push(text);
  }

  private endCapture(): void {
    const c = this.capture!;
    this.capture = null;
    const text = c.parts.join('').replace(/\s+/g, ' ').trim();
    if (text) this.captured.set(c.id, text);
  }

  // ---- bounds ----------------------------------------------------------------------------------------------

  private countCell(): void {
    if (++this.cells > this.limits.maxCells && !this.stopped) throw new Stop('cells');
  }

  private pushBlock(block: NarrativeBlock): void {
    if (this.blocks.length >= this.limits.maxBlocks) {
      if (!this.stopped) throw new Stop('blocks');
      return;
    }
    this.blocks.push(block);
  }
}

/** The narrative as typed blocks, plus the text of the elements with the ids asked for. */
export function parseNarrativeCapturing(xhtml: string, options: NarrativeOptions = {}): CapturedNarrative {
  const limits = { ...NARRATIVE_LIMITS, ...options.limits };
  const capture = new Set(options.capture ?? []);
  const b = new NarrativeBuilder(limits, capture);
  try {
    tokenize(xhtml, b, capture.size > 0);
    b.finish();
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    b.unwind(err.limit);
  }
  return {
    view: { blocks: b.blocks, truncated: b.truncated, omitted: [...b.omitted].sort() },
    captured: b.captured,
  };
}

/** The narrative as typed blocks (see the module comment for what is kept). */
export function parseNarrative(xhtml: string, options: NarrativeOptions = {}): NarrativeView {
  return parseNarrativeCapturing(xhtml, options).view;
}
