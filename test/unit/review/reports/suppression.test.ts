/**
 * Small-number suppression as the privacy-officer spec states it: 0 stays 0, 1 to 7 is `*`, every other count is
 * rounded to the nearest 5, and totals are computed from the true counts, then rounded and suppressed the same way.
 */
import { describe, expect, it } from 'vitest';
import { greenReport, readAuditEvents, suppress } from '../../../../src-main/review/reports/index';
import { actor, alert, many, ndjson } from '../../../support/review/events';

describe('suppress', () => {
  it.each([
    [0, '0'],
    [1, '*'],
    [2, '*'],
    [5, '*'],
    [7, '*'],
    [8, '10'],
    [9, '10'],
    [10, '10'],
    [11, '10'],
    [12, '10'],
    [13, '15'],
    [14, '15'],
    [15, '15'],
    [17, '15'],
    [18, '20'],
    [22, '20'],
    [23, '25'],
    [102, '100'],
    [103, '105'],
    [20_000, '20000'],
  ])('%i shows as %s', (count, shown) => {
    expect(suppress(count)).toBe(shown);
  });

  it('never shows a count from 1 to 9 (rounding cannot land on 5: 5 to 7 are suppressed first)', () => {
    for (let n = 1; n < 10; n++) expect(['*', '10']).toContain(suppress(n));
  });

  it('refuses what is not a count', () => {
    expect(() => suppress(-1)).toThrow(RangeError);
    expect(() => suppress(2.5)).toThrow(RangeError);
    expect(() => suppress(Number.NaN)).toThrow(RangeError);
  });
});

/** Alerts from n users (one org each), so a report by org has one row of n per org. */
function byOrg(counts: Record<string, number>) {
  const events = Object.entries(counts).flatMap(([org, n]) =>
    many(n, alert('emergency-override', { actor: actor({ orgCode: org }) })),
  );
  return greenReport(readAuditEvents(ndjson(events)), ['org']);
}

describe('totals come from the true counts', () => {
  it('three groups of 3 each show *, and their total of 9 shows as 10', () => {
    const r = byOrg({ AAA01: 3, BBB01: 3, CCC01: 3 });
    expect(r.rows.map((x) => x.count)).toEqual(['*', '*', '*']);
    expect(r.total).toBe('10');
  });

  it('two groups of 12 each show 10, and their total of 24 shows as 25, not 20', () => {
    const r = byOrg({ AAA01: 12, BBB01: 12 });
    expect(r.rows.map((x) => x.count)).toEqual(['10', '10']);
    expect(r.total).toBe('25');
  });

  it('13 + 13 shows as 15 and 15 with a total of 25, not 30', () => {
    const r = byOrg({ AAA01: 13, BBB01: 13 });
    expect(r.rows.map((x) => x.count)).toEqual(['15', '15']);
    expect(r.total).toBe('25');
  });

  it('a total from 1 to 7 is suppressed too; no alerts at all is a total of 0', () => {
    expect(byOrg({ AAA01: 2, BBB01: 5 }).total).toBe('*');
    const none = byOrg({});
    expect(none.rows).toEqual([]);
    expect(none.total).toBe('0');
  });

  it('one group of 8 shows 10 and so does its total', () => {
    const r = byOrg({ AAA01: 8 });
    expect(r.rows).toEqual([{ values: ['AAA01'], count: '10' }]);
    expect(r.total).toBe('10');
  });
});
