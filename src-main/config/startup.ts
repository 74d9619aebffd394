/**
 * Picks the configuration at start-up: `--config FILE` (validated), else demo mode in the default data folder
 * (or `--data-dir DIR`).
 */
import { loadConfigFile, parseConfig, ConfigError } from './load';
import { demoConfig, defaultDataDir } from './defaults';
import type { AppConfig } from './schema';

export function resolveStartupConfig(argv: readonly string[]): AppConfig {
  const configIdx = argv.indexOf('--config');
  if (configIdx >= 0) {
    const file = argv[configIdx + 1];
    if (!file) throw new ConfigError('--config needs a file name');
    return loadConfigFile(file);
  }
  const dataIdx = argv.indexOf('--data-dir');
  const dataDir = dataIdx >= 0 ? argv[dataIdx + 1] : undefined;
  if (dataIdx >= 0 && !dataDir) throw new ConfigError('--data-dir needs a folder');
  return parseConfig(demoConfig(dataDir ?? defaultDataDir()), 'demo configuration');
}
