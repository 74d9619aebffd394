/**
 * Loading and validating configuration files.
 * A bad file is refused with an error that names the file and the field, never half-applied.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigSchema, type AppConfig } from './schema';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates an already-parsed value (e.g. built in code or from the CLI). */
export function parseConfig(value: unknown, source = 'configuration'): AppConfig {
  const parsed = ConfigSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`${source} is invalid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Reads a JSON config file and validates it. */
export function loadConfigFile(file: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(json, `config file ${file}`);
}
