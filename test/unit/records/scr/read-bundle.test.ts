/**
 * SCR API searchset bundle -> ScrDocument: a good bundle (order, titles, flags, date, practice, coded entries
 * with their labels) and what is refused, each with the words it is refused in.
 */
import { describe, expect, it } from 'vitest';
import { ScrView } from '../../../../src-shared/domain/scr-view';
import { RecordShapeError, type ShapeProblem } from '../../../../src-main/records/remote-shape';
import {
  readScrBundle,
  scrDocumentFromBundle,
  SCR_BUNDLE_MAX_BYTES,
} from '../../../../src-main/records/scr/read-bundle';
import {
  defaultSections,
  NHS,
  scrBundle,
  scrTable,
  TITLE_DIV,
  xhtml,
} from '../../../support/records/scr-fixtures';

function refusal(read: () => unknown): { problem: ShapeProblem; message: string } {
  try {
    read();
  } catch (err) {
    if (err instanceof RecordShapeError) return { problem: err.problem, message: err.message };
    throw err;
  }
  throw new Error('expected a RecordShapeError, but the bundle was read');
}

type Json = Record<string, unknown>;
const entries = (b: Json) => b['entry'] as { resource: Json; fullUrl?: string }[];

describe('SCR bundle reader: a good bundle', () => {
  const doc = scrDocumentFromBundle(scrBundle(), { nhsNumber: NHS.ffion });

  it('gives a view the shared schema accepts as it is', () => {
    expect(ScrView.parse(doc.view)).toStrictEqual(doc.view);
  });

  it('orders sections core first (table order), then Additional Information, then unknown codes', () => {
    expect(doc.view.sections.map((s) => [s.key, s.code, s.core])).toEqual([
      ['allergies', 'AllergiesHeader', true],
      ['medications-acute', 'AcuteMedsHeader', true],
      ['medications-repeat', 'RepeatMedsHeader', true],
      ['medications-discontinued', 'DiscRepeatMedsHeader', true],
      ['problems', 'ProblemsHeader', false],
      ['additional-1', 'RisksToPatientHeader', false],
    ]);
  });

  it("keeps each section's own title as text, its withheld flag and its narrative blocks", () => {
    const problems = doc.view.sections.find((s) => s.key === 'problems')!;
    expect(problems.title).toBe('Problems and Issues');
    expect(problems.withheld).toBe(true);
    expect(doc.view.sections.filter((s) => s.withheld).map((s) => s.key)).toEqual(['problems']);
    const allergies = doc.view.sections[0]!;
    expect(allergies.narrative.blocks[0]).toMatchObject({
      type: 'table',
      body: [
        [
          { text: '12-May-2025' },
          { text: 'Penicillin allergy & rash' },
          { text: '' },
          { text: '' },
          { text: 'Problem; First' },
        ],
      ],
    });
    expect(doc.view.sections.find((s) => s.key === 'additional-1')!.title).toBe('Risks to Patient');
  });

  it('gives the summary its date, source practice (author organisation) and Title notes', () => {
    expect(doc.view.title).toBe('General Practice Summary');
    expect(doc.view.lastUpdated).toBe('2026-03-02T09:15:00+00:00');
    expect(doc.view.sourcePractice).toEqual({ name: 'Hollins Lane Surgery', odsCode: 'Y90001' });
    expect(doc.view.summary?.blocks[0]).toEqual({
      type: 'heading',
      text: "Sourced from the patient's General Practice record (synthetic test data).",
    });
    expect(doc.view.sections.some((s) => s.code === 'Title')).toBe(false);
  });

  it('keeps the coded entries with their meta.security and the section that lists them', () => {
    expect(doc.nhsNumber).toBe(NHS.ffion);
    expect(doc.compositionId).toBe('comp-0001');
    expect(doc.entries.map((e) => [e.resourceType, e.id, e.section, e.text, e.status, e.date])).toEqual([
      ['Condition', 'cond-asthma', 'problems', 'Asthma', 'active', '2025-01-11'],
      ['Condition', 'cond-sti', 'problems', 'Chlamydial infection', 'resolved', '2024-02-03'],
      ['Observation', 'obs-peak-flow', null, 'Peak flow rate', 'final', '2026-01-05T10:00:00+00:00'],
    ]);
    expect(doc.entries[1]!.security).toEqual([
      { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'STD' },
    ]);
  });

  it('reads bytes as well as parsed JSON, with the same result', () => {
    expect(readScrBundle(new TextEncoder().encode(JSON.stringify(scrBundle())))).toEqual(doc);
  });

  it('without an author organisation, takes the source practice from the Title narrative', () => {
    const d = scrDocumentFromBundle(scrBundle({ authors: ['Practitioner/prac-0001'] }));
    expect(d.view.sourcePractice).toEqual({ name: 'Hollins Lane Surgery, 4 Mill Row, Exampleton, XX1 1XX.' });
  });

  it('without a Composition date, uses meta.lastUpdated; without a Title section, no summary', () => {
    const sections = defaultSections().filter((s) => s.code !== 'Title');
    const d = scrDocumentFromBundle(scrBundle({ sections, composition: { date: undefined }, authors: [] }));
    expect(d.view.lastUpdated).toBe('2026-03-02T09:20:00+00:00');
    expect(d.view.summary).toBeNull();
    expect(d.view.sourcePractice).toBeNull();
  });

  it('a repeated code gets its own key; a missing title falls back to ours; unknown codes keep the order sent', () => {
    const d = scrDocumentFromBundle(
      scrBundle({
        sections: [
          { code: 'ZetaHeader', title: 'Zeta', div: xhtml('<p>z</p>') },
          { code: 'AllergiesHeader', div: scrTable('A', ['Date'], [['1 Jan']]) },
          { code: 'AlphaHeader', title: '  Alpha\n notes ', div: xhtml('<p>a</p>') },
          { code: 'AllergiesHeader', title: 'More allergies', div: xhtml('<p>b</p>') },
          { title: 'No code at all', div: xhtml('<p>c</p>') },
        ],
      }),
    );
    expect(d.view.sections.map((s) => [s.key, s.title])).toEqual([
      ['allergies', 'Allergies and adverse reactions'],
      ['allergies-2', 'More allergies'],
      ['additional-1', 'Zeta'],
      ['additional-2', 'Alpha notes'],
      ['additional-3', 'No code at all'],
    ]);
  });

  it('limits the narrative of each section, saying which were cut short', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [`row ${i}`]);
    const d = scrDocumentFromBundle(
      scrBundle({ sections: [{ code: 'AllergiesHeader', title: 'A', div: scrTable('A', ['Item'], rows) }] }),
      { narrativeLimits: { maxCells: 20 } },
    );
    expect(d.view.sections[0]!.narrative.truncated).toBe('cells');
  });
});

