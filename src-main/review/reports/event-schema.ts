/**
 * The part of a FHIR R4 AuditEvent the reports read, as zod schemas. Elements the reports do not use are allowed
 * and dropped (zod's default strip mode), so events with more in them (a FHIR server's `meta`, say) still parse;
 * the elements they do use must have the shape src-main/audit/events/build.ts writes.
 */
import { z } from 'zod';
import { issuesText } from '../../../src-shared/validation/issues';

const Coding = z.object({ system: z.string(), code: z.string() });
const Concept = z.object({ coding: z.array(Coding).optional() });
const Identifier = z.object({ system: z.string(), value: z.string() });
const Reference = z.object({ identifier: Identifier.optional() });

// FHIR instant: date, time to the second (fraction allowed), and a zone; each part in range except the day of the
// month, which is checked against the month (Date.parse alone takes 30 February as 2 March).
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;
const realDays = new Map<string, boolean>();

function realInstant(text: string): boolean {
  if (!INSTANT.test(text)) return false;
  const date = text.slice(0, 10);
  let real = realDays.get(date);
  if (real === undefined) {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    real = d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
    if (realDays.size > 100_000) realDays.clear();
    realDays.set(date, real);
  }
  return real;
}

const AuditEventShape = z.object({
  resourceType: z.literal('AuditEvent'),
  id: z.string().min(1),
  type: Coding,
  subtype: z.array(Coding).optional(),
  recorded: z.string().refine(realInstant, 'expected a FHIR instant such as 2026-11-24T10:15:30Z'),
  outcome: z.enum(['0', '4', '8', '12']),
  purposeOfEvent: z.array(Concept).optional(),
  agent: z
    .array(
      z.object({
        type: Concept.optional(),
        role: z.array(Concept).optional(),
        who: Reference.optional(),
        requestor: z.boolean(),
      }),
    )
    .min(1),
  source: z.object({ site: z.string().optional() }),
  entity: z
    .array(
      z.object({
        what: Reference.optional(),
        role: Coding.optional(),
        detail: z.array(z.object({ type: z.string(), valueString: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});
/**
 * Compiled ahead of time (zod's z.compile): every line of a 20,000-event file goes through it. Valid input takes
 * the generated fast path; invalid input falls back to the ordinary parser, so the errors are zod's usual ones.
 */
export const AuditEventInput = z.compile(AuditEventShape);
export type AuditEventInput = z.infer<typeof AuditEventShape>;

/** A FHIR Bundle of AuditEvents: each entry's resource is checked on its own, so errors can name the entry. */
export const BundleInput = z.object({
  resourceType: z.literal('Bundle'),
  link: z.array(z.object({ relation: z.string() })).optional(),
  entry: z.array(z.object({ resource: z.unknown().optional() })).optional(),
});

/** The first problem zod found, as one line without the value that was found. */
export function firstIssue(error: z.ZodError): string {
  return issuesText(error, { max: 1, whole: 'the event' });
}
