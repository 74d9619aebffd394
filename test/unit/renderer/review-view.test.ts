import { describe, expect, it } from 'vitest';
import { areasFor, roleScopeText } from '../../../src-renderer/src/view/areas';
import { dayParts, parseDay } from '../../../src-renderer/src/view/dates';
import {
  EMPTY_DAY,
  EMPTY_QUEUE_FORM,
  OTHER_PURPOSE,
  alertCount,
  checkPurpose,
  outcomeLabel,
  ownerText,
  pageRange,
  queueFilter,
  reportValue,
  sampleRequest,
  shownNumber,
  type SampleForm,
} from '../../../src-renderer/src/view/review';

const day = (d: string, m: string, y: string) => ({ day: d, month: m, year: y });

describe('workspace areas from activities', () => {
  it('gives the privacy officer alerts then reports, and clinicians patient search', () => {
    expect(areasFor(['B0015', 'B0016', 'B0011'])).toEqual(['alerts', 'reports']);
    expect(areasFor(['B0016'])).toEqual(['alerts']);
    expect(areasFor(['B0370', 'B0168', 'B0020'])).toEqual(['patients']);
    expect(areasFor(['B0020'])).toEqual(['patients']);
    expect(areasFor(['B0370', 'B0015'])).toEqual(['patients', 'alerts']);
    expect(areasFor(['B0168'])).toEqual([]);
  });

  it('tells a role without record viewing what it can do, and says nothing to one that views records', () => {
    expect(roleScopeText(['B0020'])).toBe(
      "Your role lets you read and record patients' sharing preferences. It does not let you view patients' records.",
    );
    expect(roleScopeText(['B0015', 'B0016', 'B0011'])).toMatch(
      /^Your role lets you review alerts about overridden access, review alerts about self-claimed relationships and run access reports\./,
    );
    expect(roleScopeText(['B0370', 'B0020'])).toBeNull();
    expect(roleScopeText(['B0168'])).toBeNull();
  });
});

describe('days typed into boxes', () => {
  it('allows an empty optional day and checks a typed one', () => {
    expect(parseDay(EMPTY_DAY, 'The from date')).toEqual({ ok: true, iso: null });
    expect(parseDay(EMPTY_DAY, 'The from date', true)).toMatchObject({
      ok: false,
      message: 'Enter the from date',
    });
    expect(parseDay(day('1', '11', '2026'), 'The from date')).toEqual({ ok: true, iso: '2026-11-01' });
    expect(parseDay(day('31', '2', '2026'), 'The to date')).toMatchObject({
      ok: false,
      message: 'The to date must be a real date',
    });
    expect(parseDay(day('3', '', '2026'), 'The to date')).toMatchObject({ ok: false, field: 'month' });
    expect(dayParts('2026-03-09')).toEqual(day('9', '3', '2026'));
  });
});

describe('queue filter form', () => {
  it('sends only what was asked, types in the contract order', () => {
    expect(queueFilter(EMPTY_QUEUE_FORM)).toEqual({ ok: true, value: {} });
    const r = queueFilter({
      ...EMPTY_QUEUE_FORM,
      status: 'open',
      types: ['self-claimed-lr', 'emergency'],
      user: '5550 0000 0101',
      from: day('1', '11', '2026'),
      to: day('30', '11', '2026'),
    });
    expect(r).toEqual({
      ok: true,
      value: {
        status: 'open',
        types: ['emergency', 'self-claimed-lr'],
        user: '555000000101',
        from: '2026-11-01',
        to: '2026-11-30',
      },
    });
  });

  it('names each wrong field', () => {
    const r = queueFilter({
      ...EMPTY_QUEUE_FORM,
      user: '123',
      from: day('2', '11', '2026'),
      to: day('1', '11', '2026'),
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.fieldId)).toEqual(['filter-user', 'filter-to-day']);
  });
});

describe('sample form', () => {
  const base: SampleForm = {
    from: day('1', '11', '2026'),
    to: day('30', '11', '2026'),
    kind: 'percent',
    value: '10',
    seed: '',
  };

  it('asks for a percentage or a number, with an optional seed', () => {
    expect(sampleRequest(base)).toEqual({
      ok: true,
      value: { from: '2026-11-01', to: '2026-11-30', size: { kind: 'percent', value: 10 } },
    });
    expect(sampleRequest({ ...base, kind: 'count', value: '5', seed: 'abcd-1234' })).toMatchObject({
      ok: true,
      value: { size: { kind: 'count', value: 5 }, seed: 'abcd-1234' },
    });
  });

  it('refuses a missing period, a bad size and a malformed seed', () => {
    const r = sampleRequest({
      from: EMPTY_DAY,
      to: EMPTY_DAY,
      kind: 'count',
      value: '0',
      seed: 'no spaces!',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.fieldId)).toEqual([
      'sample-from-day',
      'sample-to-day',
      'sample-count',
      'sample-seed',
    ]);
    const p = sampleRequest({ ...base, value: '150' });
    expect(p.ok).toBe(false);
    expect(sampleRequest({ ...base, kind: null }).ok).toBe(false);
  });
});

describe('purpose of use', () => {
  it('is a listed code or the officer’s own words', () => {
    expect(checkPurpose('report', { choice: 'ig-investigation', other: '' })).toEqual({
      ok: true,
      value: { code: 'ig-investigation' },
    });
    expect(checkPurpose('extract', { choice: OTHER_PURPOSE, other: '  marketing ' })).toEqual({
      ok: true,
      value: { text: 'marketing' },
    });
    expect(checkPurpose('extract', { choice: OTHER_PURPOSE, other: ' ' })).toMatchObject({
      ok: false,
      problems: [{ fieldId: 'extract-purpose-other-text' }],
    });
    expect(checkPurpose('report', { choice: null, other: '' })).toMatchObject({
      ok: false,
      problems: [{ fieldId: 'report-purpose' }],
    });
  });
});

describe('wording', () => {
  it('counts, pages, owners and report cells', () => {
    expect(alertCount(1)).toBe('1 alert');
    expect(alertCount(3, 'new')).toBe('3 new alerts');
    expect(pageRange(1, 25, 25, 73)).toBe('Showing 26 to 50 of 73');
    expect(pageRange(0, 25, 0, 0)).toBe('No alerts match');
    expect(ownerText(null, '1')).toBe('Nobody yet');
    expect(ownerText({ userId: '1', name: 'Priya Raman' }, '1')).toBe('You (Priya Raman)');
    expect(ownerText({ userId: '2', name: 'Sam Okoro' }, '1')).toBe('Sam Okoro');
    expect(reportValue('type', 'self-claimed-lr')).toBe('Self-claimed relationship');
    expect(reportValue('org', 'C81007')).toBe('C81007');
    expect(shownNumber('*')).toBeNull();
    expect(shownNumber('15')).toBe(15);
    expect(shownNumber('0')).toBe(0);
    expect(outcomeLabel('0')).toBe('Succeeded');
    expect(outcomeLabel('odd')).toBe('odd');
  });
});
