/**
 * Migration 1: the hash-chained log, its append-only triggers, the per-transport outbox, checkpoints and their
 * delivery record, the transports' delivery state, and a probe row used to test that the disk takes writes again.
 */
import type { Migration } from '../../../sqlite/migrate';
import { APPEND_ONLY_TRIGGERS } from './append-only';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- seq is assigned by the writer (previous + 1) so a gap is always tampering, never a rolled-back insert.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        uuid TEXT NOT NULL UNIQUE,
        recorded_at TEXT NOT NULL,
        json TEXT NOT NULL,
        hash BLOB NOT NULL CHECK (length(hash) = 32)
      ) STRICT;

      -- Pending deliveries only: a row is deleted when its transport confirms it.
      CREATE TABLE outbox (
        transport TEXT NOT NULL CHECK (transport IN ('atna', 'fhir')),
        seq INTEGER NOT NULL REFERENCES audit_log (seq),
        priority INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        PRIMARY KEY (transport, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX outbox_order ON outbox (transport, priority DESC, seq);
      CREATE INDEX outbox_seq ON outbox (seq);

      CREATE TABLE transport (
        name TEXT PRIMARY KEY CHECK (name IN ('atna', 'fhir')),
        enabled_at TEXT NOT NULL,
        last_delivered_at TEXT,
        last_delivered_seq INTEGER,
        last_error TEXT,
        last_error_at TEXT
      ) STRICT;

      -- An index of the checkpoint events in audit_log (the signed JSON there is the authority).
      CREATE TABLE checkpoint (
        event_seq INTEGER PRIMARY KEY REFERENCES audit_log (seq),
        covers_seq INTEGER NOT NULL,
        head_hash BLOB NOT NULL CHECK (length(head_hash) = 32)
      ) STRICT;

      -- Checkpoints a transport confirmed: the log must reach at least this far, or its tail was cut.
      CREATE TABLE checkpoint_delivery (
        event_seq INTEGER NOT NULL REFERENCES checkpoint (event_seq),
        transport TEXT NOT NULL,
        delivered_at TEXT NOT NULL,
        PRIMARY KEY (event_seq, transport)
      ) STRICT;

      CREATE TABLE probe (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        at TEXT NOT NULL,
        pad BLOB NOT NULL
      ) STRICT;
    `);
    for (const t of APPEND_ONLY_TRIGGERS) db.exec(t.sql);
  },
};
