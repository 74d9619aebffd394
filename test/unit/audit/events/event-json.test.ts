/**
 * auditEventJson gives exactly canonicalJson(buildAuditEvent(...)) for every entry: record reads through the
 * memoised template (checked over random actors, patients, sections, ids and times, markers included), every
 * other kind through the ordinary road.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import { canonicalJson } from '../../../../src-main/audit/events/canonical';
import { auditEventJson } from '../../../../src-main/audit/events/event-json';
import type { AuditEntry } from '../../../../src-main/audit/types';
import { allEntries } from '../../../support/audit-log/fixtures';

const slow = (entry: AuditEntry, ctx: Parameters<typeof buildAuditEvent>[1]) =>
  canonicalJson(buildAuditEvent(entry, ctx));

// Strings that stress the template: JSON escapes, non-BMP and lone surrogates, and the markers themselves.
const tricky = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\u0000stethoscope-id\u0000',
    '\u0000stethoscope-recorded\u0000',
    '\u0000stethoscope-sections\u0000',
    '"\\u0000stethoscope-id\\u0000"',
    'Zoë — ☃ 𝄞',
  ),
);
const optional = fc.option(tricky, { nil: undefined });

const readEntry = fc.record({
  kind: fc.constant('record-read' as const),
  actor: fc.record(
    {
      userId: optional,
      displayName: optional,
      urid: optional,
      roleCode: optional,
      orgCode: optional,
      workstationId: tricky,
    },
    { requiredKeys: ['workstationId'] },
  ),
  patient: fc.record({ nhsNumber: tricky }),
  record: fc.constantFrom('scr-core' as const, 'scr-additional' as const, 'mig' as const),
  sections: fc.array(tricky, { maxLength: 4 }),
  purpose: fc.constantFrom('TREAT' as const, 'ETREAT' as const),
});
const context = fc.record({ uuid: tricky, recorded: tricky, machineName: tricky });

describe('auditEventJson', () => {
  it('matches canonicalJson(buildAuditEvent()) for random record reads, repeated so templates are reused', () => {
    fc.assert(
      fc.property(
        readEntry,
        context,
        fc.array(fc.tuple(fc.array(tricky), context), { maxLength: 3 }),
        (e, c, more) => {
          expect(auditEventJson(e, c)).toBe(slow(e, c));
          // The same actor, patient and record again (the template's case), with new sections, ids and times.
          for (const [sections, c2] of more) {
            const again = { ...e, sections };
            const ctx2 = { ...c2, machineName: c.machineName };
            expect(auditEventJson(again, ctx2)).toBe(slow(again, ctx2));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('matches for every other kind of entry', () => {
    const ctx = { uuid: 'u-1', recorded: '2026-11-24T10:00:00.000Z', machineName: 'ws' };
    for (const e of allEntries) expect(auditEventJson(e, ctx)).toBe(slow(e, ctx));
  });

  it('follows a changed actor object (the template is looked up by content)', () => {
    const ctx = { uuid: 'u-2', recorded: '2026-11-24T10:00:00.000Z', machineName: 'ws' };
    const actor = { workstationId: 'WS-1', userId: '1', displayName: 'Dr One' };
    const e: AuditEntry = {
      kind: 'record-read',
      actor,
      patient: { nhsNumber: '9990000018' },
      record: 'mig',
      sections: ['a'],
      purpose: 'TREAT',
    };
    expect(auditEventJson(e, ctx)).toBe(slow(e, ctx));
    actor.displayName = 'Dr Two';
    expect(auditEventJson(e, ctx)).toContain('Dr Two');
    expect(auditEventJson(e, ctx)).toBe(slow(e, ctx));
  });
});
