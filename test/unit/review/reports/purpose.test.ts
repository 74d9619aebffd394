/**
 * Purpose of use: the listed codes pass; insurance and marketing are refused in the seed document's words however
 * they are written; anything else is refused with the list. And the audit entry of a run and of a refusal.
 */
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import { canonicalJson } from '../../../../src-main/audit/events/canonical';
import {
  decidePurpose,
  PURPOSE_CODES,
  purposeHelp,
  readAuditEvents,
  REFUSED_PURPOSES,
  reportRefusalEntry,
  reportRunEntry,
  type PurposeDecision,
} from '../../../../src-main/review/reports/index';
import { fhirR4Errors } from '../../../support/audit-log/fhir-validator';
import { actor } from '../../../support/review/events';

const INSURANCE =
  'Data will not be made available for the purposes of selling or administering any kind of insurance';
const MARKETING = 'Data will not be shared or used for marketing purposes';

type Refused = Extract<PurposeDecision, { ok: false }>;
const refused = (given: string): Refused => {
  const d = decidePurpose(given);
  if (d.ok) throw new Error(`${given} was accepted`);
  return d;
};

describe('purpose of use', () => {
  it('the refusals are the seed document’s words', () => {
    expect(REFUSED_PURPOSES).toEqual({ insurance: INSURANCE, marketing: MARKETING });
  });

  it.each(PURPOSE_CODES)('%s is accepted', (code) => {
    expect(decidePurpose(code)).toEqual({ ok: true, code });
  });

  it('the list is the documented one', () => {
    expect(PURPOSE_CODES).toEqual([
      'direct-care-audit',
      'ig-investigation',
      'service-evaluation',
      'research-approved',
      'statutory-reporting',
    ]);
  });

  it.each([
    'insurance',
    'Insurance',
    'INSURANCE',
    'health-insurance',
    'insurer-review',
    ' insurance ',
    'reinsurance',
  ])('%j is refused as insurance', (given) => {
    expect(refused(given)).toEqual({ ok: false, refused: 'insurance', given, reason: INSURANCE });
  });

  it.each(['marketing', 'Marketing', 'MARKETING', 'market-research', 'direct-marketing', 'telemarketing'])(
    '%j is refused as marketing',
    (given) => {
      expect(refused(given)).toEqual({ ok: false, refused: 'marketing', given, reason: MARKETING });
    },
  );

  it('a listed code dressed up with insurance or marketing is still refused', () => {
    expect(refused('service-evaluation-for-insurance').refused).toBe('insurance');
    expect(refused('research-approved marketing').refused).toBe('marketing');
  });

  it.each(['', 'research', 'Service-Evaluation', 'audit', 'service-evaluation '])(
    '%j is refused as unknown, with the list',
    (given) => {
      const d = refused(given);
      expect(d.refused).toBe('unknown');
      for (const code of PURPOSE_CODES) expect(d.reason).toContain(code);
      expect(d.reason).toContain('insurance and marketing are always refused');
    },
  );

  it('an unknown purpose is quoted short and safely', () => {
    const d = refused(`x${'y'.repeat(100)}\n`);
    expect(d.reason).not.toContain('\n');
    expect(d.reason).toContain('...');
  });

  it('the help lists every code and both refusals in full', () => {
    const help = purposeHelp('  ');
    for (const code of PURPOSE_CODES) expect(help).toContain(code);
    expect(help).toContain(INSURANCE);
    expect(help).toContain(MARKETING);
  });
});

describe('the audit entry of a report run', () => {
  const officer = actor({ roleCode: 'R0001' });
  const ctx = {
    uuid: '6a0e7d55-6f34-4b8e-9a55-3f0e9c1d2b10',
    recorded: '2026-11-24T10:15:30.123Z',
    machineName: 'po-ws',
  };
  const shipped = (entry: Parameters<typeof buildAuditEvent>[0]) =>
    JSON.parse(canonicalJson(buildAuditEvent(entry, ctx))) as object;

  it('a green report: purpose code, grouping and sizes; a valid R4 AuditEvent the reports read back', () => {
    const entry = reportRunEntry(officer, {
      report: 'green',
      purpose: 'service-evaluation',
      by: ['org', 'month'],
      events: 20_000,
      rows: 14,
    });
    expect(entry).toEqual({
      kind: 'report-run',
      actor: officer,
      report: 'green',
      purpose: { code: 'service-evaluation' },
      parameters: { by: 'org,month', events: '20000', rows: '14' },
    });
    const event = shipped(entry);
    expect(fhirR4Errors(event)).toEqual([]);
    expect(readAuditEvents(JSON.stringify(event))[0]).toMatchObject({
      type: 'report-run',
      purpose: 'service-evaluation',
      role: 'R0001',
      outcome: '0',
    });
  });

  it('an amber extract: its format', () => {
    const entry = reportRunEntry(officer, {
      report: 'amber',
      purpose: 'research-approved',
      format: 'ndjson',
      events: 3,
      rows: 3,
    });
    expect(entry.parameters).toEqual({ format: 'ndjson', events: '3', rows: '3' });
    expect(fhirR4Errors(shipped(entry))).toEqual([]);
  });

  it('a refusal for insurance or marketing: the code and the seed’s words, outcome 4', () => {
    for (const [given, words] of [
      ['insurance', INSURANCE],
      ['marketing', MARKETING],
    ] as const) {
      const entry = reportRefusalEntry(officer, 'amber', refused(given));
      expect(entry).toEqual({
        kind: 'report-run',
        actor: officer,
        report: 'amber',
        purpose: { code: given },
        parameters: {},
        refusal: words,
      });
      const event = shipped(entry);
      expect(fhirR4Errors(event)).toEqual([]);
      expect(event).toMatchObject({ outcome: '4', outcomeDesc: words });
      expect(readAuditEvents(JSON.stringify(event))[0]).toMatchObject({ type: 'report-run', purpose: given });
    }
  });

  it('a refusal of words that are not a code keeps them as text, never as a code', () => {
    const entry = reportRefusalEntry(officer, 'green', refused('Health Insurance quote'));
    expect(entry.purpose).toEqual({ text: 'Health Insurance quote' });
    expect(entry.refusal).toBe(INSURANCE);
    const unknown = reportRefusalEntry(officer, 'green', refused('curiosity'));
    expect(unknown.purpose).toEqual({ text: 'curiosity' });
    const event = shipped(unknown);
    expect(fhirR4Errors(event)).toEqual([]);
    expect(readAuditEvents(JSON.stringify(event))[0]?.purpose).toBeNull();
  });
});
