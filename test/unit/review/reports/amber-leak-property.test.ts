/**
 * Property: whatever people, patients, names, free texts, ids and times a log holds, none of them reaches an amber
 * extract (CSV or NDJSON) or a green report: each is searched for in every case and encoding we could think of
 * (as is, lower and upper case, JSON- and CSV-escaped, URL-encoded, base64, hex, Unicode normal forms, NHS numbers
 * spaced 3-3-4), and the output is scanned for anything that looks like an NHS number, a user id, a UUID or a time
 * of day. Every cell must also be in its column's allowed shape. The events are made by the workstation's own
 * builder from random AuditEntries of every kind.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditActor, AuditEntry } from '../../../../src-main/audit/types';
import {
  AMBER_COLUMNS,
  amberCsv,
  amberExtract,
  amberNdjson,
  EVENT_TYPES,
  GROUP_FIELDS,
  greenCsv,
  greenReport,
  PseudonymKey,
  readAuditEvents,
  type AmberColumn,
} from '../../../../src-main/review/reports/index';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import { testNhsNumber } from '../../../support/review/events';

/** A word that cannot turn up in the output by chance: 8+ random letters, then any few characters. */
const word = fc
  .tuple(fc.stringMatching(/^[A-Za-z]{8,12}$/), fc.string({ unit: 'grapheme', maxLength: 4 }))
  .map(([core, tail]) => ({ core, text: core + tail }));

/** Free text: words joined with the characters CSV and JSON treat specially. */
const freeText = fc
  .tuple(
    fc.array(word, { minLength: 1, maxLength: 4 }),
    fc.constantFrom(' ', ', ', '"', '\n', '\r\n', '; ', ' — '),
  )
  .map(([words, sep]) => ({ text: words.map((w) => w.text).join(sep), words: words.map((w) => w.core) }));

const nhsNumber = fc.integer({ min: 0, max: 999_999 }).map(testNhsNumber);
const userId = fc
  .tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([a, b]) => `${String(a).padStart(6, '0')}${String(b).padStart(6, '0')}`);
const odsCode = fc.stringMatching(/^[A-Z][A-Z0-9]{2,7}$/);
const roleCode = fc.constantFrom('R8000', 'R8001', 'R8003', 'R8008', 'R8010', 'R0001');
const when = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

interface Person {
  actor: AuditActor;
  secrets: string[];
}

const person: fc.Arbitrary<Person> = fc
  .record({
    userId,
    first: word,
    last: word,
    org: odsCode,
    role: roleCode,
    ws: word,
    n: fc.integer({ min: 1, max: 99 }),
  })
  .map(({ userId, first, last, org, role, ws, n }) => {
    const displayName = `Dr ${first.text} ${last.text}`;
    const urid = `${userId}-${String(n).padStart(2, '0')}`;
    const workstationId = `WS-${ws.text}`;
    return {
      actor: { userId, displayName, urid, roleCode: role, orgCode: org, workstationId },
      secrets: [userId, displayName, first.core, last.core, urid, workstationId, ws.core],
    };
  });

interface Case {
  entry: AuditEntry;
  /** Values that must not appear in any output. */
  secrets: string[];
  uuid: string;
  recorded: string;
  machineName: string;
}

const prefs = { scr: 'core', sensitive: 'excluded', mig: 'share' } as const;

const oneCase: fc.Arbitrary<Case> = fc
  .record({
    who: person,
    nhs: nhsNumber,
    text: freeText,
    other: freeText,
    sections: fc.array(word, { minLength: 1, maxLength: 3 }),
    machine: word,
    uuid: fc.uuid(),
    recorded: when,
    pick: fc.integer({ min: 0, max: 13 }),
    emergency: fc.constantFrom<4 | 5>(4, 5),
    legal: fc.constantFrom<1 | 2 | 3 | 6>(1, 2, 3, 6),
    lr: fc.constantFrom('treating-now', 'referred-informally', 'other'),
  })
  .map(({ who, nhs, text, other, sections, machine, uuid, recorded, pick, emergency, legal, lr }) => {
    const actor = who.actor;
    const patient = { nhsNumber: nhs };
    const entries: AuditEntry[] = [
      { kind: 'emergency-override', actor, patient, reasonCode: emergency, reasonText: text.text },
      { kind: 'legal-override', actor, patient, reasonCode: legal, reasonText: text.text },
      { kind: 'lr-self-claim', actor, patient, reason: lr, reasonText: text.text },
      {
        kind: 'record-read',
        actor,
        patient,
        record: 'scr-additional',
        sections: sections.map((s) => s.text),
        purpose: 'ETREAT',
      },
      { kind: 'ptv', actor, patient, decision: 'refused' },
      {
        kind: 'preference-changed',
        actor,
        patient,
        from: prefs,
        to: { ...prefs, sensitive: 'included' },
        patientStatement: text.text,
      },
      { kind: 'login', actor, outcome: 'success' },
      {
        kind: 'login-refused',
        actor: { workstationId: actor.workstationId, displayName: actor.displayName },
        reason: text.text,
        outcome: 'serious-failure',
      },
      { kind: 'logout', actor },
      { kind: 'session-locked', actor, reason: 'idle' },
      { kind: 'session-unlocked', actor },
      {
        kind: 'report-run',
        actor,
        report: 'amber',
        purpose: { text: text.text },
        parameters: { note: other.text },
        refusal: other.text,
      },
      { kind: 'delivery-failure', actor, transport: 'fhir', error: text.text },
      { kind: 'tamper-detected', actor, firstBadSeq: 7, detail: text.text },
    ];
    return {
      entry: entries[pick] as AuditEntry,
      secrets: [
        ...who.secrets,
        nhs,
        text.text,
        ...text.words,
        other.text,
        ...other.words,
        ...sections.flatMap((s) => [s.text, s.core]),
        machine.text,
        machine.core,
        uuid,
        recorded,
      ],
      uuid,
      recorded,
      machineName: machine.text,
    };
  });

