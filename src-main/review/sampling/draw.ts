/**
 * Sampling for second-line review (privacy-officer spec, "Sampling"): a random draw of alerts over a period, by
 * percentage or by number, that can be shown again from its seed.
 *
 * Each alert's place in the draw is HMAC-SHA-256(seed, alert id): the sample is the alerts with the lowest
 * values. The draw depends only on the seed and the set of alerts, not on the order the repository lists them,
 * and an alert delivered late (an ambulance laptop that was offline) takes its own place without reshuffling the
 * others: the same seed over the same period shows the same draw again, plus at most the late alerts that fall
 * into it.
 */
import { createHmac, randomBytes } from 'node:crypto';

export type SampleSize = { kind: 'percent'; value: number } | { kind: 'count'; value: number };

/** A fresh seed: 16 random bytes as 32 hex digits with hyphens every 8 (easy to read out and type again). */
export function freshSeed(): string {
  return randomBytes(16).toString('hex').match(/.{8}/g)?.join('-') ?? '';
}

/** How many of `population` alerts the size asks for: a percentage rounds up (any non-empty period gives one). */
export function sampleCount(size: SampleSize, population: number): number {
  if (population === 0) return 0;
  if (size.kind === 'count') return Math.min(population, size.value);
  return Math.min(population, Math.ceil((population * size.value) / 100));
}

/** The ids drawn, in draw order (lowest rank first). */
export function drawSample(ids: readonly string[], size: SampleSize, seed: string): string[] {
  const unique = [...new Set(ids)];
  const ranked = unique.map((id) => ({ id, rank: createHmac('sha256', seed).update(id).digest('hex') }));
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  return ranked.slice(0, sampleCount(size, unique.length)).map((r) => r.id);
}
