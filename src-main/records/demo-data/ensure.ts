/** Demo mode: the records file in dataDir, generated on first start when missing. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/schema';

type DemoAppConfig = Extract<AppConfig, { mode: 'demo' }>;
import { writePopulation } from './write';

const DEMO_SEED = 'demo';

function recordsDatabasePath(config: DemoAppConfig): string {
  return config.records.database ?? join(config.dataDir, 'records.sqlite');
}

/** Returns the demo's records file path, generating the demo population first when it is missing. */
export function ensureRecordsDatabase(config: DemoAppConfig): string {
  const file = recordsDatabasePath(config);
  if (existsSync(file)) return file;
  writePopulation(file, { patients: config.records.demoPatients, seed: DEMO_SEED });
  return file;
}
