/**
 * Green data: counts of privacy-officer alerts (emergency, legal, self-claimed-lr) grouped by any of organisation,
 * month, ISO week, alert type, coded reason and role, with small-number suppression on every count and on the
 * total. The true counts never leave this file: a GreenReport holds only what may be shown.
 */
import { stringify } from 'csv-stringify/sync';
import { ReportRequestError } from './errors';
import { isAlert, type AuditFacts } from './facts';
import { suppress, type ShownCount } from './suppression';

/** Fields a green report can be grouped by. `week` (ISO 8601, e.g. 2026-W48) is for the weekly chart. */
export const GROUP_FIELDS = ['org', 'month', 'week', 'type', 'reason', 'role'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

/** The value a row shows for a fact the event does not carry. */
export const UNKNOWN = 'unknown';
/** The first cell of the total row; the row's other group cells are empty, which no group row's ever are. */
export const TOTAL_LABEL = 'Total';

export interface GreenRow {
  /** One value per grouping field, in the order asked for. */
  readonly values: readonly string[];
  readonly count: ShownCount;
}

export interface GreenReport {
  readonly by: readonly GroupField[];
  /** Sorted by their values. Only groups that occur are listed (none has a true count of 0). */
  readonly rows: readonly GreenRow[];
  /** The total of the true counts, suppressed the same way. */
  readonly total: ShownCount;
}

const isField = (s: string): s is GroupField => (GROUP_FIELDS as readonly string[]).includes(s);

/** Parses `org,month` style text into grouping fields: known names, each once, at least one. */
export function parseGroupFields(text: string): GroupField[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === ''))
    throw new ReportRequestError(`group by one or more of ${GROUP_FIELDS.join(', ')}, separated by commas`);
  const fields: GroupField[] = [];
  for (const n of names) {
    if (!isField(n))
      throw new ReportRequestError(`cannot group by "${n}": choose from ${GROUP_FIELDS.join(', ')}`);
    if (fields.includes(n)) throw new ReportRequestError(`"${n}" is asked for twice`);
    fields.push(n);
  }
  return fields;
}

const weeks = new Map<string, string>();

/** ISO 8601 week of a UTC day (YYYY-MM-DD), e.g. 2026-W48: weeks start on Monday; week 1 holds the first Thursday. */
export function isoWeek(day: string): string {
  let week = weeks.get(day);
  if (week === undefined) {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7)); // the Thursday of its week names the year
    const year = d.getUTCFullYear();
    const n = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
    week = `${year}-W${String(n).padStart(2, '0')}`;
    if (weeks.size > 10_000) weeks.clear();
    weeks.set(day, week);
  }
  return week;
}

function valueOf(facts: AuditFacts, field: GroupField): string {
  switch (field) {
    case 'org':
      return facts.org ?? UNKNOWN;
    case 'month':
      return facts.day.slice(0, 7);
    case 'week':
      return isoWeek(facts.day);
    case 'type':
      return facts.type;
    case 'reason':
      return facts.reason ?? UNKNOWN;
    case 'role':
      return facts.role ?? UNKNOWN;
  }
}

const compareValues = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Counts the alerts among the events by the given fields; other events are not counted (README.md, "Green"). */
export function greenReport(events: readonly AuditFacts[], by: readonly GroupField[]): GreenReport {
  if (by.length === 0) throw new ReportRequestError('group by at least one field');
  const counts = new Map<string, { values: string[]; n: number }>();
  let total = 0;
  for (const facts of events) {
    if (!isAlert(facts.type)) continue;
    total++;
    const values = by.map((f) => valueOf(facts, f));
    // Values are codes without control characters, so U+0000 cannot occur in them and keys are unambiguous.
    const key = values.join('\u0000');
    const group = counts.get(key);
    if (group) group.n++;
    else counts.set(key, { values, n: 1 });
  }
  const rows = [...counts.values()]
    .sort((a, b) => compareValues(a.values, b.values))
    .map((g) => ({ values: g.values, count: suppress(g.n) }));
  return { by: [...by], rows, total: suppress(total) };
}

/** The report as CSV: a header (the fields, then `count`), the rows, and the total row last. */
export function greenCsv(report: GreenReport): string {
  const blanks = report.by.slice(1).map(() => '');
  return stringify([
    [...report.by, 'count'],
    ...report.rows.map((r) => [...r.values, r.count]),
    [TOTAL_LABEL, ...blanks, report.total],
  ]);
}
