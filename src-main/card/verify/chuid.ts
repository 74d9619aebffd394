/**
 * When a CHUID stops being valid. The CHUID itself is read by src-main/card/piv/objects.ts (parseChuidContent).
 */

/** The last instant the CHUID is valid: the end of its expiry day (YYYYMMDD), UTC. */
export function chuidEnd(expiry: string): Date {
  const y = Number(expiry.slice(0, 4));
  const m = Number(expiry.slice(4, 6));
  const d = Number(expiry.slice(6, 8));
  return new Date(Date.UTC(y, m - 1, d, 23, 59, 59, 999));
}
