/**
 * Default configuration for demo mode: an embedded virtual card and synthetic patients in a data folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppConfigInput } from './schema';

export function defaultDataDir(): string {
  return process.env['STETHOSCOPE_DATA_DIR'] || join(homedir(), '.local', 'share', 'stethoscope-demo');
}

export function demoConfig(dataDir = defaultDataDir()): AppConfigInput {
  return { mode: 'demo', dataDir };
}
