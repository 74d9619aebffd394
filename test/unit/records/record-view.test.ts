/** The record view main releases: main says which SCR sections are core, and sends them first. */
import { describe, expect, it } from 'vitest';
import { filterMig, filterScr } from '../../../src-main/policy/filter';
import { buildView, MIG_TITLES, SCR_TITLES } from '../../../src-main/records/view/render';
import { scrWarnings } from '../../../src-main/records/view/warnings';
import { items, summary, testNhs } from '../../support/records/patients';

const nhs = testNhs(31);
const record = items(nhs, (b) => {
  b.immunisation('Influenza vaccine', '2025-10-01');
  b.problem('Asthma', '2010-01-01', false);
  b.allergy('Penicillin', 'Rash', 'medication', 'high', '2020-01-01');
  b.medication('Salbutamol inhaler', 'Two puffs when needed', '2024-01-01', 'active');
});
const prefs = { scr: 'core-and-additional', sensitive: 'excluded', mig: 'share' } as const;
const access = { basis: 'permission', expiresAt: '2026-12-01T18:00:00Z' } as const;

describe('record view', () => {
  it('marks the SCR core (medication, allergies) and puts it before Additional Information', () => {
    const view = buildView('scr', summary(nhs), access, filterScr(record, prefs, true), SCR_TITLES);
    const firstAi = view.sections.findIndex((s) => !s.core);
    expect(view.sections.slice(0, firstAi).map((s) => s.key)).toEqual(['medications', 'allergies']);
    expect(view.sections.slice(firstAi).every((s) => !s.core)).toBe(true);
    expect(view.sections.map((s) => s.key)).toContain('immunisations');
  });

  it('has no core sections in a MIG view', () => {
    const view = buildView('mig', summary(nhs), access, filterMig(record, prefs), MIG_TITLES);
    expect(view.sections.some((s) => s.core)).toBe(false);
  });
});

describe('record warnings', () => {
  const eol = items(nhs, (b) => {
    b.allergy('Penicillin', 'Anaphylaxis', 'medication', 'high', '2020-01-01');
    b.allergy('Latex', 'Rash', 'environment', 'low', '2020-01-01');
    b.carePlan('end-of-life', 'DNACPR decision in place', '2026-09-02');
  });

  it('names high-criticality allergies and end-of-life care information, not low-criticality allergies', () => {
    const view = buildView('scr', summary(nhs), access, filterScr(eol, prefs, true), SCR_TITLES);
    expect(view.warnings).toEqual([
      { kind: 'allergy', text: 'Penicillin: Anaphylaxis' },
      { kind: 'end-of-life', text: expect.stringContaining('DNACPR decision in place') },
    ]);
  });

  it('warns only of what the view releases: no end-of-life warning in a core-only SCR', () => {
    const view = buildView('scr', summary(nhs), access, filterScr(eol, prefs, false), SCR_TITLES);
    expect(view.warnings).toEqual([{ kind: 'allergy', text: 'Penicillin: Anaphylaxis' }]);
  });

  it('reads the SCR narrative tables: a High criticality row, and each end-of-life row', () => {
    const cell = (text: string, header = false) => ({ text, header });
    const table = (head: string[], rows: string[][]) => ({
      blocks: [
        {
          type: 'table' as const,
          head: [head.map((h) => cell(h, true))],
          body: rows.map((r) => r.map((t) => cell(t))),
        },
      ],
      truncated: null,
      omitted: [],
    });
    const section = (key: string, narrative: ReturnType<typeof table>) => ({
      key,
      code: key,
      title: key,
      core: key === 'allergies',
      withheld: false,
      narrative,
    });
    const warnings = scrWarnings([
      section(
        'allergies',
        table(
          ['Date', 'Description', 'Reaction', 'Criticality'],
          [
            ['30-Jun-2011', 'Ibuprofen', 'Bronchospasm', 'High'],
            ['09-Sep-2019', 'Elastoplast', 'Skin irritation', 'Low'],
          ],
        ),
      ),
      section(
        'end-of-life',
        table(['Date', 'Description'], [['02-Sep-2026', 'DNACPR decision in place (original at home)']]),
      ),
    ]);
    expect(warnings).toEqual([
      { kind: 'allergy', text: 'Ibuprofen: Bronchospasm' },
      { kind: 'end-of-life', text: 'DNACPR decision in place (original at home)' },
    ]);
  });
});
