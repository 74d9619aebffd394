/**
 * NHS number validation (modulus 11): the one rule, shared by the IPC contract's schema (`NhsNumber` in
 * ./records.ts, so every handler gets a valid, normalised number) and the renderer (as-you-type feedback).
 */

/** Strips spaces and dashes; does not validate. */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The check digit for the first nine digits, or null when no valid check digit exists (remainder 10). */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new Error('nhsCheckDigit needs nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export type NhsNumberProblem = 'empty' | 'not-ten-digits' | 'bad-check-digit';

/** Why a string is not a valid NHS number, or null if it is one. */
export function nhsNumberProblem(input: string): NhsNumberProblem | null {
  const n = normaliseNhsNumber(input);
  if (n.length === 0) return 'empty';
  if (!/^\d{10}$/.test(n)) return 'not-ten-digits';
  const expected = nhsCheckDigit(n.slice(0, 9));
  if (expected === null || expected !== Number(n[9])) return 'bad-check-digit';
  return null;
}

/** What the user is told for each problem. */
export const NHS_NUMBER_PROBLEM_TEXT: Record<NhsNumberProblem, string> = {
  empty: 'Enter an NHS number.',
  'not-ten-digits': 'An NHS number has 10 digits.',
  'bad-check-digit':
    'This is not a valid NHS number: the last digit does not match. Check the number and try again.',
};

export function isValidNhsNumber(input: string): boolean {
  return nhsNumberProblem(input) === null;
}

/** Formats ten digits as 3-3-4 ("999 123 4567"); returns the input unchanged if it is not ten digits. */
export function formatNhsNumber(input: string): string {
  const n = normaliseNhsNumber(input);
  if (!/^\d{10}$/.test(n)) return input;
  return `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}
