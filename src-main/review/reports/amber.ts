/**
 * Amber data: one row per event, pseudonymised. NHS number and user id become keyed pseudonyms; the time becomes
 * the UTC day; everything else is a code from a closed list or a checked pattern (facts.ts). Nothing else of the
 * event is read, so free text, names and every other identifier (event id, role profile id, workstation,
 * machine name) are left behind by construction. Rows are sorted by their values, so the order of the log within
 * a day is not carried over either.
 */
import { stringify } from 'csv-stringify/sync';
import { ReportRequestError } from './errors';
import type { AuditFacts } from './facts';
import type { PseudonymKey } from './pseudonym';

export const AMBER_COLUMNS = [
  'date',
  'type',
  'outcome',
  'org',
  'role',
  'purpose',
  'reason',
  'record',
  'patient_pseudonym',
  'user_pseudonym',
] as const;
export type AmberColumn = (typeof AMBER_COLUMNS)[number];
/** null where the event does not carry the fact (an empty cell in CSV, null in NDJSON). */
export type AmberRow = Readonly<Record<AmberColumn, string | null>>;

export const AMBER_FORMATS = ['csv', 'ndjson'] as const;
export type AmberFormat = (typeof AMBER_FORMATS)[number];

export function parseAmberFormat(text: string): AmberFormat {
  const format = AMBER_FORMATS.find((f) => f === text);
  if (!format) throw new ReportRequestError(`format "${text}" is not one of ${AMBER_FORMATS.join(', ')}`);
  return format;
}

function compareRows(a: AmberRow, b: AmberRow): number {
  for (const c of AMBER_COLUMNS) {
    const x = a[c] ?? '';
    const y = b[c] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The extract's rows for every event given, sorted. */
export function amberExtract(events: readonly AuditFacts[], key: PseudonymKey): AmberRow[] {
  // One HMAC per distinct person, not per event; the map lives only for this call.
  const memo = new Map<string, string>();
  const keyed = (kind: 'nhs-number' | 'user-id', value: string | null): string | null => {
    if (value === null) return null;
    const k = `${kind}\u0000${value}`;
    let p = memo.get(k);
    if (p === undefined) {
      p = key.pseudonym(kind, value);
      memo.set(k, p);
    }
    return p;
  };
  const rows = events.map((f): AmberRow => ({
    date: f.day,
    type: f.type,
    outcome: f.outcome,
    org: f.org,
    role: f.role,
    purpose: f.purpose,
    reason: f.reason,
    record: f.record,
    patient_pseudonym: keyed('nhs-number', f.nhsNumber),
    user_pseudonym: keyed('user-id', f.userId),
  }));
  memo.clear();
  return rows.sort(compareRows);
}

/** CSV with a header row; an absent fact is an empty cell. */
export function amberCsv(rows: readonly AmberRow[]): string {
  return stringify(
    rows.map((r) => AMBER_COLUMNS.map((c) => r[c] ?? '')),
    { header: true, columns: [...AMBER_COLUMNS] },
  );
}

/** NDJSON: one object a row, every column present (null when absent), in column order. */
export function amberNdjson(rows: readonly AmberRow[]): string {
  let out = '';
  for (const r of rows) {
    const o: Record<string, string | null> = {};
    for (const c of AMBER_COLUMNS) o[c] = r[c];
    out += JSON.stringify(o) + '\n';
  }
  return out;
}

export function amberOutput(rows: readonly AmberRow[], format: AmberFormat): string {
  return format === 'csv' ? amberCsv(rows) : amberNdjson(rows);
}
