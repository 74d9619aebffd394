import { describe, expect, it } from 'vitest';
import {
  ageInYears,
  formatDate,
  formatDateTime,
  parseDateOfBirth,
} from '../../../src-renderer/src/view/dates';

const today = new Date(2026, 10, 24);

describe('dates', () => {
  it('writes dates the NHS way', () => {
    expect(formatDate('1950-03-03')).toBe('3 March 1950');
    expect(formatDate('2026-12-31T10:00:00Z')).toBe('31 December 2026');
    expect(formatDate('not a date')).toBe('not a date');
    const local = new Date(2026, 2, 3, 14, 5);
    expect(formatDateTime(local.toISOString())).toBe('14:05 on 3 March 2026');
  });

  it('counts whole years of age', () => {
    expect(ageInYears('1980-11-24', today)).toBe(46);
    expect(ageInYears('1980-11-25', today)).toBe(45);
    expect(ageInYears('garbage', today)).toBeNull();
  });

  it('accepts a real past date of birth and names the first problem otherwise', () => {
    expect(parseDateOfBirth({ day: '3', month: '3', year: '1950' }, today)).toEqual({
      ok: true,
      iso: '1950-03-03',
    });
    expect(parseDateOfBirth({ day: '', month: '', year: '' }, today)).toMatchObject({
      ok: false,
      field: 'day',
    });
    expect(parseDateOfBirth({ day: '31', month: '2', year: '1990' }, today)).toMatchObject({
      ok: false,
      message: 'Date of birth must be a real date',
    });
    expect(parseDateOfBirth({ day: '1', month: '13', year: '1990' }, today)).toMatchObject({ ok: false });
    expect(parseDateOfBirth({ day: '1', month: '1', year: '90' }, today)).toMatchObject({
      ok: false,
      field: 'year',
    });
    expect(parseDateOfBirth({ day: '25', month: '11', year: '2026' }, today)).toMatchObject({
      ok: false,
      message: 'Date of birth must be in the past',
    });
    expect(parseDateOfBirth({ day: '24', month: '11', year: '2026' }, today)).toEqual({
      ok: true,
      iso: '2026-11-24',
    });
  });
});
