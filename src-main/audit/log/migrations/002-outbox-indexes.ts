/**
 * Migration 2: leaner outbox indexes. Version 1 indexed every queued item twice more (by seq, and by transport +
 * priority + seq), so each event cost four extra index writes for two transports. Routine items (priority 0) are
 * already in delivery order in the primary key (transport, seq); only the few urgent items (overrides, alerts,
 * checkpoints) need a priority index, and a partial one costs routine appends nothing.
 */
import type { Migration } from '../../../sqlite/migrate';

export const migration002: Migration = {
  version: 2,
  name: 'outbox-indexes',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS outbox_seq;
      DROP INDEX IF EXISTS outbox_order;
      CREATE INDEX outbox_urgent ON outbox (transport, priority DESC, seq) WHERE priority > 0;
    `);
  },
};
