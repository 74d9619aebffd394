/** The record view main releases: main says which SCR sections are core, and sends them first. */
import { describe, expect, it } from 'vitest';
import { filterMig, filterScr } from '../../../src-main/policy/filter';
import { buildView, MIG_TITLES, SCR_TITLES } from '../../../src-main/records/view/render';
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
