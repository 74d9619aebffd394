/**
 * Stable identifiers for the loaded population: the same patient gets the same resource ids and SCR identifiers
 * on every load (a name-based UUID from SHA-256), so tests, links and bookmarks survive a restart.
 */
import { createHash } from 'node:crypto';

/** A UUID (RFC 9562 version 8, custom) derived from the name. */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(`stethoscope-sandbox:${name}`).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x80;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** A small number in [0, n) derived from the name (for deterministic synthetic details). */
export function stableInt(name: string, n: number): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) % n;
}
