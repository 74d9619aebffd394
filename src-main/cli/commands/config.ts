/**
 * `stethoscope config check --config FILE`: validates a configuration file exactly as the workstation would at
 * start (schema, then the start-up checks on files and folders) and prints the resolved configuration as JSON.
 * Paths are shown as given; no file's contents (keys, certificates) are ever printed.
 */
import { parseFlags, UsageError, type CliCommand, type CliIo } from '../command';
import type { AppConfig } from '../../config/schema';
import { ConfigError, loadConfigFile } from '../../config/load';
import { describeProblems, startupProblems } from '../../config/startup-checks';

/** The configuration `--config FILE` names, or null after saying on stderr why it is not valid. */
export function readConfigFlag(file: string | undefined, io: CliIo): AppConfig | null {
  if (!file) throw new UsageError('--config FILE is required');
  try {
    return loadConfigFile(file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${err.message}\n`);
    return null;
  }
}

export const configCheckCommand: CliCommand = {
  path: ['config', 'check'],
  summary:
    'Validates a configuration file as the workstation would at start. Prints the resolved configuration (JSON,\n' +
    '      defaults filled in) and exits 0, or names each field and the reason on stderr and exits 1.',
  usage: 'stethoscope config check --config FILE',
  async run(argv, io) {
    const { values } = parseFlags(argv, { config: { type: 'string' } });
    const config = readConfigFlag(values.config, io);
    if (!config) return 1;
    const problems = startupProblems(config);
    if (problems.length > 0) {
      io.stderr(`config file ${values.config} cannot start a workstation:\n${describeProblems(problems)}\n`);
      return 1;
    }
    io.stdout(`${JSON.stringify(config, null, 2)}\n`);
    return 0;
  },
};
