/**
 * Green reports: alerts grouped by each field and by combinations, the values each field takes, what is not
 * counted, and the CSV shape (header, sorted rows, total row).
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  greenCsv,
  greenReport,
  isoWeek,
  parseGroupFields,
  readAuditEvents,
  ReportRequestError,
  type GroupField,
} from '../../../../src-main/review/reports/index';
import { allEntries } from '../../../support/audit-log/fixtures';
import { actor, alert, event, many, ndjson } from '../../../support/review/events';

const gp = actor({ orgCode: 'C81007', roleCode: 'R8000' });
const nurse = actor({ userId: '555000000002', orgCode: 'RXX01', roleCode: 'R8001' });

// 10 emergency (GP, reason 5, November), 9 legal (nurse, reason 3, December), 8 LR claims (GP, January).
const facts = readAuditEvents(
  ndjson([
    ...many(10, alert('emergency-override', { actor: gp, reasonCode: 5 }), '2026-11-24T10:00:00Z'),
    ...many(9, alert('legal-override', { actor: nurse, reasonCode: 3 }), '2026-12-01T09:00:00Z'),
    ...many(8, alert('lr-self-claim', { actor: gp, reason: 'treating-now' }), '2027-01-04T12:00:00Z'),
    // Not alerts: read, checked, not counted.
    ...allEntries
      .filter((e) => !['emergency-override', 'legal-override', 'lr-self-claim'].includes(e.kind))
      .map((entry) => event({ entry })),
  ]),
);

const rows = (by: GroupField[]) => greenReport(facts, by).rows.map((r) => [...r.values, r.count]);

describe('green report: grouping', () => {
  it.each<[GroupField, string[][]]>([
    [
      'org',
      [
        ['C81007', '20'],
        ['RXX01', '10'],
      ],
    ],
    [
      'month',
      [
        ['2026-11', '10'],
        ['2026-12', '10'],
        ['2027-01', '10'],
      ],
    ],
    [
      'week',
      [
        ['2026-W48', '10'],
        ['2026-W49', '10'],
        ['2027-W01', '10'],
      ],
    ],
    [
      'type',
      [
        ['emergency', '10'],
        ['legal', '10'],
        ['self-claimed-lr', '10'],
      ],
    ],
    [
      'reason',
      [
        ['3', '10'],
        ['5', '10'],
        ['treating-now', '10'],
      ],
    ],
    [
      'role',
      [
        ['R8000', '20'],
        ['R8001', '10'],
      ],
    ],
  ])('by %s', (field, expected) => {
    expect(rows([field])).toEqual(expected);
    expect(greenReport(facts, [field]).total).toBe('25'); // 27 true
  });

  it('by combinations, columns in the order asked for, rows sorted', () => {
    expect(rows(['org', 'month'])).toEqual([
      ['C81007', '2026-11', '10'],
      ['C81007', '2027-01', '10'],
      ['RXX01', '2026-12', '10'],
    ]);
    expect(rows(['month', 'org'])).toEqual([
      ['2026-11', 'C81007', '10'],
      ['2026-12', 'RXX01', '10'],
      ['2027-01', 'C81007', '10'],
    ]);
    expect(rows(['type', 'reason', 'role'])).toEqual([
      ['emergency', '5', 'R8000', '10'],
      ['legal', '3', 'R8001', '10'],
      ['self-claimed-lr', 'treating-now', 'R8000', '10'],
    ]);
    expect(rows(['org', 'month', 'week', 'type', 'reason', 'role'])).toHaveLength(3);
  });

  it('counts only the three alert types; other events give no rows', () => {
    const others = readAuditEvents(
      ndjson(
        allEntries
          .filter((e) => !['emergency-override', 'legal-override', 'lr-self-claim'].includes(e.kind))
          .map((entry) => event({ entry })),
      ),
    );
    expect(others.length).toBeGreaterThan(5);
    const r = greenReport(others, ['type']);
    expect(r.rows).toEqual([]);
    expect(r.total).toBe('0');
  });

  it('a fact the event does not carry shows as "unknown"', () => {
    const noOrg = actor({ orgCode: undefined, roleCode: undefined });
    const r = greenReport(readAuditEvents(ndjson(many(3, alert('emergency-override', { actor: noOrg })))), [
      'org',
      'role',
    ]);
    expect(r.rows).toEqual([{ values: ['unknown', 'unknown'], count: '*' }]);
  });

  it('month and week are of the UTC time: 00:30 on 1 July at +01:00 is 30 June', () => {
    const f = readAuditEvents(ndjson(many(1, alert('emergency-override'), '2026-07-01T00:30:00+01:00')));
    expect(f[0]?.day).toBe('2026-06-30');
    expect(greenReport(f, ['month']).rows[0]?.values).toEqual(['2026-06']);
  });
});

describe('ISO weeks', () => {
  it.each([
    ['2026-01-01', '2026-W01'], // a Thursday
    ['2025-12-29', '2026-W01'], // the Monday of that week
    ['2025-12-28', '2025-W52'], // the Sunday before
    ['2027-01-01', '2026-W53'], // a Friday: 2026 has 53 weeks
    ['2027-01-04', '2027-W01'],
    ['2024-12-30', '2025-W01'],
    ['2026-11-24', '2026-W48'],
  ])('%s is in %s', (day, week) => {
    expect(isoWeek(day)).toBe(week);
  });
});

describe('green CSV', () => {
  it('a header, the sorted rows, and the total last with the other group cells empty', () => {
    const csv = greenCsv(greenReport(facts, ['org', 'month']));
    expect(csv).toBe('org,month,count\nC81007,2026-11,10\nC81007,2027-01,10\nRXX01,2026-12,10\nTotal,,25\n');
    const parsed = parse(csv) as string[][];
    expect(parsed.at(-1)).toEqual(['Total', '', '25']);
  });

  it('with one field, the total row is Total and the count', () => {
    expect(
      greenCsv(greenReport(facts, ['type']))
        .split('\n')
        .slice(-2),
    ).toEqual(['Total,25', '']);
  });
});

describe('grouping fields', () => {
  it('parses known names in order', () => {
    expect(parseGroupFields('org,month')).toEqual(['org', 'month']);
    expect(parseGroupFields('role, type ,reason')).toEqual(['role', 'type', 'reason']);
  });

  it.each(['', 'org,', 'colour', 'org,org', 'org,,month', 'Org'])('refuses %j', (text) => {
    expect(() => parseGroupFields(text)).toThrow(ReportRequestError);
  });

  it('a report needs at least one field', () => {
    expect(() => greenReport(facts, [])).toThrow(ReportRequestError);
  });
});
