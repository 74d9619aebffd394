/**
 * Checks a database's schema against what the migrations create: STRICT tables, and the append-only triggers
 * present with exactly their original text. Used at start-up and by the verifier.
 */
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { APPEND_ONLY_TRIGGERS, normaliseSql } from './migrations/append-only';

const EXPECTED_STRICT_TABLES = [
  'meta',
  'audit_log',
  'outbox',
  'transport',
  'checkpoint',
  'checkpoint_delivery',
  'probe',
];

const TableListRow = z.object({ name: z.string(), schema: z.string(), type: z.string(), strict: z.number() });
const TriggerRow = z.object({ name: z.string(), sql: z.string().nullable() });

export function schemaProblems(db: Database): string[] {
  const problems: string[] = [];
  const tables = z.array(TableListRow).parse(db.pragma('table_list'));
  for (const name of EXPECTED_STRICT_TABLES) {
    const t = tables.find((r) => r.schema === 'main' && r.name === name);
    if (!t) problems.push(`table ${name} is missing`);
    else if (t.strict !== 1) problems.push(`table ${name} is not STRICT`);
  }
  const triggers = z
    .array(TriggerRow)
    .parse(db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").all());
  for (const want of APPEND_ONLY_TRIGGERS) {
    const have = triggers.find((t) => t.name === want.name);
    if (!have) problems.push(`trigger ${want.name} is missing (${want.table} is no longer append-only)`);
    else if (normaliseSql(have.sql ?? '') !== normaliseSql(want.sql))
      problems.push(`trigger ${want.name} was altered`);
  }
  return problems;
}
