/**
 * The hazard log read as data (docs/clinical-safety/hazard-log.md, whose head describes the form): every hazard
 * has each part, in order, with ids H-01, H-02, ... in sequence; ratings follow the DCB0129 matrix; every control
 * names a module that exists and has a test line; every cited file exists and holds a test of exactly the cited
 * title, found in its syntax tree (it, test, it.each and their modifiers; '…', "…" and `…` literals, escapes
 * decoded); the hazards the clinical safety issue asks for are there; the safety case agrees with the log.
 * Pending test lines are allowed, and listed. The last block feeds the checker broken logs, so it can be seen
 * to fail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LOG_PATH = 'docs/clinical-safety/hazard-log.md';
const CASE_PATH = 'docs/clinical-safety/safety-case.md';

// ---- the DCB0129 matrix ------------------------------------------------------------------------------------------

const LIKELIHOODS = ['Very low', 'Low', 'Medium', 'High', 'Very high'] as const;
const SEVERITIES = ['Minor', 'Significant', 'Considerable', 'Major', 'Catastrophic'] as const;
type Likelihood = (typeof LIKELIHOODS)[number];
type Severity = (typeof SEVERITIES)[number];

/** Rows by likelihood (Very low first), columns by severity (Minor first). */
const MATRIX: Record<Likelihood, readonly number[]> = {
  'Very low': [1, 1, 2, 2, 3],
  Low: [1, 2, 2, 3, 4],
  Medium: [2, 2, 3, 3, 4],
  High: [2, 3, 3, 4, 5],
  'Very high': [3, 4, 4, 5, 5],
};

function ratingOf(l: Likelihood, s: Severity): number {
  return MATRIX[l][SEVERITIES.indexOf(s)]!;
}

// ---- reading the log ---------------------------------------------------------------------------------------------

const PARTS = [
  'Cause',
  'Effect on the patient',
  'Initial risk',
  'Controls',
  'Residual risk',
  'Status',
] as const;
type Part = (typeof PARTS)[number];

interface Risk {
  likelihood: Likelihood;
  severity: Severity;
  rating: number;
}

type TestLine = { kind: 'cited'; file: string; title: string } | { kind: 'pending'; what: string };

interface Control {
  id: string;
  text: string;
  tests: TestLine[];
}

interface Hazard {
  id: string;
  title: string;
  parts: Partial<Record<Part, string>>;
  initial: Risk | null;
  residual: Risk | null;
  controls: Control[];
  status: string | null;
}

interface ReadLog {
  hazards: Hazard[];
  problems: string[];
}

