/**
 * The append-only triggers, kept as data so the verifier can compare what is in the file with what should be
 * there: a trigger that was dropped, or replaced by a harmless one of the same name, is reported.
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

/** Whitespace-insensitive comparison form of a CREATE TRIGGER statement. */
export function normaliseSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
}
