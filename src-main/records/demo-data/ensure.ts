/** Demo mode: the records file in dataDir, generated on first start when missing. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/schema';
import { writePopulation } from './write';

const DEMO_SEED = 'demo';

function recordsDatabasePath(config: AppConfig): string {
  return config.records.database ?? join(config.dataDir, 'records.sqlite');
}

/** Returns the records file path, generating the demo population first if this is demo mode and it is missing. */
export function ensureRecordsDatabase(config: AppConfig): string {
  const file = recordsDatabasePath(config);
  if (existsSync(file)) return file;
  if (config.mode !== 'demo') throw new Error(`records database ${file} does not exist`);
  writePopulation(file, { patients: config.records.demoPatients, seed: DEMO_SEED });
  return file;
}
