/**
 * `stethoscope audit verify` and `stethoscope audit status`: check an audit log for tampering, and show its
 * delivery status, from the command line (IT support, incident response, tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { readCheckpointEvent, type SignedCheckpoint } from '../../audit/events/checkpoint';
import { statusOfFile } from '../../audit/log/status-file';
import { verifyAuditLog } from '../../audit/log/verify';
import { publicKeyFromPem } from '../../audit/log/workstation-key';
import { parseFlags, UsageError, type CliCommand } from '../command';

const VERIFY_HELP = `Usage: stethoscope audit verify --db FILE [--key PEM] [--checkpoint FILE] [--head FILE]

Reads the audit database without changing it and checks:
  - schema, as an allow-list: tables STRICT and as defined, append-only triggers present with their original
    text, no trigger, view, index or table that is not ours (each one named), journal_mode WAL, schema version
    current (synchronous=FULL is a per-connection setting: the app sets and checks it at start);
  - chain: sequence numbers 1..n with no gap, each hash = SHA-256(previous hash || stored canonical JSON),
    each row's uuid and time equal to its AuditEvent's;
  - checkpoints: each signed checkpoint verifies (against --key when given, otherwise only against the key it
    carries, and all must share one key) and signs the head hash of the event just before it;
  - tail: the log reaches the last delivered checkpoint, every queued outbox item, the head file the writer keeps
    beside the database (FILE.head.json: the newest checkpoint it confirmed, so a database replaced by an older
    copy or a lost -wal shows) and, with --checkpoint, the checkpoint the remote side holds.
Options:
  --db FILE          the audit SQLite file (e.g. DATA_DIR/audit.sqlite)
  --key PEM          the workstation key (public SPKI PEM, or the private PKCS#8 PEM whose public half is used)
  --checkpoint FILE  a checkpoint AuditEvent (JSON) as delivered to the remote side
  --head FILE        the head file to check against, for a database copied elsewhere (default: DB.head.json
                     beside the database, when there is one)
Prints a JSON report on stdout. Exit 0: intact. Exit 1: problems found; stderr names the first bad sequence.
`;

const STATUS_HELP = `Usage: stethoscope audit status --db FILE

Opens the audit database as the app does (WAL, synchronous=FULL, the schema allow-list: it refuses a file with a
trigger, view, index or table that is not ours), tries a small probe write, and
prints the status JSON: queue depth and oldest undelivered age over the transports the log queues for, last
delivery, last error, whether the log takes writes, and the same per transport.
`;

function readRemoteCheckpoint(file: string): SignedCheckpoint {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--checkpoint ${file}: not readable JSON (${(err as Error).message})`);
  }
  // Accept the AuditEvent itself or an outbox item that carries it as text.
  const item = z.object({ json: z.string() }).safeParse(raw);
  if (item.success) raw = JSON.parse(item.data.json);
  const read = readCheckpointEvent(raw);
  if (!read.ok) throw new UsageError(`--checkpoint ${file}: ${read.error}`);
  return read.checkpoint;
}

export const auditVerifyCommand: CliCommand = {
  path: ['audit', 'verify'],
  summary: 'Check an audit log (chain, checkpoints, tail, triggers); names the first bad sequence number.',
  usage: 'stethoscope audit verify --db FILE [--key PEM] [--checkpoint FILE] [--head FILE]',
  help: VERIFY_HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      db: { type: 'string' },
      key: { type: 'string' },
      checkpoint: { type: 'string' },
      head: { type: 'string' },
    });
    if (!values.db) throw new UsageError('--db FILE is required');
    const publicKey = values.key ? publicKeyFromPem(readFileSync(values.key, 'utf8'), values.key) : undefined;
    const remoteCheckpoint = values.checkpoint ? readRemoteCheckpoint(values.checkpoint) : undefined;
    if (values.head && !existsSync(values.head)) throw new UsageError(`--head ${values.head}: no such file`);
    const report = verifyAuditLog(values.db, { publicKey, remoteCheckpoint, headFile: values.head });
    io.stdout(JSON.stringify(report, null, 2) + '\n');
    if (report.ok) return 0;
    const first = report.problems.find((p) => p.seq === report.firstBadSeq) ?? report.problems[0];
    io.stderr(
      report.firstBadSeq !== null
        ? `audit log check failed: first bad sequence ${report.firstBadSeq}: ${first?.message ?? ''}\n`
        : `audit log check failed: ${report.problems.map((p) => p.message).join('; ')}\n`,
    );
    return 1;
  },
};

export const auditStatusCommand: CliCommand = {
  path: ['audit', 'status'],
  summary: 'Print the audit log status JSON (queue depth, oldest undelivered, last delivery, writable).',
  usage: 'stethoscope audit status --db FILE',
  help: STATUS_HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, { db: { type: 'string' } });
    if (!values.db) throw new UsageError('--db FILE is required');
    io.stdout(JSON.stringify(statusOfFile(values.db), null, 2) + '\n');
    return 0;
  },
};

export const auditCommands: CliCommand[] = [auditVerifyCommand, auditStatusCommand];
