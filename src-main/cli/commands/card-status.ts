/**
 * `stethoscope card status`: reads the card in a PC/SC reader and prints, as JSON, its identity, certificate,
 * the trust verdict against the given anchors, its roles and PIN tries left; with --pin-stdin it also runs the
 * rest of sign-in (VERIFY, GENERAL AUTHENTICATE over a fresh challenge, signature check). No PIN is sent to a
 * card that is not trusted. Exit 0 only for a trusted card (and, with a PIN, a completed sign-in).
 * Uses the system pcscd unless PCSCLITE_CSOCK_NAME points elsewhere.
 *
 * The card is read in a child process (card-status-child.ts). Every exchange has a deadline, but PC/SC cannot
 * cancel a transmit: a card that never answers keeps one of libuv's pool threads until it leaves the reader, and
 * a process with such a thread cannot exit (libuv joins its pool at exit). The command must still end with its
 * verdict, so the child reports it (after resetting its card connection) and this process then ends the child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isPin, PIN_RULE } from '../../../src-shared/domain/pin';
import { DEFAULT_EXCHANGE_TIMEOUT_MS } from '../../card/transport/types';
import { parseFlags, UsageError, type CliCommand, type CliIo } from '../command';
import { ProbeResult, type ProbeRequest } from './card-status-messages';

/** How long the child may take to go after being told to (SIGTERM); then it is killed. */
const EXIT_GRACE_MS = 1000;
/** A child that has not answered by then has a fault of its own (every card exchange has a deadline). */
const ANSWER_CAP_MS = 120_000;

function exchangeTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_EXCHANGE_TIMEOUT_MS;
  const ms = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(ms >= 100 && ms <= 60_000))
    throw new UsageError('--exchange-timeout-ms wants a whole number of milliseconds, 100 to 60000');
  return ms;
}

const failed = (problem: string): ProbeResult => ({ report: null, problem, code: 1 });

/** Runs the card check in a child process and answers its result; the child is ended if it lingers. */
function probeInChild(request: ProbeRequest): Promise<ProbeResult> {
  const script = fileURLToPath(new URL('./card-status-child.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    // The CLI runs TypeScript through tsx; the child needs the same loader.
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<ProbeResult>((resolve) => {
    let answered: ProbeResult | null = null;
    const finish = (result: ProbeResult) => {
      if (answered) return;
      answered = result;
      clearTimeout(cap);
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve(result);
        return;
      }
      // Its work is done (connection reset, transport closed) once it has answered; it may still be unable to exit.
      const grace = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(grace);
        resolve(result);
      });
      child.kill('SIGTERM');
    };
    const cap = setTimeout(
      () => finish(failed(`the card check did not finish within ${ANSWER_CAP_MS / 1000} seconds`)),
      ANSWER_CAP_MS,
    );
    child.once('message', (message: unknown) => {
      const parsed = ProbeResult.safeParse(message);
      finish(
        parsed.success ? parsed.data : failed('internal error: the card check answered something unexpected'),
      );
    });
    // 'close' comes after every message the child sent: no answer by then means it failed.
    child.once('close', (code, signal) =>
      finish(failed(`the card check stopped unexpectedly (${signal ?? `exit code ${code}`})`)),
    );
    child.send(request);
  });
}

async function status(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    reader: { type: 'string' },
    trust: { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    'pin-stdin': { type: 'boolean' },
    'exchange-timeout-ms': { type: 'string' },
  });
  const exchangeTimeoutMs = exchangeTimeout(values['exchange-timeout-ms']);
  let pin: string | null = null;
  if (values['pin-stdin']) {
    pin = (await io.readStdin()).trim();
    if (!isPin(pin)) throw new UsageError(`the PIN on standard input is not a PIN: ${PIN_RULE}`);
  }
  const result = await probeInChild({
    ...(values.reader !== undefined ? { reader: values.reader } : {}),
    trust: values.trust ?? [],
    crl: values.crl ?? [],
    pin,
    exchangeTimeoutMs,
  });
  if (result.report) io.stdout(JSON.stringify(result.report, null, 2) + '\n');
  if (result.problem !== null) io.stderr(`stethoscope card status: ${result.problem}\n`);
  return result.code;
}

export const cardStatusCommand: CliCommand = {
  path: ['card', 'status'],
  summary:
    'Prints JSON about the card in the reader: identity, certificate, trust verdict, roles, PIN tries; with --pin-stdin the full sign-in incl. challenge-response. Exit 0 only for a trusted card (and completed sign-in with a PIN). Each card exchange has a deadline (default 5000 ms).',
  usage:
    'stethoscope card status [--reader NAME] [--trust FILE]... [--crl FILE]... [--pin-stdin] [--exchange-timeout-ms MS]',
  run: status,
};
