import { describe, expect, it } from 'vitest';
import {
  formatNhsNumber,
  isValidNhsNumber,
  nhsCheckDigit,
  nhsNumberProblem,
} from '../../../src-shared/domain/nhs-number';

describe('NHS number', () => {
  it('accepts a valid test-range number and formats it 3-3-4', () => {
    // 999 000 001 -> weights 10..2: check digit computed, not hard-coded
    const nine = '999000001';
    const check = nhsCheckDigit(nine);
    expect(check).not.toBeNull();
    const n = `${nine}${check}`;
    expect(isValidNhsNumber(n)).toBe(true);
    expect(formatNhsNumber(n)).toBe(
      `999 000 001${check}`.replace(/^(\d{3}) (\d{3}) (\d{3})(\d)$/, '$1 $2 $3$4'),
    );
    expect(formatNhsNumber(n)).toMatch(/^\d{3} \d{3} \d{4}$/);
  });
  it('names the problem: empty, length, check digit', () => {
    expect(nhsNumberProblem('')).toBe('empty');
    expect(nhsNumberProblem('12345')).toBe('not-ten-digits');
    const nine = '999000001';
    const check = nhsCheckDigit(nine)!;
    expect(nhsNumberProblem(`${nine}${(check + 1) % 10}`)).toBe('bad-check-digit');
    expect(nhsNumberProblem(`999 000 001${check}`)).toBeNull();
  });
  it('knows the published example 943 476 5919 is valid and 943 476 5918 is not', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });
});
