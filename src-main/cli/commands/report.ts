/**
 * `stethoscope report green` (aggregated counts of privacy-officer alerts, small numbers suppressed) and
 * `stethoscope report amber` (a pseudonymised extract), over a file of AuditEvents. Both declare a purpose of use
 * first; insurance and marketing are refused before any file is opened. The library is
 * src-main/review/reports (its README.md has the decisions); this file only maps flags and errors.
 */
import { readFileSync } from 'node:fs';
import {
  AMBER_COLUMNS,
  AMBER_FORMATS,
  amberExtract,
  amberOutput,
  decidePurpose,
  GROUP_FIELDS,
  greenCsv,
  greenReport,
  KeyFileError,
  loadPseudonymKey,
  MIN_KEY_BYTES,
  parseAmberFormat,
  parseGroupFields,
  PURPOSE_CODES,
  purposeHelp,
  readAuditEvents,
  ReportInputError,
  ReportRequestError,
  TOTAL_LABEL,
  type AuditFacts,
} from '../../review/reports/index';
import { parseFlags, UsageError, type CliCommand, type CliIo } from '../command';

/** Exit status of a run refused for its purpose of use (usage errors are 2, unusable input or key 1). */
export const EXIT_REFUSED = 3;

const PURPOSES = purposeHelp('    ');

const COMMON = `
Purpose of use (--purpose CODE, required, checked before anything is read):
${PURPOSES}

Input (--events FILE): NDJSON, one AuditEvent a line, or a FHIR Bundle of AuditEvents (entry[].resource), as the
workstation writes and delivers them. A line or entry that is not such an AuditEvent refuses the whole file, with
its line or entry number: a report that left events out would show fewer accesses than were made. An event
delivered twice (same id, same content) counts once.

Audit: this command writes no audit log (it has no workstation). Run from the privacy officer's workstation, each
report, extract and refusal is audited there like every other access.
Exit status: 0 done; 1 the events or key file cannot be used; 2 usage; ${EXIT_REFUSED} refused for its purpose of use.
`;

const GREEN_USAGE = `stethoscope report green --events FILE --by FIELD[,FIELD...] --purpose CODE`;
const GREEN_HELP = `Usage: ${GREEN_USAGE}

Green data: counts of privacy-officer alerts (types emergency, legal, self-claimed-lr), grouped by the fields
given, as CSV on stdout. Other events in FILE are read and checked but not counted.
  --by FIELD[,FIELD...]  one or more of ${GROUP_FIELDS.join(', ')}:
                         org     ODS code of the user's organisation
                         month   YYYY-MM of the event's time (UTC)
                         week    ISO 8601 week of the event's time (UTC), e.g. 2026-W48
                         type    emergency, legal, self-claimed-lr
                         reason  coded reason: SCR alert code 1-6, or the self-claimed relationship's reason code
                         role    job role code of the user's role profile, e.g. R8000
                         A fact an event does not carry shows as "unknown".
Small-number suppression: 0 stays 0; 1 to 7 shows as *; every other count is rounded to the nearest 5 (8 shows
as 10, 12 as 10, 13 as 15). The last row is the total, "${TOTAL_LABEL}" in the first column and the other group
columns empty: the total of the true counts, rounded and suppressed the same way.
Output: a header (the fields, then count), one row per group that occurs, sorted, then the total row.
${COMMON}`;

const AMBER_USAGE = `stethoscope report amber --events FILE --key-file FILE --purpose CODE [--format csv|ndjson]`;
const AMBER_HELP = `Usage: ${AMBER_USAGE}

Amber data: one row per event, pseudonymised, as CSV (default, with a header) or NDJSON on stdout.
Columns: ${AMBER_COLUMNS.join(', ')}.
  - patient_pseudonym, user_pseudonym: HMAC-SHA-256 of the NHS number / user id under the organisation's key,
    64 letters; the same person gets the same pseudonym under the same key, and another under another key;
  - date: the UTC day of the event, no time; every other column is a code (type, outcome, ODS code, role code,
    purpose of use, coded reason, record kind);
  - left out: free text (reasons, notes, outcome text), names, event ids, role profile ids (URID), workstation
    and machine names. Rows are sorted, so the log's order within a day is not carried over.
  --key-file FILE        the organisation's pseudonymisation key: the file's bytes (one trailing line end is
                         not part of it), at least ${MIN_KEY_BYTES}; refused when missing, shorter, or open to other
                         users (group-writable or readable by others). Make one with
                         openssl rand -hex 32 > FILE && chmod 600 FILE. The key is never printed or exported.
  --format ${AMBER_FORMATS.join('|')}    CSV (empty cell where an event lacks a fact) or NDJSON (null there).
${COMMON}`;

