/** Test patients built with the same item builders the demo population uses. */
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import type { PatientSummary } from '../../../src-shared/domain/records';
import { itemBuilder, type ItemBuilder } from '../../../src-main/records/demo-data/builders';

/** A valid test-range NHS number from a small index. */
export function testNhs(i: number): string {
  for (let k = i; ; k++) {
    const nine = `9994${String(k).padStart(5, '0')}`;
    const c = nhsCheckDigit(nine);
    if (c !== null) return `${nine}${c}`;
  }
}

export function summary(nhs: string, family = 'Testperson'): PatientSummary {
  return {
    nhsNumber: nhs,
    family,
    given: ['Alex'],
    birthDate: '1970-01-01',
    gender: 'unknown',
    addressLine: '1 Test Street',
    postcode: 'TE1 1ST',
    gpPracticeName: 'Test Practice',
  };
}

export function items(nhs: string, fill: (b: ItemBuilder) => void) {
  const b = itemBuilder(nhs);
  fill(b);
  return b.items;
}