describe('SCR bundle reader: refusals', () => {
  it('a resource that is not a Bundle', () => {
    expect(refusal(() => scrDocumentFromBundle({ resourceType: 'Patient', id: 'x' }))).toEqual({
      problem: 'wrong-type',
      message: 'not an SCR searchset bundle: it is a Patient resource',
    });
    expect(refusal(() => scrDocumentFromBundle([1, 2])).message).toBe(
      'not an SCR searchset bundle: it is a JSON list, not a FHIR resource',
    );
    expect(refusal(() => scrDocumentFromBundle('text')).message).toBe(
      'not an SCR searchset bundle: it is not a FHIR resource',
    );
  });

  it('a Bundle of another type', () => {
    expect(refusal(() => scrDocumentFromBundle({ ...scrBundle(), type: 'document' }))).toEqual({
      problem: 'wrong-type',
      message: 'not an SCR searchset bundle: it is a Bundle of type "document"',
    });
  });

  it('a searchset without a Composition (an empty result) is "no record"', () => {
    const empty = { resourceType: 'Bundle', type: 'searchset', total: 0 };
    expect(refusal(() => scrDocumentFromBundle(empty))).toEqual({
      problem: 'no-record',
      message: 'the SCR bundle holds no Composition, so no Summary Care Record',
    });
    const b = scrBundle();
    const noComposition = {
      ...b,
      entry: entries(b).filter((e) => e.resource['resourceType'] !== 'Composition'),
    };
    expect(refusal(() => scrDocumentFromBundle(noComposition)).problem).toBe('no-record');
  });

  it('two Compositions', () => {
    const b = scrBundle();
    const twice = {
      ...b,
      entry: [...entries(b), { resource: { ...entries(b)[0]!.resource, id: 'comp-0002' } }],
    };
    expect(refusal(() => scrDocumentFromBundle(twice))).toEqual({
      problem: 'invalid',
      message: 'the SCR bundle holds 2 Compositions; an SCR has one',
    });
  });

  it('a Composition that is not a General Practice Summary', () => {
    const other = scrBundle({
      composition: { type: { coding: [{ system: 'http://snomed.info/sct', code: '371530004' }] } },
    });
    expect(refusal(() => scrDocumentFromBundle(other))).toEqual({
      problem: 'wrong-type',
      message: 'not an SCR: its Composition is not a General Practice Summary (SNOMED CT 196981000000101)',
    });
  });

  it('a Composition missing a field, or with a narrative that is not text, names the place', () => {
    expect(refusal(() => scrDocumentFromBundle(scrBundle({ composition: { title: undefined } })))).toEqual({
      problem: 'invalid',
      message: 'the SCR bundle is not in the expected form: entry[0].resource.title is missing',
    });
    const bad = scrBundle();
    (entries(bad)[0]!.resource['section'] as Json[])[1]!['text'] = { div: 42 };
    expect(refusal(() => scrDocumentFromBundle(bad)).message).toBe(
      'the SCR bundle is not in the expected form: entry[0].resource.section[1].text.div should be text',
    );
    expect(
      refusal(() => scrDocumentFromBundle(scrBundle({ composition: { date: 'yesterday' } }))).message,
    ).toBe(
      'the SCR bundle is not in the expected form: entry[0].resource.date is not a FHIR date or dateTime',
    );
  });

  it('sub-sections, which an SCR does not use', () => {
    const b = scrBundle();
    (entries(b)[0]!.resource['section'] as Json[])[2]!['section'] = [
      { title: 'hidden', text: { div: xhtml('x') } },
    ];
    expect(refusal(() => scrDocumentFromBundle(b)).message).toBe(
      'the SCR bundle is not in the expected form: section 3 has sub-sections, which an SCR does not use',
    );
  });

  it('a subject that is not a Patient in the bundle, or a Patient without a valid NHS number', () => {
    expect(
      refusal(() =>
        scrDocumentFromBundle(scrBundle({ composition: { subject: { reference: 'Patient/nobody' } } })),
      ).message,
    ).toBe(
      "the SCR bundle is not in the expected form: the Composition's subject is not a Patient in the bundle",
    );
    expect(refusal(() => scrDocumentFromBundle(scrBundle({ nhsNumber: '9997000014' }))).message).toBe(
      'the SCR bundle is not in the expected form: its Patient has no valid NHS number',
    );
  });

  it('a bundle about another patient than the one asked for', () => {
    expect(refusal(() => scrDocumentFromBundle(scrBundle(), { nhsNumber: NHS.other }))).toEqual({
      problem: 'wrong-patient',
      message: 'the SCR bundle is about a different NHS number from the one asked for',
    });
  });

  it('a coded entry in the wrong form, including unreadable sensitivity labels (fail closed)', () => {
    const noCode = scrBundle();
    delete entries(noCode)[5]!.resource['code'];
    expect(refusal(() => scrDocumentFromBundle(noCode)).message).toBe(
      'the SCR bundle is not in the expected form: entry[5].resource.code is missing',
    );
    const badLabels = scrBundle();
    entries(badLabels)[6]!.resource['meta'] = { security: 'STD' };
    expect(refusal(() => scrDocumentFromBundle(badLabels)).message).toBe(
      'the SCR bundle is not in the expected form: entry[6].resource.meta.security should be a list',
    );
  });

  it('not JSON', () => {
    expect(refusal(() => readScrBundle('{"resourceType": "Bundle", '))).toEqual({
      problem: 'not-json',
      message: 'the SCR bundle is not valid JSON',
    });
  });

  it('oversized: over the cap it is refused before it is parsed', () => {
    const big = JSON.stringify(
      scrBundle({ extra: [{ resourceType: 'Basic', id: 'pad', note: 'x'.repeat(SCR_BUNDLE_MAX_BYTES) }] }),
    );
    const r = refusal(() => readScrBundle(big));
    expect(r.problem).toBe('too-large');
    expect(r.message).toMatch(/^the SCR bundle is over the 10 MB limit \(10\.\d\d MB\)$/);
    expect(refusal(() => readScrBundle(JSON.stringify(scrBundle()), { maxBytes: 1000 })).message).toMatch(
      /^the SCR bundle is over the 1000 bytes limit \([\d.]+ KB\)$/,
    );
  });

  it('5 MB of JSON nesting in a field nobody reads does not break the reader', () => {
    const depth = 2_500_000;
    const text = JSON.stringify(scrBundle({ extra: [{ resourceType: 'Basic', id: 'deep', x: 0 }] })).replace(
      '"x":0',
      `"x":${'['.repeat(depth)}${']'.repeat(depth)}`,
    );
    expect(text.length).toBeGreaterThan(5_000_000);
    expect(readScrBundle(text).view.sections).toHaveLength(6);
  });

  it('an unknown resource next to the Composition is left alone; sections stay text', () => {
    const d = scrDocumentFromBundle(
      scrBundle({
        sections: [{ code: 'Title', div: TITLE_DIV }],
        extra: [{ resourceType: 'Device', id: 'dev-1' }],
      }),
    );
    expect(d.view.sections).toEqual([]);
  });
});
