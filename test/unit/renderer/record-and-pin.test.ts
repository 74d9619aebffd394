import { describe, expect, it } from 'vitest';
import { pinProblem, triesLeftText } from '../../../src-renderer/src/view/pin';
import { patientName } from '../../../src-renderer/src/view/patient';
import { refusalAdvice } from '../../../src-renderer/src/view/session';

describe('PIN entry', () => {
  it('asks for 6 to 8 digits before anything is sent', () => {
    expect(pinProblem('')).toBe('Enter your PIN');
    expect(pinProblem('12a456')).toMatch(/only numbers/);
    expect(pinProblem('12345')).toMatch(/6 to 8/);
    expect(pinProblem('123456789')).toMatch(/6 to 8/);
    expect(pinProblem('123456')).toBeNull();
    expect(pinProblem('12345678')).toBeNull();
  });
  it('warns on the last try', () => {
    expect(triesLeftText(1)).toMatch(/will be blocked/);
    expect(triesLeftText(2)).toBe('You have 2 tries left.');
  });
});

describe('names and refusals', () => {
  it('writes FAMILY, Given (Title)', () => {
    expect(patientName({ family: 'Testpatient', given: ['Ada', 'Mary'], prefix: 'Ms' })).toBe(
      'TESTPATIENT, Ada Mary (Ms)',
    );
    expect(patientName({ family: 'Solo', given: [] })).toBe('SOLO');
  });
  it('gives every refusal some advice', () => {
    expect(refusalAdvice('untrusted-issuer')).toMatch(/not trusted/);
    expect(refusalAdvice('card-expired')).toMatch(/expired/);
  });
});
