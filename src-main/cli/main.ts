/**
 * `stethoscope` entry: finds the command named by the leading words and runs it.
 * Commands live in src-main/cli/commands, one file per group; register new ones in `commands` below.
 */
import { processIo, UsageError, type CliCommand, type CliIo } from './command';
import { commandList } from './commands/index';

function help(commands: readonly CliCommand[]): string {
  return [
    'Usage: stethoscope <command> [options]',
    '',
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const commands = commandList();
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.stdout(help(commands));
    return argv.length === 0 ? 2 : 0;
  }
  const match = commands
    .filter((c) => c.path.every((w, i) => argv[i] === w))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!match) {
    io.stderr(`stethoscope: unknown command "${argv.slice(0, 2).join(' ')}" (see stethoscope --help)\n`);
    return 2;
  }
  const rest = argv.slice(match.path.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(match.help ?? `usage: ${match.usage}\n      ${match.summary}\n`);
    return 0;
  }
  try {
    return await match.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`stethoscope ${match.path.join(' ')}: ${err.message}\nusage: ${match.usage}\n`);
      return 2;
    }
    io.stderr(`stethoscope ${match.path.join(' ')}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
