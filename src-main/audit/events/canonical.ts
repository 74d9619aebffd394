/**
 * Canonical JSON: the one byte form of an event that is hashed, stored and shipped.
 * Keys sorted by UTF-16 code units at every level, no whitespace, strings and numbers as ECMAScript's
 * JSON.stringify writes them (the RFC 8785 rules for the values we produce), so re-canonicalising a parsed event
 * gives the same bytes. Anything JSON cannot represent faithfully is refused rather than silently changed.
 */

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

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

/** Quoted keys, memoised: the same few dozen FHIR element names occur in every event. */
const quotedKeys = new Map<string, string>();
function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = `${JSON.stringify(k)}:`;
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

/**
 * Canonical text of deeply frozen objects (shared constants such as codings, and the memoised agent parts),
 * computed once. An object qualifies when it is frozen and every object or array inside it qualified too.
 */
const frozenText = new WeakMap<object, string>();

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
    let frozenArray = Object.isFrozen(value);
    if (frozenArray) {
      const text = frozenText.get(value);
      if (text !== undefined) {
        out.push(text);
        return;
      }
    }
    const arrayStart = out.length;
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
      if (frozenArray && typeof item === 'object' && item !== null && !frozenText.has(item))
        frozenArray = false;
    }
    out.push(']');
    if (frozenArray) frozenText.set(value, out.slice(arrayStart).join(''));
    return;
  }
  // A deeply frozen object can never change, so its text is reused (see `codes` and the memoised agents).
  let frozen = Object.isFrozen(value);
  if (frozen) {
    const text = frozenText.get(value);
    if (text !== undefined) {
      out.push(text);
      return;
    }
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null)
    throw new Refusal('only plain objects have a canonical form');
  const startAt = out.length;
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
    out.push(quoteKey(k));
    try {
      write(v, out);
    } catch (e) {
      if (e instanceof Refusal) e.path.unshift(`.${k}`);
      throw e;
    }
    // Children were written first, so a deeply frozen child is in the cache by now.
    if (frozen && typeof v === 'object' && v !== null && !frozenText.has(v)) frozen = false;
  }
  out.push('}');
  if (frozen) frozenText.set(value, out.slice(startAt).join(''));
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
