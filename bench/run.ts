/**
 * `npm run bench [-- --only AREA]`: runs the benchmark areas, prints a table and writes bench-results.json at the
 * repository root. Each area lives in its own module under bench/ and is listed in `areas`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchArea, BenchRow } from './types';

type AreaName = BenchRow['area'];

const areas: Record<AreaName, () => Promise<BenchArea>> = {
  card: async () => (await import('./card')).default,
  records: async () => (await import('./records')).default,
  audit: async () => (await import('./audit')).default,
  ui: async () => (await import('./ui')).default,
  review: async () => (await import('./review')).default,
};

function parseOnly(argv: string[]): AreaName[] {
  const i = argv.indexOf('--only');
  if (i < 0) return Object.keys(areas) as AreaName[];
  const names = (argv[i + 1] ?? '').split(',').filter(Boolean);
  for (const n of names) {
    if (!(n in areas)) {
      process.stderr.write(`bench: unknown area "${n}" (card, records, audit, ui, review)\n`);
      process.exit(2);
    }
  }
  return names as AreaName[];
}

function table(rows: BenchRow[]): string {
  const cols = ['area', 'name', 'unit', 'p50', 'p95', 'value', 'target', 'peer', 'ratio'] as const;
  const cells = rows.map((r) => cols.map((c) => (r[c] === undefined ? '' : String(r[c]))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: readonly string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const only = parseOnly(process.argv.slice(2));
  const rows: BenchRow[] = [];
  let failed = false;
  for (const name of only) {
    const tmp = mkdtempSync(join(tmpdir(), `steth-bench-${name}-`));
    try {
      const run = await areas[name]();
      const ctx = { tmp, log: (l: string) => process.stderr.write(`[${name}] ${l}\n`) };
      rows.push(...(await run(ctx)));
    } catch (err) {
      failed = true;
      process.stderr.write(`bench: area ${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  writeFileSync(join(root, 'bench-results.json'), JSON.stringify(rows, null, 2) + '\n');
  process.stdout.write(table(rows) + '\n');
  if (failed) process.exitCode = 1;
}

await main();
// Results are written; a native thread left wedged by a failed area (a pcscd call that never returns) must not
// keep the process alive.
process.exit();
