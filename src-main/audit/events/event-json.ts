/**
 * The canonical JSON of an entry's AuditEvent, as stored, hashed and shipped: canonicalJson(buildAuditEvent(...)).
 *
 * Record reads (one per data view, the bulk of every log) take a faster road to the same bytes. Within one session
 * their events differ only in id, recorded time and the sections released, so the canonical text is made once per
 * actor, patient, record and purpose by those same two functions, with unique markers standing in for the three
 * varying strings, and cut at the markers; each event is then the template's pieces with the JSON.stringify'd
 * values between them (canonicalJson writes every string with JSON.stringify, so the bytes are identical). A
 * template whose text does not hold each marker exactly once (say a display name that contains one) is never
 * used: those events take the ordinary road.
 */
import type { AuditEntry } from '../types';
import { buildAuditEvent, type BuildContext } from './build';
import { canonicalJson } from './canonical';

type ReadEntry = Extract<AuditEntry, { kind: 'record-read' }>;

/** The varying values, in the order of `Template.fields`. */
type Field = 'id' | 'recorded' | 'sections';

interface Template {
  /** Text around the values: pieces[0] field[0] pieces[1] field[1] pieces[2] field[2] pieces[3]. */
  pieces: readonly string[];
  fields: readonly Field[];
}

// U+0000 never occurs in identifiers or times we produce; the markers only need to be unlikely, not impossible,
// because a template is checked before use.
const MARKERS: Record<Field, string> = {
  id: '\u0000stethoscope-id\u0000',
  recorded: '\u0000stethoscope-recorded\u0000',
  sections: '\u0000stethoscope-sections\u0000',
};

const TEMPLATE_LIMIT = 64;
const templates = new Map<string, Template | null>();

/**
 * Everything of the entry the event is built from except the sections, plus the machine name: every own field of
 * the entry, the actor and the patient (so a field added later is part of the key without anyone remembering to
 * add it here), length-prefixed so no two different entries make the same key. null (no template) when a value
 * is not a string.
 */
function keyOf(entry: ReadEntry, machineName: string): string | null {
  let key = `${machineName.length}:${machineName}|`;
  const record = entry as unknown as Record<string, unknown>;
  for (const k of Object.keys(record).sort()) {
    if (k === 'sections') continue;
    const v = record[k];
    if (v === undefined) continue;
    key += `${k.length}:${k}`;
    if (typeof v === 'string') {
      key += `=${v.length}:${v}|`;
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = v as Record<string, unknown>;
      key += '{';
      for (const k2 of Object.keys(inner).sort()) {
        const v2 = inner[k2];
        if (v2 === undefined) continue;
        if (typeof v2 !== 'string') return null;
        key += `${k2.length}:${k2}=${v2.length}:${v2}|`;
      }
      key += '}';
    } else {
      return null;
    }
  }
  return key;
}

function makeTemplate(entry: ReadEntry, machineName: string): Template | null {
  const text = canonicalJson(
    buildAuditEvent(
      { ...entry, sections: [MARKERS.sections] },
      { uuid: MARKERS.id, recorded: MARKERS.recorded, machineName },
    ),
  );
  const found: { field: Field; at: number; length: number }[] = [];
  for (const field of Object.keys(MARKERS) as Field[]) {
    const marker = JSON.stringify(MARKERS[field]);
    const at = text.indexOf(marker);
    if (at === -1 || text.indexOf(marker, at + 1) !== -1) return null;
    found.push({ field, at, length: marker.length });
  }
  found.sort((x, y) => x.at - y.at);
  const pieces: string[] = [];
  let from = 0;
  for (const f of found) {
    if (f.at < from) return null; // markers overlap: cannot happen with distinct markers, but never guess
    pieces.push(text.slice(from, f.at));
    from = f.at + f.length;
  }
  pieces.push(text.slice(from));
  return { pieces, fields: found.map((f) => f.field) };
}

function templateFor(entry: ReadEntry, machineName: string): Template | null {
  const key = keyOf(entry, machineName);
  if (key === null) return null;
  let t = templates.get(key);
  if (t === undefined) {
    if (templates.size >= TEMPLATE_LIMIT) templates.clear();
    t = makeTemplate(entry, machineName);
    templates.set(key, t);
  }
  return t;
}

/** canonicalJson(buildAuditEvent(entry, ctx)), with record reads filled into a memoised template. */
export function auditEventJson(entry: AuditEntry, ctx: BuildContext): string {
  if (entry.kind !== 'record-read') return canonicalJson(buildAuditEvent(entry, ctx));
  const t = templateFor(entry, ctx.machineName);
  if (!t) return canonicalJson(buildAuditEvent(entry, ctx));
  const values: Record<Field, string> = {
    id: ctx.uuid,
    recorded: ctx.recorded,
    sections: entry.sections.join(','),
  };
  let out = t.pieces[0] ?? '';
  for (let i = 0; i < t.fields.length; i++) {
    out += JSON.stringify(values[t.fields[i] as Field]) + (t.pieces[i + 1] ?? '');
  }
  return out;
}
