/**
 * Checks an audit database's schema as an allow-list against what the migrations make at the file's version:
 * every table STRICT and as defined, the append-only triggers present with their original text, and nothing
 * else: a trigger, view, index or table that is not ours is named and refused (one could silently drop or
 * rewrite appends). Used at start-up (before and after migrating), by every write (when the schema changed
 * under the open log), and by the verifier.
 */
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { expectedSchema, schemaDifferences, schemaObjects, type SchemaDifference } from '../../sqlite/schema';
import { APPEND_ONLY_TRIGGERS } from './migrations/append-only';
import { auditMigrations, LATEST_VERSION } from './migrations/index';

const TableListRow = z.object({ name: z.string(), schema: z.string(), strict: z.number() });

const appendOnly = new Set(APPEND_ONLY_TRIGGERS.map((t) => t.name));

function describe(d: SchemaDifference, strict: ReadonlyMap<string, number>): string {
  const o = d.object;
  const on = o.type === 'trigger' || o.type === 'index' ? ` (on ${o.table})` : '';
  switch (d.change) {
    case 'unexpected':
      return `${o.type} ${o.name}${on} is not part of the audit schema`;
    case 'missing':
      return o.type === 'trigger' && appendOnly.has(o.name)
        ? `trigger ${o.name} is missing (${o.table} is no longer append-only)`
        : `${o.type} ${o.name} is missing`;
    case 'altered':
      return o.type === 'table' && strict.get(o.name) !== 1
        ? `table ${o.name} is not STRICT`
        : `${o.type} ${o.name} was altered`;
  }
}

/** Plain-words problems with the schema of `db` against version `version` of the audit migrations (none: ok). */
export function schemaProblems(db: Database, version: number = LATEST_VERSION): string[] {
  const diffs = schemaDifferences(schemaObjects(db), expectedSchema(auditMigrations, version));
  if (diffs.length === 0) return [];
  const strict = new Map(
    z
      .array(TableListRow)
      .parse(db.pragma('table_list'))
      .filter((t) => t.schema === 'main')
      .map((t) => [t.name, t.strict]),
  );
  return diffs.map((d) => describe(d, strict));
}
