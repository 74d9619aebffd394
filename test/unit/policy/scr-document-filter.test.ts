/**
 * The workstation's own filter over the SCR as the SCR service sent it (defence in depth): Additional
 * Information only when asked for, a section listing a sensitive coded entry withheld whole unless the patient
 * included sensitive items, and a section the service marked incomplete counted as withheld.
 */
import { describe, expect, it } from 'vitest';
import { filterScrDocument } from '../../../src-main/policy/filter';
import { scrDocumentFromBundle } from '../../../src-main/records/scr/read-bundle';
import { NHS, scrBundle } from '../../support/records/scr-fixtures';

const doc = () => scrDocumentFromBundle(scrBundle(), { nhsNumber: NHS.ffion });
const prefs = (sensitive: 'excluded' | 'included') =>
  ({ scr: 'core-and-additional', sensitive, mig: 'share' }) as const;

describe('filterScrDocument', () => {
  it('withholds, whole, the section that lists a sensitive coded entry the patient did not include', () => {
    const d = doc();
    const stiSection = d.entries.find((e) => e.id === 'cond-sti')?.section;
    expect(stiSection).toBeTruthy();
    const out = filterScrDocument(d, prefs('excluded'), true);
    expect(out.sections.map((s) => s.key)).not.toContain(stiSection);
    expect(out.withheld).toBe(true);
    // Everything else still goes out, core first.
    expect(out.sections.length).toBe(d.view.sections.length - 1);
  });

  it('with sensitive items included, the section goes out', () => {
    const d = doc();
    const stiSection = d.entries.find((e) => e.id === 'cond-sti')?.section;
    const out = filterScrDocument(d, prefs('included'), true);
    expect(out.sections.map((s) => s.key)).toContain(stiSection);
  });

  it('without a request for Additional Information only core sections go out', () => {
    const out = filterScrDocument(doc(), prefs('included'), false);
    expect(out.sections.length).toBeGreaterThan(0);
    expect(out.sections.every((s) => s.core)).toBe(true);
  });

  it('a section the service marked as incomplete makes the view say something was withheld', () => {
    const d = doc();
    const marking = (i: number | null) => ({
      ...d,
      view: { ...d.view, sections: d.view.sections.map((s, j) => ({ ...s, withheld: j === i })) },
    });
    expect(filterScrDocument(marking(0), prefs('included'), true).withheld).toBe(true);
    expect(filterScrDocument(marking(null), prefs('included'), true).withheld).toBe(false);
  });
});
