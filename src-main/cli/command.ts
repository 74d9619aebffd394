/**
 * The shape of one CLI command and small argument helpers shared by all commands.
 * Output contract: results on stdout (JSON where the command says so), one-line reasons on stderr, exit 0 only
 * on success.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for --pin-stdin). */
  readStdin: () => Promise<string>;
}

export interface CliCommand {
  /** Words that select it, e.g. ['card', 'issue']. */
  path: readonly string[];
  summary: string;
  usage: string;
  /** What `--help` prints; without it, the usage and the summary. */
  help?: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** node:util parseArgs with strict checking, turning its errors into UsageError. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};
