/**
 * Reads AuditEvents as the workstation writes them: NDJSON (one event a line) or a FHIR Bundle of them
 * (entry[].resource), and a single event on its own. Anything that is not a usable AuditEvent refuses the whole
 * file with where it is (line or entry) and what is wrong: a report that quietly left events out would show
 * fewer accesses than were made, which is worse than no report (README.md, "Input").
 */
import { AuditEventInput, BundleInput, firstIssue } from './event-schema';
import { FactError, factsOf, type AuditFacts } from './facts';
import { ReportInputError } from './errors';

interface Seen {
  facts: AuditFacts;
  where: string;
}

const sameFacts = (a: AuditFacts, b: AuditFacts) =>
  (Object.keys(a) as (keyof AuditFacts)[]).every((k) => a[k] === b[k]);

/** Collects facts, counting an event delivered twice (same id, same facts) once. */
class Collector {
  private readonly byId = new Map<string, Seen>();
  readonly facts: AuditFacts[] = [];

  add(resource: unknown, where: string): void {
    const parsed = AuditEventInput.safeParse(resource);
    if (!parsed.success)
      throw new ReportInputError(`${where}: not an AuditEvent: ${firstIssue(parsed.error)}`);
    let facts: AuditFacts;
    try {
      facts = factsOf(parsed.data);
    } catch (err) {
      if (err instanceof FactError) throw new ReportInputError(`${where}: the ${err.message}`);
      throw err;
    }
    const earlier = this.byId.get(parsed.data.id);
    if (earlier) {
      // At-least-once delivery can store an event twice; two different events under one id is a broken file.
      if (sameFacts(earlier.facts, facts)) return;
      throw new ReportInputError(`${where}: the same event id as ${earlier.where} but a different event`);
    }
    this.byId.set(parsed.data.id, { facts, where });
    this.facts.push(facts);
  }
}

function fromBundle(bundle: unknown): AuditFacts[] {
  const parsed = BundleInput.safeParse(bundle);
  if (!parsed.success)
    throw new ReportInputError(`not a FHIR Bundle of AuditEvents: ${firstIssue(parsed.error)}`);
  if (parsed.data.link?.some((l) => l.relation === 'next'))
    throw new ReportInputError(
      'the Bundle is one page of a search (it has a "next" link): fetch every page and give them all',
    );
  const out = new Collector();
  (parsed.data.entry ?? []).forEach((e, i) => {
    const where = `Bundle entry ${i + 1} (entry[${i}])`;
    if (e.resource === undefined) throw new ReportInputError(`${where}: has no resource`);
    out.add(e.resource, where);
  });
  return out.facts;
}

function fromNdjson(text: string): AuditFacts[] {
  const out = new Collector();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // Blank lines (a trailing newline, a gap between two files put together) hold no event.
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ReportInputError(`line ${i + 1}: not JSON (each line must be one AuditEvent)`);
    }
    out.add(value, `line ${i + 1}`);
  }
  return out.facts;
}

/**
 * The facts of AuditEvents already parsed as JSON (the review screens' search results), with the same checks and
 * the same refusal of the whole set as a file: `where` names an event by its place (`event 3`).
 */
export function auditFactsOf(resources: readonly unknown[]): AuditFacts[] {
  const out = new Collector();
  resources.forEach((r, i) => out.add(r, `event ${i + 1}`));
  return out.facts;
}

/** The facts of every AuditEvent in the text (NDJSON, a Bundle, or one event); ReportInputError otherwise. */
export function readAuditEvents(text: string): AuditFacts[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = body.trimStart()[0];
  if (start === '{' || start === '[') {
    // A whole-text parse settles a Bundle, an array, or one pretty-printed event. On NDJSON of more than one
    // event it fails at the end of the first line, which costs little.
    let whole: unknown = undefined;
    try {
      whole = JSON.parse(body);
    } catch {
      // not one JSON value: NDJSON below
    }
    if (Array.isArray(whole))
      throw new ReportInputError('a JSON array: give NDJSON (one AuditEvent a line) or a FHIR Bundle');
    if (typeof whole === 'object' && whole !== null) {
      if ((whole as { resourceType?: unknown }).resourceType === 'Bundle') return fromBundle(whole);
      if (body.trim().includes('\n')) {
        const one = new Collector();
        one.add(whole, 'the event (one JSON object over several lines)');
        return one.facts;
      }
    }
  }
  return fromNdjson(body);
}
