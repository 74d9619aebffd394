/**
 * Reads the few fields of a queued AuditEvent that shipping needs (id, type code, outcome) with explicit checks:
 * the JSON comes from our own log, but a damaged row must become a clear per-event error, not a crash.
 */

export interface AuditEventFields {
  /** The parsed resource, for transports that send it on. */
  resource: Record<string, unknown>;
  id: string | null;
  typeCode: string | null;
  /** FHIR R4 AuditEvent.outcome: '0' | '4' | '8' | '12'. */
  outcome: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws an Error naming the problem when the text is not a JSON AuditEvent. */
export function readAuditEventFields(json: string): AuditEventFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`queued event is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(parsed) || parsed['resourceType'] !== 'AuditEvent') {
    throw new Error('queued event is not a FHIR AuditEvent');
  }
  const id = typeof parsed['id'] === 'string' ? parsed['id'] : null;
  const type = parsed['type'];
  const typeCode = isRecord(type) && typeof type['code'] === 'string' ? type['code'] : null;
  const outcome = typeof parsed['outcome'] === 'string' ? parsed['outcome'] : null;
  return { resource: parsed, id, typeCode, outcome };
}

export interface HeaderFields {
  typeCode: string | null;
  outcome: string | null;
}

const OUTCOME_KEY = '"outcome":"';
const TYPE_KEY = '"type":{';
const CODE_KEY = '"code":"';

/**
 * The type code and outcome without parsing the whole event, for the syslog header on the bulk path (parsing
 * 50,000 events of ~3 KB costs more than sending them). It relies on the log's canonical JSON (keys sorted at every
 * level, no whitespace): `type` is then the last top-level key and its Coding holds only strings, and `outcome` is
 * the only key of that name. Inside a JSON string every quote is escaped, so these key patterns cannot match string
 * content. When the text does not have that shape it falls back to a full parse; a broken event still throws.
 */
export function readHeaderFields(json: string): HeaderFields {
  return readHeaderFieldsFromBytes(Buffer.from(json, 'utf8'));
}

// The same patterns as bytes, encoded once (a string needle would be encoded on every search).
const OUTCOME_KEY_BYTES = Buffer.from(OUTCOME_KEY, 'latin1');
const TYPE_KEY_BYTES = Buffer.from(TYPE_KEY, 'latin1');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;

/**
 * The reader itself, on the event's UTF-8 bytes as the outbox hands them over (readHeaderFields encodes text first):
 * the key patterns are ASCII, so byte positions find exactly what character positions would, and only the short
 * tail after `"type":{` and the outcome value are decoded. Anything else falls back to a full parse of the text.
 */
export function readHeaderFieldsFromBytes(json: Buffer): HeaderFields {
  const n = json.length;
  const o = json.indexOf(OUTCOME_KEY_BYTES);
  const t = json.lastIndexOf(TYPE_KEY_BYTES);
  const oneOutcome = o !== -1 && json.indexOf(OUTCOME_KEY_BYTES, o + 1) === -1;
  const shaped =
    n >= 4 &&
    json[0] === OPEN_BRACE &&
    json[1] === QUOTE &&
    json[n - 2] === CLOSE_BRACE &&
    json[n - 1] === CLOSE_BRACE;
  if (oneOutcome && t !== -1 && shaped) {
    const typeBody = json.toString('utf8', t + TYPE_KEY.length, n - 2);
    const c = typeBody.indexOf(CODE_KEY);
    if (!/[{}[\]]/.test(typeBody) && c !== -1) {
      const codeEnd = typeBody.indexOf('"', c + CODE_KEY.length);
      const outcomeEnd = json.indexOf(QUOTE, o + OUTCOME_KEY.length);
      if (codeEnd !== -1 && outcomeEnd !== -1) {
        return {
          typeCode: typeBody.slice(c + CODE_KEY.length, codeEnd),
          outcome: json.toString('utf8', o + OUTCOME_KEY.length, outcomeEnd),
        };
      }
    }
  }
  const f = readAuditEventFields(json.toString('utf8'));
  return { typeCode: f.typeCode, outcome: f.outcome };
}