/** Every spelling of a value we could think of. */
function spellings(value: string): string[] {
  const forms = new Set([
    value,
    value.toLowerCase(),
    value.toUpperCase(),
    JSON.stringify(value).slice(1, -1),
    value.replace(/"/g, '""'),
    encodeURIComponent(value),
    Buffer.from(value, 'utf8').toString('base64'),
    Buffer.from(value, 'utf8').toString('base64url'),
    Buffer.from(value, 'utf8').toString('hex'),
    value.normalize('NFC'),
    value.normalize('NFD'),
    value.normalize('NFKC'),
  ]);
  if (/^\d{10}$/.test(value)) {
    forms.add(`${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`);
    forms.add(`${value.slice(0, 3)}-${value.slice(3, 6)}-${value.slice(6)}`);
  }
  if (/^\d+$/.test(value)) forms.add(String(Number(value))); // leading zeros lost
  return [...forms].filter((f) => f.length >= 6);
}

const LOOKS_IDENTIFYING: [string, RegExp][] = [
  ['ten digits (an NHS number)', /\d{10}/],
  ['an NHS number spaced 3-3-4', /\d{3}[\s-]\d{3}[\s-]\d{4}/],
  ['twelve digits (a user id)', /\d{12}/],
  ['a UUID', /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/i],
  ['a time of day', /\d{2}:\d{2}/],
];

const CELL: Record<AmberColumn, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  type: new RegExp(`^(${EVENT_TYPES.join('|')})$`),
  outcome: /^(0|4|8|12)$/,
  org: /^([A-Z0-9]{3,8})?$/,
  role: /^(R\d{4})?$/,
  purpose: /^([A-Z]{2,20}|[a-z][a-z-]*)?$/,
  reason: /^([1-6]|[a-z][a-z0-9-]*)?$/,
  record: /^(scr-core|scr-additional|mig)?$/,
  patient_pseudonym: /^([cbdefghijklnrtuv]{64})?$/,
  user_pseudonym: /^([cbdefghijklnrtuv]{64})?$/,
};

function expectNothingLeaks(output: string, secrets: readonly string[]): void {
  const haystack = output.toLowerCase();
  for (const secret of secrets) {
    for (const form of spellings(secret)) {
      if (haystack.includes(form.toLowerCase()))
        throw new Error(`${JSON.stringify(form)} (from ${JSON.stringify(secret)}) reached the output`);
    }
  }
  for (const [what, pattern] of LOOKS_IDENTIFYING) {
    const m = pattern.exec(output);
    if (m) throw new Error(`something like ${what} reached the output: ${JSON.stringify(m[0])}`);
  }
}

const key = PseudonymKey.fromBytes(Buffer.from('a-32-byte-key-for-the-leak-property!', 'utf8'));

describe('nothing identifying reaches amber or green output', () => {
  it('for random logs of every event kind', () => {
    fc.assert(
      fc.property(fc.array(oneCase, { minLength: 1, maxLength: 25 }), (cases) => {
        const text = cases
          .map((c) =>
            JSON.stringify(
              buildAuditEvent(c.entry, { uuid: c.uuid, recorded: c.recorded, machineName: c.machineName }),
            ),
          )
          .join('\n');
        const secrets = cases.flatMap((c) => c.secrets);
        // The builder really put them there: the check below is not vacuous.
        for (const c of cases) expect(text).toContain(JSON.stringify(c.uuid));

        const facts = readAuditEvents(text);
        const rows = amberExtract(facts, key);
        const csv = amberCsv(rows);
        const nd = amberNdjson(rows);
        expectNothingLeaks(csv, secrets);
        expectNothingLeaks(nd, secrets);
        for (const by of [[...GROUP_FIELDS], ['org'], ['type', 'reason']] as const)
          expectNothingLeaks(greenCsv(greenReport(facts, by)), secrets);

        const cells = parse(csv, { columns: true }) as Record<AmberColumn, string>[];
        expect(cells).toHaveLength(cases.length);
        for (const row of cells) {
          expect(Object.keys(row)).toEqual([...AMBER_COLUMNS]);
          for (const c of AMBER_COLUMNS) expect(row[c]).toMatch(CELL[c]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the search itself finds a leak (it would fail if free text were kept)', () => {
    const c = fc.sample(oneCase, { numRuns: 1, seed: 42 })[0] as Case;
    const text = JSON.stringify(
      buildAuditEvent(c.entry, { uuid: c.uuid, recorded: c.recorded, machineName: c.machineName }),
    );
    // The raw event holds the secrets in one spelling or another: the same search must object to it.
    expect(() => expectNothingLeaks(text, c.secrets)).toThrow(/reached the output/);
    expect(() => expectNothingLeaks('x,9990000018,y', [])).toThrow(/NHS number/);
    expect(() => expectNothingLeaks('Ab,DR ADA TESTWELL', ['Dr Ada Testwell'])).toThrow(/reached/);
    expect(() => expectNothingLeaks('RHIgQWRh', ['Dr Ada'])).toThrow(/reached/);
  });
});
