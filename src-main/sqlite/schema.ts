/**
 * A database's schema as an allow-list: the objects its migrations make (worked out by running them on an empty
 * in-memory database), compared with what a file holds. Anything else in the file (a trigger, view, index or
 * table), anything missing, and anything whose definition differs, is a difference. SQL text is compared with
 * whitespace folded, as SQLite stores it the way it was written.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import { migrate, type Migrations } from './migrate';

export type SchemaObjectType = 'table' | 'index' | 'view' | 'trigger';

export interface SchemaObject {
  type: SchemaObjectType;
  name: string;
  /** The table an index or trigger belongs to (the object's own name for tables and views). */
  table: string;
  /** The CREATE statement; null for SQLite's automatic indexes (UNIQUE, PRIMARY KEY). */
  sql: string | null;
}

export type SchemaDifference =
  | { change: 'unexpected'; object: SchemaObject }
  | { change: 'missing'; object: SchemaObject }
  | { change: 'altered'; object: SchemaObject; expected: SchemaObject };

const SchemaRow = z.object({
  type: z.enum(['table', 'index', 'view', 'trigger']),
  name: z.string(),
  tbl_name: z.string(),
  sql: z.string().nullable(),
});

/** Whitespace-insensitive comparison form of a CREATE statement. */
export function normaliseSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
}

/** Every object in the main schema of `db`, in the order they were made. */
export function schemaObjects(db: Database.Database): SchemaObject[] {
  const rows = z
    .array(SchemaRow)
    .parse(db.prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY rowid').all());
  return rows.map((r) => ({ type: r.type, name: r.name, table: r.tbl_name, sql: r.sql }));
}

// The expected schema of a migration list at a version never changes while the program runs: worked out once.
const expectedCache = new WeakMap<Migrations, Map<number, readonly SchemaObject[]>>();

/** The objects `m` makes up to `version` (default: all of them). */
export function expectedSchema(m: Migrations, version: number = m.list.length): readonly SchemaObject[] {
  let byVersion = expectedCache.get(m);
  if (!byVersion) expectedCache.set(m, (byVersion = new Map()));
  const cached = byVersion.get(version);
  if (cached) return cached;
  const mem = new Database(':memory:');
  try {
    migrate(mem, { label: m.label, list: m.list.slice(0, version) });
    const objects = Object.freeze(schemaObjects(mem));
    byVersion.set(version, objects);
    return objects;
  } finally {
    mem.close();
  }
}

/** What differs between the objects a file holds and the ones expected (unexpected, missing, altered). */
export function schemaDifferences(
  actual: readonly SchemaObject[],
  expected: readonly SchemaObject[],
): SchemaDifference[] {
  const key = (o: SchemaObject) => `${o.type}\u0000${o.name}`;
  const want = new Map(expected.map((o) => [key(o), o]));
  const have = new Map(actual.map((o) => [key(o), o]));
  const out: SchemaDifference[] = [];
  for (const o of expected) if (!have.has(key(o))) out.push({ change: 'missing', object: o });
  for (const o of actual) {
    const w = want.get(key(o));
    if (!w) out.push({ change: 'unexpected', object: o });
    else if (
      w.table !== o.table ||
      (w.sql === null) !== (o.sql === null) ||
      (w.sql !== null && o.sql !== null && normaliseSql(w.sql) !== normaliseSql(o.sql))
    )
      out.push({ change: 'altered', object: o, expected: w });
  }
  return out;
}
