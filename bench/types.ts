/**
 * One row of bench-results.json. Fields that do not apply are left out.
 */
export interface BenchRow {
  area: 'card' | 'records' | 'audit' | 'ui' | 'review';
  name: string;
  unit: string;
  p50?: number;
  p95?: number;
  /** A single figure (throughput, size, memory) where percentiles do not apply. */
  value?: number;
  /** The target as a number in the same unit (a ceiling for times and ratios, a floor for throughput). */
  target?: number;
  /** The peer's figure measured in the same run, same unit. */
  peer?: number;
  /** ours / peer (or as the row's name says). */
  ratio?: number;
}

export interface BenchContext {
  /** Scratch folder for this run. */
  tmp: string;
  log: (line: string) => void;
}

export type BenchArea = (ctx: BenchContext) => Promise<BenchRow[]>;

/** p-th percentile (0..100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
