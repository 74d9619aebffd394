import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  groupNhsDigits,
  nhsEntryState,
  reformatNhsInput,
} from '../../../src-renderer/src/view/nhs-number-input';
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';

const validNumber = (nine: string) => `${nine}${nhsCheckDigit(nine)}`;

describe('NHS number entry', () => {
  it('groups digits 3-3-4 as they are typed', () => {
    expect(groupNhsDigits('9')).toBe('9');
    expect(groupNhsDigits('9991')).toBe('999 1');
    expect(groupNhsDigits('9991234')).toBe('999 123 4');
    expect(groupNhsDigits('999123456789')).toBe('999 123 4567');
  });

  it('drops non-digits and keeps the caret after the same digit', () => {
    expect(reformatNhsInput('999-12a3', 8)).toEqual({ value: '999 123', caret: 7 });
    // caret after the 4th digit of "9991234"
    expect(reformatNhsInput('9991234', 4)).toEqual({ value: '999 123 4', caret: 5 });
    // deleting the space before "123" leaves the caret after "999"
    expect(reformatNhsInput('999123 4', 3)).toEqual({ value: '999 123 4', caret: 3 });
  });

  it('never yields more than ten digits, and the caret is always inside the value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.nat(40), (raw, caret) => {
        const r = reformatNhsInput(raw, caret);
        expect(r.value.replace(/\D/g, '').length).toBeLessThanOrEqual(10);
        expect(r.value).toMatch(/^(\d{1,3})?( \d{1,3})?( \d{1,4})?$/);
        expect(r.caret).toBeGreaterThanOrEqual(0);
        expect(r.caret).toBeLessThanOrEqual(r.value.length);
      }),
    );
  });

  it('says how far along the number is, and checks the check digit at ten digits', () => {
    const good = validNumber('999000001');
    expect(nhsEntryState('')).toEqual({ kind: 'empty' });
    expect(nhsEntryState('999 000')).toEqual({ kind: 'incomplete', digits: 6 });
    expect(nhsEntryState(groupNhsDigits(good))).toEqual({ kind: 'valid', nhsNumber: good });
    const bad = `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`;
    expect(nhsEntryState(bad).kind).toBe('invalid');
  });
});
