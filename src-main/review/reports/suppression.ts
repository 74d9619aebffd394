/**
 * Small-number suppression for green data (privacy-officer spec, "Red, amber, green"): 0 stays 0; 1 to 7 is shown
 * as `*`; every other count is rounded to the nearest 5. A count is a whole number, so it is never half way between
 * two multiples of 5 and needs no tie rule: 8 and 9 show as 10, 12 as 10, 13 as 15. No count below 10 is ever shown
 * except 0.
 */

/** What a green report shows in place of a count: '0', '*', or a multiple of 5 from 10 up. */
export type ShownCount = string;

export const SUPPRESSED = '*';
const LARGEST_SUPPRESSED = 7;

export function suppress(count: number): ShownCount {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('a count is a whole number from 0');
  if (count === 0) return '0';
  if (count <= LARGEST_SUPPRESSED) return SUPPRESSED;
  return String(Math.round(count / 5) * 5);
}
