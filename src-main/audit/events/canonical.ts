/**
 * Canonical JSON: the one byte form of an event that is hashed, stored and shipped.
 * Keys sorted by UTF-16 code units at every level, no whitespace, strings and numbers as ECMAScript's
 * JSON.stringify writes them (the RFC 8785 rules for the values we produce), so re-canonicalising a parsed event
 * gives the same bytes. Anything JSON cannot represent faithfully is refused rather than silently changed.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

class Refusal extends Error {
  constructor(
    readonly what: string,
    readonly path: string[] = [],
  ) {
    super(what);
  }
}

// No path is built while walking (this runs on every event written and verified); a refusal collects it on the
// way out instead.
function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal(`${value} has no JSON form`);
      // -0 would round-trip as 0; write it as 0 so the bytes are stable.
      out.push(Object.is(value, -0) ? '0' : JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new Refusal(`a ${typeof value} has no JSON form`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) throw new Refusal('undefined in an array', [`[${i}]`]);
      if (i > 0) out.push(',');
      try {
        write(item, out);
      } catch (e) {
        if (e instanceof Refusal) e.path.unshift(`[${i}]`);
        throw e;
      }
    }
    out.push(']');
    return;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new Refusal('only plain objects have a canonical form');
  const record = value as Record<string, unknown>;
  // Absent optional fields (undefined) are left out, as JSON.stringify does, so builders may spread optionals.
  const keys = Object.keys(record).sort();
  out.push('{');
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(k), ':');
    try {
      write(v, out);
    } catch (e) {
      if (e instanceof Refusal) e.path.unshift(`.${k}`);
      throw e;
    }
  }
  out.push('}');
}

/** The canonical JSON text of a value. Throws CanonicalJsonError for values JSON cannot carry. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  try {
    write(value, out);
  } catch (e) {
    if (e instanceof Refusal) throw new CanonicalJsonError(`$${e.path.join('')}: ${e.what}`);
    throw e;
  }
  return out.join('');
}

/** true when `text` is already in canonical form (parses, and re-canonicalises to the same text). */
export function isCanonicalJson(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}
