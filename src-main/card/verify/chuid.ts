/**
 * Reads the CHUID object (GET DATA 5FC102): card GUID (tag 34) and expiry (tag 35, YYYYMMDD).
 */
import { findTlv, parseTlvs } from '../virtual/ber-tlv';

export interface Chuid {
  /** 32 lower-case hex characters. */
  guid: string;
  /** YYYYMMDD. */
  expiry: string;
}

/** Accepts the whole object (`53 L {...}`) or its inner value; returns null when it is not a usable CHUID. */
export function parseChuid(bytes: Uint8Array): Chuid | null {
  try {
    let items = parseTlvs(bytes);
    const outer = items.length === 1 ? findTlv(items, '53') : undefined;
    if (outer) items = parseTlvs(outer.value);
    const guid = findTlv(items, '34')?.value;
    const expiry = findTlv(items, '35')?.value.toString('ascii');
    if (!guid || guid.length !== 16 || !expiry || !/^\d{8}$/.test(expiry)) return null;
    return { guid: guid.toString('hex'), expiry };
  } catch {
    return null;
  }
}

/** The last instant the CHUID is valid: the end of its expiry day, UTC. */
export function chuidEnd(expiry: string): Date {
  const y = Number(expiry.slice(0, 4));
  const m = Number(expiry.slice(4, 6));
  const d = Number(expiry.slice(6, 8));
  return new Date(Date.UTC(y, m - 1, d, 23, 59, 59, 999));
}
