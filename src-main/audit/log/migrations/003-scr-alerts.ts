/**
 * Migration 3: a third transport, `scr`, which hands the privacy alerts (emergency access, legal override,
 * self-claimed legitimate relationship) to the Summary Care Record service's AuditEvent endpoint
 * (docs/specs/record-services.md section 5). SQLite cannot change a CHECK in place, so the outbox and transport
 * tables are rebuilt with the wider CHECK and their rows copied as they were.
 */
import type { Migration } from '../../../sqlite/migrate';

export const migration003: Migration = {
  version: 3,
  name: 'scr-alerts',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_v3 (
        transport TEXT NOT NULL CHECK (transport IN ('atna', 'fhir', 'scr')),
        seq INTEGER NOT NULL REFERENCES audit_log (seq),
        priority INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        PRIMARY KEY (transport, seq)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO outbox_v3 (transport, seq, priority, attempts, next_attempt_at, last_error)
        SELECT transport, seq, priority, attempts, next_attempt_at, last_error FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_v3 RENAME TO outbox;
      CREATE INDEX outbox_urgent ON outbox (transport, priority DESC, seq) WHERE priority > 0;

      CREATE TABLE transport_v3 (
        name TEXT PRIMARY KEY CHECK (name IN ('atna', 'fhir', 'scr')),
        enabled_at TEXT NOT NULL,
        last_delivered_at TEXT,
        last_delivered_seq INTEGER,
        last_error TEXT,
        last_error_at TEXT
      ) STRICT;
      INSERT INTO transport_v3 SELECT name, enabled_at, last_delivered_at, last_delivered_seq, last_error, last_error_at
        FROM transport;
      DROP TABLE transport;
      ALTER TABLE transport_v3 RENAME TO transport;
    `);
  },
};
