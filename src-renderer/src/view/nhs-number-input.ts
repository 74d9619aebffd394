/**
 * As-you-type NHS number entry: keeps only digits (at most ten), shows them 3-3-4 and keeps the caret after the
 * same digit, and says in plain words what is wrong (using the shared modulus-11 check).
 */
import { NHS_NUMBER_PROBLEM_TEXT, nhsNumberProblem } from '../../../src-shared/domain/nhs-number';

export interface FormattedInput {
  value: string;
  caret: number;
}

/** Groups up to ten digits as "999 123 4567" (partial input is grouped as far as it goes). */
export function groupNhsDigits(digits: string): string {
  const d = digits.slice(0, 10);
  const parts = [d.slice(0, 3), d.slice(3, 6), d.slice(6)].filter((p) => p.length > 0);
  return parts.join(' ');
}

/** Reformats raw input; `caret` is the caret position in `raw`; the returned caret sits after the same digit. */
export function reformatNhsInput(raw: string, caret: number): FormattedInput {
  const digitsBeforeCaret = raw.slice(0, Math.max(0, caret)).replace(/\D/g, '').length;
  const digits = raw.replace(/\D/g, '').slice(0, 10);
  const value = groupNhsDigits(digits);
  const wanted = Math.min(digitsBeforeCaret, digits.length);
  let seen = 0;
  let pos = 0;
  while (pos < value.length && seen < wanted) {
    if (/\d/.test(value.charAt(pos))) seen++;
    pos++;
  }
  return { value, caret: pos };
}

export type NhsEntryState =
  | { kind: 'empty' }
  | { kind: 'incomplete'; digits: number }
  | { kind: 'invalid'; message: string }
  | { kind: 'valid'; nhsNumber: string };

/** What the field should say about the digits typed so far. */
export function nhsEntryState(value: string): NhsEntryState {
  const digits = value.replace(/\D/g, '');
  if (digits.length === 0) return { kind: 'empty' };
  if (digits.length < 10) return { kind: 'incomplete', digits: digits.length };
  const problem = nhsNumberProblem(digits);
  if (problem === null) return { kind: 'valid', nhsNumber: digits };
  return { kind: 'invalid', message: NHS_NUMBER_PROBLEM_TEXT[problem] };
}