const REPORT_HELP = `Usage: stethoscope report green|amber ... (stethoscope report green --help, stethoscope report amber --help)

  ${GREEN_USAGE}
      Green data: alert counts grouped by ${GROUP_FIELDS.join(', ')}; small numbers suppressed.
  ${AMBER_USAGE}
      Amber data: a pseudonymised extract, one row per event.
${COMMON}`;

/**
 * The purpose is decided before anything else is read: a refused run touches no file. Returns the exit status
 * when refused, null when the run may go on.
 */
function refusedPurpose(command: string, given: string | undefined, io: CliIo): number | null {
  if (given === undefined) throw new UsageError('--purpose CODE is required (see --help for the codes)');
  const decision = decidePurpose(given);
  if (decision.ok) return null;
  io.stderr(`stethoscope ${command}: refused: ${decision.reason}\n`);
  return EXIT_REFUSED;
}

function readEvents(file: string | undefined): AuditFacts[] {
  if (!file) throw new UsageError('--events FILE is required');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportInputError(
      code === 'ENOENT'
        ? `${file}: no such file`
        : code === 'EISDIR'
          ? `${file}: is a folder, not a file of AuditEvents`
          : `${file}: cannot be read (${code ?? 'unknown error'})`,
    );
  }
  try {
    return readAuditEvents(text);
  } catch (err) {
    if (err instanceof ReportInputError) throw new ReportInputError(`${file}: ${err.message}`);
    throw err;
  }
}

/** Maps the library's request errors to usage errors and prints input and key problems as one line. */
function guarded(command: string, io: CliIo, run: () => number): number {
  try {
    return run();
  } catch (err) {
    if (err instanceof ReportRequestError) throw new UsageError(err.message);
    if (err instanceof ReportInputError || err instanceof KeyFileError) {
      io.stderr(`stethoscope ${command}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

const reportCommand: CliCommand = {
  path: ['report'],
  summary: 'Privacy-officer reports: see the two commands below, each with --help.',
  usage: 'stethoscope report green|amber ... [--help]',
  help: REPORT_HELP,
  async run(argv, io) {
    if (argv.length === 0 || argv[0] === 'help') {
      io.stdout(REPORT_HELP);
      return argv.length === 0 ? 2 : 0;
    }
    throw new UsageError(`unknown report "${argv[0]}": green or amber`);
  },
};

const greenCommand: CliCommand = {
  path: ['report', 'green'],
  summary:
    'Green report: alert counts (emergency, legal, self-claimed-lr) by org, month, week, type, reason, role, as\n' +
    '      CSV; 1-7 shown as *, others rounded to 5. --purpose: ' +
    `${PURPOSE_CODES.join(', ')}\n` +
    '      (insurance and marketing are always refused).',
  usage: GREEN_USAGE,
  help: GREEN_HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      events: { type: 'string' },
      by: { type: 'string' },
      purpose: { type: 'string' },
    });
    const refused = refusedPurpose('report green', values.purpose, io);
    if (refused !== null) return refused;
    if (values.by === undefined)
      throw new UsageError(`--by FIELD[,FIELD...] is required: ${GROUP_FIELDS.join(', ')}`);
    const byText = values.by;
    return guarded('report green', io, () => {
      const by = parseGroupFields(byText);
      const events = readEvents(values.events);
      io.stdout(greenCsv(greenReport(events, by)));
      return 0;
    });
  },
};

const amberCommand: CliCommand = {
  path: ['report', 'amber'],
  summary:
    'Amber extract: one pseudonymised row per event (keyed NHS number and user id, day only, codes only, no free\n' +
    '      text), as CSV or NDJSON; same purpose codes as green.',
  usage: AMBER_USAGE,
  help: AMBER_HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      events: { type: 'string' },
      'key-file': { type: 'string' },
      purpose: { type: 'string' },
      format: { type: 'string', default: 'csv' },
    });
    const refused = refusedPurpose('report amber', values.purpose, io);
    if (refused !== null) return refused;
    const keyFile = values['key-file'];
    if (!keyFile) throw new UsageError('--key-file FILE is required');
    return guarded('report amber', io, () => {
      const format = parseAmberFormat(values.format);
      const key = loadPseudonymKey(keyFile);
      const events = readEvents(values.events);
      io.stdout(amberOutput(amberExtract(events, key), format));
      return 0;
    });
  },
};

export const reportCommands: CliCommand[] = [reportCommand, greenCommand, amberCommand];
