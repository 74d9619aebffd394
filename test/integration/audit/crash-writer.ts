/**
 * Child process for the crash test: opens the audit trail and appends forever, printing "seq uuid" for every
 * event only after record()/recordMany() returned (i.e. after the commit). The parent SIGKILLs it at random.
 * Usage: crash-writer.ts DB_FILE KEY_FILE
 */
import { openAuditTrail } from '../../../src-main/audit/log/trail';
import { readEntry } from '../../support/audit-log/fixtures';

const [file, keyFile] = process.argv.slice(2);
if (!file || !keyFile) {
  process.stderr.write('usage: crash-writer.ts DB_FILE KEY_FILE\n');
  process.exit(2);
}
process.stdout.write('opening\n');
const trail = openAuditTrail({
  file,
  keyFile,
  workstationId: 'WS-TEST-01',
  transports: ['fhir', 'atna'],
  checkpointEvery: 25,
});
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  // A mix of single appends and small batches, so kills land inside both.
  const receipts =
    i % 5 === 0
      ? trail.recordMany([readEntry(i), readEntry(i + 1), readEntry(i + 2)])
      : [trail.record(readEntry(i))];
  // On Linux, writes to a pipe are synchronous: once this returns the parent will see the line even after SIGKILL.
  process.stdout.write(receipts.map((r) => `${r.seq} ${r.uuid}\n`).join(''));
}
