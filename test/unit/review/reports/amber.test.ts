/**
 * Amber extracts: what each row holds, that rows do not keep the log's order, and the CSV and NDJSON forms.
 * (That nothing identifying gets through is the property in amber-leak-property.test.ts.)
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  AMBER_COLUMNS,
  amberCsv,
  amberExtract,
  amberNdjson,
  amberOutput,
  parseAmberFormat,
  PseudonymKey,
  readAuditEvents,
  ReportRequestError,
} from '../../../../src-main/review/reports/index';
import { allEntries, entriesByKind } from '../../../support/audit-log/fixtures';
import { alert, event, ndjson, NHS } from '../../../support/review/events';

const key = PseudonymKey.fromBytes(createHash('sha256').update('amber test key').digest());
const other = PseudonymKey.fromBytes(createHash('sha256').update('another organisation').digest());

describe('amber rows', () => {
  it('an alert: day, codes, and the two pseudonyms', () => {
    const [row] = amberExtract(
      readAuditEvents(
        ndjson([event({ entry: alert('emergency-override'), recorded: '2026-11-24T23:59:59.999Z' })]),
      ),
      key,
    );
    expect(row).toEqual({
      date: '2026-11-24',
      type: 'emergency',
      outcome: '0',
      org: 'RXX01',
      role: 'R8000',
      purpose: 'ETREAT',
      reason: '5',
      record: null,
      patient_pseudonym: key.pseudonym('nhs-number', NHS.b),
      user_pseudonym: key.pseudonym('user-id', '555000000001'),
    });
  });

  it('a read keeps its record kind; a PTV refusal its outcome; events without a person have empty pseudonyms', () => {
    const rows = amberExtract(
      readAuditEvents(
        ndjson([
          event({ entry: entriesByKind['record-read'] }),
          event({ entry: entriesByKind.ptv }),
          event({ entry: entriesByKind['tamper-detected'] }),
        ]),
      ),
      key,
    );
    const byType = Object.fromEntries(rows.map((r) => [r.type, r]));
    expect(byType['record-read']).toMatchObject({ record: 'scr-core', purpose: 'ETREAT' });
    expect(byType['ptv']).toMatchObject({ outcome: '4', purpose: 'TREAT' });
    expect(byType['tamper-detected']).toMatchObject({
      outcome: '8',
      patient_pseudonym: null,
      user_pseudonym: null,
    });
  });

  it('one row per event of every kind', () => {
    const facts = readAuditEvents(ndjson(allEntries.map((entry) => event({ entry }))));
    expect(amberExtract(facts, key)).toHaveLength(allEntries.length);
  });

  it('the same person links across rows under one key, and not between keys', () => {
    const events = [
      event({ entry: alert('emergency-override', { nhsNumber: NHS.a }) }),
      event({ entry: alert('legal-override', { nhsNumber: NHS.a }) }),
      event({ entry: alert('lr-self-claim', { nhsNumber: NHS.c }) }),
    ];
    const facts = readAuditEvents(ndjson(events));
    const mine = amberExtract(facts, key);
    const theirs = amberExtract(facts, other);
    const p = (rows: typeof mine, type: string) => rows.find((r) => r.type === type)?.patient_pseudonym;
    expect(p(mine, 'emergency')).toBe(p(mine, 'legal'));
    expect(p(mine, 'emergency')).not.toBe(p(mine, 'self-claimed-lr'));
    expect(p(theirs, 'emergency')).not.toBe(p(mine, 'emergency'));
  });

  it('rows are sorted by their values, so the order of the log is not carried over', () => {
    const events = [
      event({ entry: alert('lr-self-claim'), recorded: '2026-11-24T08:00:00Z' }),
      event({ entry: alert('emergency-override'), recorded: '2026-11-24T09:00:00Z' }),
      event({ entry: alert('legal-override'), recorded: '2026-11-23T10:00:00Z' }),
      event({ entry: entriesByKind['record-read'], recorded: '2026-11-24T07:00:00Z' }),
    ];
    const forward = amberExtract(readAuditEvents(ndjson(events)), key);
    const backward = amberExtract(readAuditEvents(ndjson([...events].reverse())), key);
    expect(backward).toEqual(forward);
    expect(forward.map((r) => `${r.date} ${r.type}`)).toEqual([
      '2026-11-23 legal',
      '2026-11-24 emergency',
      '2026-11-24 record-read',
      '2026-11-24 self-claimed-lr',
    ]);
  });
});

describe('amber output', () => {
  const rows = amberExtract(readAuditEvents(ndjson(allEntries.map((entry) => event({ entry })))), key);

  it('CSV: a header of the columns, an empty cell for an absent fact, parses back to the rows', () => {
    const csv = amberCsv(rows);
    const parsed = parse(csv, { columns: true }) as Record<string, string>[];
    expect(csv.split('\n')[0]).toBe(AMBER_COLUMNS.join(','));
    expect(parsed).toEqual(rows.map((r) => Object.fromEntries(AMBER_COLUMNS.map((c) => [c, r[c] ?? '']))));
    expect(amberCsv([])).toBe(`${AMBER_COLUMNS.join(',')}\n`);
  });

  it('NDJSON: one object a line, every column present in order, null for an absent fact', () => {
    const lines = amberNdjson(rows).trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed) expect(Object.keys(p)).toEqual([...AMBER_COLUMNS]);
    expect(parsed).toEqual(rows);
    expect(amberNdjson([])).toBe('');
  });

  it('formats by name; others are refused', () => {
    expect(amberOutput(rows, parseAmberFormat('csv'))).toBe(amberCsv(rows));
    expect(amberOutput(rows, parseAmberFormat('ndjson'))).toBe(amberNdjson(rows));
    expect(() => parseAmberFormat('xlsx')).toThrow(ReportRequestError);
    expect(() => parseAmberFormat('CSV')).toThrow(ReportRequestError);
  });
});
