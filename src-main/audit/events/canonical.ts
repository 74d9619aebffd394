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

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} has no JSON form`);
      // -0 would round-trip as 0; write it as 0 so the bytes are stable.
      out.push(Object.is(value, -0) ? '0' : JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`${path}: a ${typeof value} has no JSON form`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (item === undefined) throw new CanonicalJsonError(`${path}[${i}]: undefined in an array`);
      if (i > 0) out.push(',');
      write(item, `${path}[${i}]`, out);
    });
    out.push(']');
    return;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`${path}: only plain objects have a canonical form`);
  }
  const record = value as Record<string, unknown>;
  // Absent optional fields (undefined) are left out, as JSON.stringify does, so builders may spread optionals.
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k), ':');
    write(record[k], `${path}.${k}`, out);
  });
  out.push('}');
}

/** The canonical JSON text of a value. Throws CanonicalJsonError for values JSON cannot carry. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '$', out);
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
