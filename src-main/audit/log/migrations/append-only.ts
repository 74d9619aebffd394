/**
 * The append-only triggers, kept as data: migration 1 makes them, and the schema check names them when one is
 * missing (the table is then no longer append-only).
 */

/** Tables whose rows may never change or go away once written. */
export const APPEND_ONLY_TABLES = ['audit_log', 'checkpoint', 'checkpoint_delivery'] as const;
export type AppendOnlyTable = (typeof APPEND_ONLY_TABLES)[number];

export interface TriggerSpec {
  name: string;
  table: AppendOnlyTable;
  sql: string;
}

function spec(table: AppendOnlyTable, op: 'UPDATE' | 'DELETE'): TriggerSpec {
  const name = `${table}_no_${op.toLowerCase()}`;
  return {
    name,
    table,
    sql: `CREATE TRIGGER ${name} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
  };
}

export const APPEND_ONLY_TRIGGERS: readonly TriggerSpec[] = APPEND_ONLY_TABLES.flatMap((t) => [
  spec(t, 'UPDATE'),
  spec(t, 'DELETE'),
]);
