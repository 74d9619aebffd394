/**
 * Child process for the files-swapped test: opens the audit trail and appends, printing "seq uuid" for every event
 * only after record()/recordMany() returned (committed and checked).
 * Usage: swap-writer.ts DB_FILE KEY_FILE MODE
 *   run     append until an append is refused; then print "refused <message>", "status <json>", close the log
 *           cleanly, print "closed" and exit 0;
 *   idle:N  append N events, print "idle", and wait to be killed (no file check between writes, so it cannot
 *           notice anything before the kill).
 */
import { openAuditTrail } from '../../../src-main/audit/log/trail';
import { AuditUnavailableError } from '../../../src-main/audit/types';
import { readEntry } from '../../support/audit-log/fixtures';

const [file, keyFile, mode] = process.argv.slice(2);
const idle = /^idle:(\d+)$/.exec(mode ?? '');
if (!file || !keyFile || (mode !== 'run' && !idle)) {
  process.stderr.write('usage: swap-writer.ts DB_FILE KEY_FILE run|idle:N\n');
  process.exit(2);
}
const trail = openAuditTrail({
  file,
  keyFile,
  workstationId: 'WS-TEST-01',
  transports: ['fhir', 'atna'],
  checkpointEvery: 25,
  fileCheckMs: idle ? 3_600_000 : 1_000,
});
process.stdout.write('ready\n');

function appendOnce(i: number): void {
  // A mix of single appends and small batches.
  const receipts =
    i % 5 === 0
      ? trail.recordMany([readEntry(i), readEntry(i + 1), readEntry(i + 2)])
      : [trail.record(readEntry(i))];
  // Writes to a pipe are synchronous on Linux: once this returns the parent will see the line.
  process.stdout.write(receipts.map((r) => `${r.seq} ${r.uuid}\n`).join(''));
}

if (idle) {
  for (let i = 0; i < Number(idle[1]); i++) appendOnce(i);
  // After the trail's deferred head-file write (immediates run in order), as any pause of a real writer allows.
  setImmediate(() => process.stdout.write('idle\n'));
  setInterval(() => {}, 60_000);
} else {
  for (let i = 0; ; i++) {
    try {
      appendOnce(i);
    } catch (err) {
      if (!(err instanceof AuditUnavailableError)) throw err;
      process.stdout.write(`refused ${err.message.replace(/\n/g, ' ')}\n`);
      process.stdout.write(`status ${JSON.stringify(trail.status())}\n`);
      trail.close();
      process.stdout.write('closed\n');
      process.exit(0);
    }
  }
}
