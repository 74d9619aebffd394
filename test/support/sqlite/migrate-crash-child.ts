/**
 * Child process for the migration crash test: runs the shared runner over two migrations on DB_FILE; the second
 * creates a table, writes to it, and then the process SIGKILLs itself in the middle of that migration (no
 * exception, no rollback by our code: whatever is on disk is what a power cut would leave).
 * Usage: migrate-crash-child.ts DB_FILE JOURNAL_MODE
 */
import Database from 'better-sqlite3';
import { migrate } from '../../../src-main/sqlite/migrate';

const [file, journal] = process.argv.slice(2);
if (!file || (journal !== 'wal' && journal !== 'delete')) {
  process.stderr.write('usage: migrate-crash-child.ts DB_FILE wal|delete\n');
  process.exit(2);
}
const db = new Database(file);
db.pragma(`journal_mode = ${journal}`);
db.pragma('synchronous = FULL');
migrate(db, {
  label: 'crash test database',
  list: [
    {
      version: 1,
      name: 'first',
      up(d) {
        d.exec('CREATE TABLE first (x INTEGER) STRICT; INSERT INTO first VALUES (1), (2), (3);');
      },
    },
    {
      version: 2,
      name: 'killed-midway',
      up(d) {
        d.exec('CREATE TABLE half_made (x INTEGER) STRICT');
        const insert = d.prepare('INSERT INTO half_made VALUES (?)');
        // Enough rows that pages spill to the journal / WAL before the kill.
        for (let i = 0; i < 20_000; i++) insert.run(i);
        d.exec('ALTER TABLE first ADD COLUMN y INTEGER');
        process.stdout.write('killing\n');
        process.kill(process.pid, 'SIGKILL');
      },
    },
  ],
});
process.stdout.write('not killed\n');
