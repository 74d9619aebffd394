/**
 * verifyCardObjects with a small cache, so a card seen before signs in fast.
 *
 * Only positive validation results are kept, keyed by SHA-256 of the certificate, the care-roles object and the
 * CHUID (the GUID is part of the binding), and only while `now` lies within the verdict's validFrom..validUntil.
 * Refusals are never cached (a not-yet-valid card may become valid). The PIN and the challenge never pass through
 * here. A new CRL means a new trust store and so a new verifier.
 */
import { createHash } from 'node:crypto';
import { setBounded } from './bounded-map';
import type { TrustStore } from './trust-store';
import { verifyCardObjects, type CardObjects, type CardVerdict } from './verify-card';

export interface CardVerifier {
  verify(objects: CardObjects, now: Date): Promise<CardVerdict>;
  /** Entries currently cached (for tests and diagnostics). */
  readonly size: number;
  clear(): void;
}

type Ok = Extract<CardVerdict, { ok: true }>;

function sha(b: Buffer | null): string {
  return b ? createHash('sha256').update(b).digest('hex') : '-';
}

export function createVerifier(trust: TrustStore, opts: { cacheSize?: number } = {}): CardVerifier {
  const max = Math.max(0, opts.cacheSize ?? 32);
  const cache = new Map<string, Ok>();
  return {
    get size() {
      return cache.size;
    },
    clear: () => cache.clear(),
    async verify(objects, now) {
      const key = `${sha(objects.certDer)}:${sha(objects.rolesDer)}:${sha(objects.chuid)}`;
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        if (now >= hit.validFrom && now <= hit.validUntil) {
          cache.set(key, hit); // most recently used goes last
          return hit;
        }
      }
      const verdict = await verifyCardObjects(objects, trust, now);
      if (verdict.ok && max > 0) setBounded(cache, key, verdict, max);
      return verdict;
    },
  };
}
