/**
 * The parts of the synthetic records the sandbox derives: medication kinds, quantities and last issues, PDS match
 * scores and Soundex, and the SCR section table both sides read.
 */
import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { SCR_SECTIONS, scrSection, scrSectionByCode } from '../../../src-main/records/scr/sections';
import {
  lastIssued,
  medicationKind,
  medicationQuantity,
} from '../../../src-main/sandbox/population/medication';
import { matchScore, soundex, type Criteria } from '../../../src-main/sandbox/services/pds/match';

describe('medication as the GP summary lists it', () => {
  it('is discontinued when stopped, acute when started in the four weeks before the reference date, else repeat', () => {
    expect(medicationKind('completed', '2026-10-30')).toBe('medications-discontinued');
    expect(medicationKind('stopped', '2010-01-01')).toBe('medications-discontinued');
    expect(medicationKind('active', '2026-10-24')).toBe('medications-acute');
    expect(medicationKind('active', '2026-10-03')).toBe('medications-repeat');
    expect(medicationKind('active', undefined)).toBe('medications-repeat');
  });

  it('gives a 28-day quantity (a course for its days, at most 100 when required) in the item’s own units', () => {
    expect(medicationQuantity('Amlodipine 5mg tablets', 'One tablet once a day')).toEqual({
      value: 28,
      unit: 'tablets',
    });
    expect(medicationQuantity('Metformin 500mg tablets', 'One tablet twice a day with food')).toEqual({
      value: 56,
      unit: 'tablets',
    });
    expect(
      medicationQuantity('Amoxicillin 500mg capsules', 'One capsule three times a day for 7 days'),
    ).toEqual({ value: 21, unit: 'capsules' });
    expect(
      medicationQuantity('Paracetamol 500mg tablets', 'Two tablets up to four times a day when required'),
    ).toEqual({ value: 100, unit: 'tablets' });
    expect(medicationQuantity('Alendronic acid 70mg tablets', 'One tablet once a week')).toEqual({
      value: 4,
      unit: 'tablets',
    });
    expect(medicationQuantity('Salbutamol 100micrograms/dose inhaler', 'Two puffs when required')).toEqual({
      value: 1,
      unit: 'inhaler',
    });
  });

  it('dates the last issue: acute on its start, repeats in the last four weeks, stopped ones in between', () => {
    expect(lastIssued('medications-acute', 'x-1', '2026-10-24')).toBe('2026-10-24');
    const repeat = lastIssued('medications-repeat', 'x-2', '2014-02-02');
    expect(repeat >= '2026-10-04' && repeat <= '2026-11-01').toBe(true);
    const stopped = lastIssued('medications-discontinued', 'x-3', '2012-05-05');
    expect(stopped >= '2012-05-05' && stopped <= '2026-10-02').toBe(true);
    expect(lastIssued('medications-repeat', 'x-2', '2014-02-02')).toBe(repeat);
  });
});

describe('PDS matching', () => {
  const olivia: Patient = {
    resourceType: 'Patient',
    name: [{ use: 'usual', family: 'Brackley', given: ['Olivia', 'Jane'] }],
    gender: 'female',
    birthDate: '1956-03-14',
    address: [{ postalCode: 'AM1 4QT' }],
  };
  const c = (o: Partial<Criteria>): Criteria => ({ given: [], birthdate: [], fuzzy: false, ...o });

  it('uses American Soundex', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Smith')).toBe(soundex('Smythe'));
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
  });

  it('scores 1 for exact, less for wildcards, ranges and fuzzy hits, and null for a miss', () => {
    expect(
      matchScore(c({ family: 'brackley', given: ['Olivia'], birthdate: ['eq1956-03-14'] }), olivia),
    ).toBe(1);
    expect(matchScore(c({ family: 'Brack*', birthdate: ['eq1956-03-14'] }), olivia)).toBeLessThan(1);
    expect(
      matchScore(c({ family: 'Brackley', birthdate: ['ge1950-01-01', 'le1960-01-01'] }), olivia),
    ).toBeLessThan(1);
    expect(
      matchScore(c({ family: 'Brakley', given: ['Olivia'], birthdate: ['eq1956-03-14'] }), olivia),
    ).toBeNull();
    expect(
      matchScore(
        c({ family: 'Brakley', given: ['Olivia'], birthdate: ['eq1956-03-14'], fuzzy: true }),
        olivia,
      ),
    ).toBeLessThan(1);
    expect(
      matchScore(c({ family: 'Brackley', birthdate: ['eq1956-03-14'], postcode: 'am14qt' }), olivia),
    ).toBe(1);
    expect(
      matchScore(c({ family: 'Brackley', birthdate: ['eq1956-03-14'], gender: 'male' }), olivia),
    ).toBeNull();
    expect(
      matchScore(c({ family: 'Brackley', birthdate: ['eq1956-03-14'], gp: 'C81007' }), olivia),
    ).toBeNull();
  });
});

describe('SCR sections table', () => {
  it('lists each code and key once, core sections first, in display order', () => {
    expect(new Set(SCR_SECTIONS.map((s) => s.code)).size).toBe(SCR_SECTIONS.length);
    expect(new Set(SCR_SECTIONS.map((s) => s.key)).size).toBe(SCR_SECTIONS.length);
    const ordered = [...SCR_SECTIONS].sort((a, b) => a.order - b.order);
    const firstAdditional = ordered.findIndex((s) => !s.core);
    expect(ordered.slice(firstAdditional).every((s) => !s.core)).toBe(true);
    expect(ordered.filter((s) => s.core).map((s) => s.key)).toEqual([
      'allergies',
      'medications-acute',
      'medications-repeat',
      'medications-discontinued',
    ]);
    expect(scrSectionByCode('ProblemsHeader')).toBe(scrSection('problems'));
    expect(scrSectionByCode('SomethingElse')).toBeUndefined();
  });
});