const HAZARD_HEADING = /^## (H-\d{2}): (.+)$/;
const PART_LINE = /^\*\*([^*]+):\*\*(?: (.*))?$/;
const RISK = new RegExp(
  `^likelihood (${LIKELIHOODS.join('|')}), severity (${SEVERITIES.join('|')}), risk ([1-5])\\.(?:\\s|$)`,
);
const CONTROL_LINE = /^- (C\d+)\. (.+)$/;
const TEST_LINE = /^ {2}- Test: (.*)$/;
const CITED = /^`([^`]+)` — "(.+)"$/;
const PENDING = /^pending \((.+)\)$/;

function readRisk(text: string | undefined): Risk | null {
  const m = RISK.exec(text ?? '');
  if (!m) return null;
  return { likelihood: m[1] as Likelihood, severity: m[2] as Severity, rating: Number(m[3]) };
}

function readControls(id: string, text: string, problems: string[]): Control[] {
  const controls: Control[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const current = controls.at(-1);
    const control = CONTROL_LINE.exec(line);
    const test = TEST_LINE.exec(line);
    if (control) {
      controls.push({ id: control[1]!, text: control[2]!, tests: [] });
    } else if (test && current) {
      const rest = test[1]!;
      const cited = CITED.exec(rest);
      const pending = PENDING.exec(rest);
      if (cited) current.tests.push({ kind: 'cited', file: cited[1]!, title: cited[2]! });
      else if (pending) current.tests.push({ kind: 'pending', what: pending[1]! });
      else problems.push(`${id} ${current.id}: a Test line not in the cited form: "${rest}"`);
    } else if (current && current.tests.length === 0 && /^ {2}\S/.test(line) && !line.startsWith('  - ')) {
      current.text += ` ${line.trim()}`;
    } else {
      problems.push(`${id}: a line the Controls part does not allow: "${line}"`);
    }
  }
  return controls;
}

/** Splits the log into hazards and reads each one's parts; what cannot be read becomes a problem. */
function readLog(text: string): ReadLog {
  const problems: string[] = [];
  const blocks: { id: string; title: string; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    const heading = HAZARD_HEADING.exec(line);
    if (heading) blocks.push({ id: heading[1]!, title: heading[2]!, lines: [] });
    else if (line.startsWith('## ') || line.startsWith('# ')) {
      if (blocks.length > 0) problems.push(`a heading after the hazards that is not a hazard: "${line}"`);
    } else blocks.at(-1)?.lines.push(line);
  }

  const hazards = blocks.map(({ id, title, lines }): Hazard => {
    const parts: Partial<Record<Part, string>> = {};
    const order: string[] = [];
    let open: string | null = null;
    for (const line of lines) {
      const part = PART_LINE.exec(line);
      if (part) {
        open = part[1]!;
        order.push(open);
        if (!(PARTS as readonly string[]).includes(open)) {
          problems.push(`${id}: an unknown part "${open}"`);
          continue;
        }
        if (parts[open as Part] !== undefined) problems.push(`${id}: the part "${open}" twice`);
        parts[open as Part] = part[2] ?? '';
      } else if (open && (PARTS as readonly string[]).includes(open)) {
        parts[open as Part] += `\n${line}`;
      } else if (line.trim() !== '') {
        problems.push(`${id}: text before the first part: "${line}"`);
      }
    }
    if (order.join('|') !== PARTS.join('|'))
      problems.push(`${id}: the parts are [${order.join(', ')}], not [${PARTS.join(', ')}]`);
    for (const p of PARTS)
      if (p !== 'Controls' && parts[p] !== undefined && parts[p].trim() === '')
        problems.push(`${id}: the part "${p}" is empty`);

    const flat = (p: Part) => parts[p]?.replace(/\s+/g, ' ').trim();
    const initial = readRisk(flat('Initial risk'));
    const residual = readRisk(flat('Residual risk'));
    for (const [name, risk] of [
      ['Initial risk', initial],
      ['Residual risk', residual],
    ] as const)
      if (parts[name] !== undefined && !risk)
        problems.push(`${id}: the ${name} is not "likelihood L, severity S, risk N."`);

    return {
      id,
      title,
      parts,
      initial,
      residual,
      controls: readControls(id, parts.Controls ?? '', problems),
      status: flat('Status') ?? null,
    };
  });
  return { hazards, problems };
}

// ---- what tests exist --------------------------------------------------------------------------------------------

/** Names that may follow `it` / `test` in a chain (`it.skip`, `test.only`, `it.concurrent.each`, ...). */
const MODIFIERS = new Set([
  'skip',
  'only',
  'concurrent',
  'sequential',
  'fails',
  'todo',
  'fixme',
  'slow',
  'each',
  'for',
  'skipIf',
  'runIf',
]);

function isTestCallee(expr: ts.Expression): boolean {
  if (ts.isIdentifier(expr)) return expr.text === 'it' || expr.text === 'test';
  if (ts.isPropertyAccessExpression(expr))
    return MODIFIERS.has(expr.name.text) && isTestCallee(expr.expression);
  // it.each(table)('title', fn), it.skipIf(cond)('title', fn)
  if (ts.isCallExpression(expr))
    return ts.isPropertyAccessExpression(expr.expression) && isTestCallee(expr.expression);
  return false;
}

/**
 * The titles of the tests in a source text: the first argument of each test call, when it is a literal. A quoted
 * or plain template literal gives its value (escapes decoded); a template with `${…}` gives its source text.
 */
function titlesIn(text: string, fileName: string): Set<string> {
  const kind = fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const titles = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTestCallee(node.expression)) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)))
        titles.add(first.text);
      else if (first && ts.isTemplateExpression(first)) titles.add(first.getText(sf).slice(1, -1));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return titles;
}

const titleCache = new Map<string, Set<string>>();

/** The titles of the tests in one file of the repository. */
function testTitles(file: string): Set<string> {
  let titles = titleCache.get(file);
  if (!titles) {
    titles = titlesIn(readFileSync(join(ROOT, file), 'utf8'), file);
    titleCache.set(file, titles);
  }
  return titles;
}

// ---- the checks --------------------------------------------------------------------------------------------------

/** A path of product code, as a control names its module. */
const MODULE = /`((?:src-main|src-shared|src-renderer|src-preload|native)\/[^`]+)`/g;

function structureProblems(log: ReadLog): string[] {
  const problems = [...log.problems];
  if (log.hazards.length === 0) problems.push('no hazards found');
  log.hazards.forEach((h, i) => {
    const want = `H-${String(i + 1).padStart(2, '0')}`;
    if (h.id !== want) problems.push(`${h.id} stands where ${want} should`);
    if (h.controls.length === 0) problems.push(`${h.id}: no controls`);
    h.controls.forEach((c, j) => {
      if (c.id !== `C${j + 1}`) problems.push(`${h.id}: ${c.id} stands where C${j + 1} should`);
      if (c.tests.length === 0) problems.push(`${h.id} ${c.id}: no Test line`);
    });
    if (h.status !== 'Open.' && h.status !== 'Controlled.')
      problems.push(`${h.id}: the status is "${h.status}", not "Open." or "Controlled."`);
  });
  return problems;
}

function ratingProblems(log: ReadLog): string[] {
  const problems: string[] = [];
  for (const h of log.hazards) {
    for (const [name, r] of [
      ['initial', h.initial],
      ['residual', h.residual],
    ] as const) {
      if (r && ratingOf(r.likelihood, r.severity) !== r.rating)
        problems.push(
          `${h.id}: ${name} ${r.likelihood} × ${r.severity} is risk ${ratingOf(r.likelihood, r.severity)}, not ${r.rating}`,
        );
    }
    if (h.initial && h.residual && h.residual.rating > h.initial.rating)
      problems.push(
        `${h.id}: the residual risk (${h.residual.rating}) is above the initial risk (${h.initial.rating})`,
      );
  }
  return problems;
}

function moduleProblems(log: ReadLog): string[] {
  const problems: string[] = [];
  for (const h of log.hazards)
    for (const c of h.controls) {
      const modules = [...c.text.matchAll(MODULE)].map((m) => m[1]!);
      if (modules.length === 0) problems.push(`${h.id} ${c.id}: names no module`);
      for (const m of modules)
        if (!existsSync(join(ROOT, m))) problems.push(`${h.id} ${c.id}: the module ${m} does not exist`);
    }
  return problems;
}

function citationProblems(log: ReadLog): string[] {
  const problems: string[] = [];
  for (const h of log.hazards)
    for (const c of h.controls)
      for (const t of c.tests) {
        if (t.kind !== 'cited') continue;
        if (!/^test\/(unit|integration|e2e)\/.+\.(test|spec)\.tsx?$/.test(t.file))
          problems.push(`${h.id} ${c.id}: ${t.file} is not a test file under test/unit, integration or e2e`);
        else if (!existsSync(join(ROOT, t.file))) problems.push(`${h.id} ${c.id}: ${t.file} does not exist`);
        else if (!testTitles(t.file).has(t.title))
          problems.push(`${h.id} ${c.id}: ${t.file} has no test titled "${t.title}"`);
      }
  return problems;
}

function pendingProblems(log: ReadLog): string[] {
  return log.hazards
    .filter((h) => h.controls.some((c) => c.tests.some((t) => t.kind === 'pending')) && h.status !== 'Open.')
    .map((h) => `${h.id}: a control's test is pending, so the status must be "Open."`);
}

function allProblems(text: string): string[] {
  const log = readLog(text);
  return [
    ...structureProblems(log),
    ...ratingProblems(log),
    ...moduleProblems(log),
    ...citationProblems(log),
    ...pendingProblems(log),
  ];
}

function pendingLines(log: ReadLog): string[] {
  return log.hazards.flatMap((h) =>
    h.controls.flatMap((c) =>
      c.tests.flatMap((t) => (t.kind === 'pending' ? [`${h.id} ${c.id} (${h.title}): ${t.what}`] : [])),
    ),
  );
}

/** The hazards the clinical safety issue asks for, by words their titles must hold. */
const REQUIRED: readonly (readonly string[])[] = [
  ['wrong patient'],
  ['stale', 'search'],
  ['withheld', 'nothing recorded'],
  ['privacy officer', 'told'],
  ['visible', 'lock'],
  ['override', 'misuse'],
  ['superseded', 'nhs number'],
  ['demographics', 'differ'],
  ['slow', 'unreachable', 'empty'],
  ['restricted', 'address'],
];

// ---- the log as it stands ----------------------------------------------------------------------------------------

const logText = readFileSync(join(ROOT, LOG_PATH), 'utf8');
const log = readLog(logText);

describe('the hazard log', () => {
  it('has every part of every hazard, in order, with ids H-01, H-02, ... in sequence', () => {
    expect(structureProblems(log)).toEqual([]);
    expect(log.hazards.length).toBeGreaterThanOrEqual(REQUIRED.length);
  });

  it('rates every risk by the DCB0129 matrix, no residual risk above its initial one', () => {
    expect(ratingProblems(log)).toEqual([]);
    expect(log.hazards.every((h) => h.initial && h.residual)).toBe(true);
  });

  it('names, for every control, a module that exists', () => {
    expect(moduleProblems(log)).toEqual([]);
  });

  it('cites only test files that exist, each by the exact title of one of its tests', () => {
    expect(citationProblems(log)).toEqual([]);
    expect(log.hazards.some((h) => h.controls.some((c) => c.tests.some((t) => t.kind === 'cited')))).toBe(
      true,
    );
  });

  it('keeps a hazard Open while one of its controls has a pending test', () => {
    expect(pendingProblems(log)).toEqual([]);
  });

  it('holds the hazards the clinical safety issue asks for', () => {
    const titles = log.hazards.map((h) => h.title.toLowerCase());
    const missing = REQUIRED.filter((words) => !titles.some((t) => words.every((w) => t.includes(w))));
    expect(missing).toEqual([]);
  });

  it('lists the controls whose test is pending', () => {
    const pending = pendingLines(log);
    // Allowed, but never silent: they are the safety case's open items.
    console.info(
      pending.length
        ? `Pending tests in ${LOG_PATH} (${pending.length}):\n${pending.map((p) => `  - ${p}`).join('\n')}`
        : `No pending tests in ${LOG_PATH}.`,
    );
    expect(pending.every((p) => p.length > 0)).toBe(true);
  });
});

describe('the safety case beside it', () => {
  const caseText = readFileSync(join(ROOT, CASE_PATH), 'utf8');

  it('summarises every hazard with the log’s title, ratings and status', () => {
    const rows = new Map<string, string[]>();
    for (const line of caseText.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (/^H-\d{2}$/.test(cells[1] ?? '')) rows.set(cells[1]!, cells.slice(1, -1));
    }
    const want = log.hazards.map((h) => [
      h.id,
      h.title,
      String(h.initial?.rating),
      String(h.residual?.rating),
      h.status?.replace(/\.$/, '') ?? '',
    ]);
    expect(log.hazards.map((h) => rows.get(h.id))).toEqual(want);
    expect([...rows.keys()]).toEqual(log.hazards.map((h) => h.id));
  });

  it('names every pending control among its open items', () => {
    const pending = log.hazards.flatMap((h) =>
      h.controls.filter((c) => c.tests.some((t) => t.kind === 'pending')).map((c) => `${h.id} ${c.id}`),
    );
    expect(pending.filter((p) => !caseText.includes(p))).toEqual([]);
  });
});

for (const line of pendingLines(log)) it.todo(`pending: ${line}`);

// ---- the checker can fail ----------------------------------------------------------------------------------------

describe('the checker, given a broken log', () => {
  /** The log with the first occurrence of `from` replaced; the replacement must take. */
  const broken = (from: string | RegExp, to: string): string => {
    const out = logText.replace(from, to);
    expect(out).not.toBe(logText);
    return out;
  };
  const firstCited = log.hazards[0]!.controls[0]!.tests.find((t) => t.kind === 'cited')!;
  if (firstCited.kind !== 'cited') throw new Error('H-01 C1 cites no test');

  it('the log as it stands has no problems', () => {
    expect(allProblems(logText)).toEqual([]);
  });

  it('catches a title that is not exactly a test’s title', () => {
    const text = broken(`"${firstCited.title}"`, `"${firstCited.title} (changed)"`);
    expect(allProblems(text)).toEqual([
      `H-01 C1: ${firstCited.file} has no test titled "${firstCited.title} (changed)"`,
    ]);
    // Letter case and a straight for a curly apostrophe count as different titles.
    expect(allProblems(broken(`"${firstCited.title}"`, `"${firstCited.title.toUpperCase()}"`))).toHaveLength(
      1,
    );
    expect(allProblems(broken('first patient’s requests"', 'first patient\'s requests"'))).toHaveLength(1);
  });

  it('catches a cited file that does not exist', () => {
    const text = broken(`\`${firstCited.file}\``, '`test/unit/nowhere/missing.test.ts`');
    expect(allProblems(text)).toEqual(['H-01 C1: test/unit/nowhere/missing.test.ts does not exist']);
  });

  it('catches a missing part, a malformed Test line and a control without a test', () => {
    expect(allProblems(broken(/^\*\*Cause:\*\*.*\n/m, ''))).toContainEqual(
      `H-01: the parts are [${PARTS.slice(1).join(', ')}], not [${PARTS.join(', ')}]`,
    );
    expect(allProblems(broken(`  - Test: \`${firstCited.file}\``, `  - Test: ${firstCited.file}`))).toEqual([
      `H-01 C1: a Test line not in the cited form: "${firstCited.file} — "${firstCited.title}""`,
    ]);
    expect(allProblems(broken(/^ {2}- Test: `test\/e2e\/patient-search\.spec\.ts`.*\n/m, ''))).toContain(
      'H-02 C1: no Test line',
    );
  });

  it('catches a rating off the matrix, and ids out of sequence', () => {
    expect(
      allProblems(
        broken('likelihood Medium, severity Major, risk 3.', 'likelihood Medium, severity Major, risk 2.'),
      ),
    ).toContain('H-01: initial Medium × Major is risk 3, not 2');
    expect(allProblems(broken('## H-02:', '## H-03:'))).toContain('H-03 stands where H-02 should');
  });

  it('reads titles in every quoting the tests use, and not describe titles', () => {
    const titles = testTitles('test/unit/docs/hazard-log.test.ts');
    expect(titles).toContain('catches a title that is not exactly a test’s title');
    expect(titles).not.toContain('the checker, given a broken log');
    // `it.each(table)('…')`, a template with ${…}, and a title on the line after `it(`.
    expect(testTitles('test/integration/records/remote-source.test.ts')).toContain(
      '%s: refused in words naming the service',
    );
    expect(testTitles('test/integration/audit/crash.test.ts')).toContain(
      'survives ${KILLS} SIGKILLs with every confirmed event present and no gaps',
    );
    expect(testTitles('test/unit/cli/records-cli.test.ts')).toContain(
      'prints the SCR view as JSON for an SCR searchset bundle',
    );
  });

  it('decodes escaped quotes, and takes only test calls', () => {
    const source = [
      "it('a \\'single\\' quote', () => {});",
      'test("a \\"double\\" quote", () => {});',
      'it.each([1])(`a ${"%s"} each`, () => {});',
      'it.concurrent.skipIf(false)(`a plain template`, () => {});',
      "describe('a describe', () => { it('inside', () => {}); });",
      "test.describe('a Playwright describe', () => { test.step('a step', () => {}); });",
      "expect('not a test').toBe('it');",
    ].join('\n');
    expect([...titlesIn(source, 'fixture.test.ts')].sort()).toEqual(
      ["a 'single' quote", 'a "double" quote', 'a ${"%s"} each', 'a plain template', 'inside'].sort(),
    );
  });
});
