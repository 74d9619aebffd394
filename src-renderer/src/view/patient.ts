/**
 * How a patient is named on screen: NHS convention is FAMILY name in capitals, then given names, then title.
 */
import type { PatientSummary } from '../../../src-shared/domain/records';
import { formatNhsNumber } from '../../../src-shared/domain/nhs-number';

export function patientName(p: Pick<PatientSummary, 'family' | 'given' | 'prefix'>): string {
  const given = p.given.join(' ');
  const base = given ? `${p.family.toUpperCase()}, ${given}` : p.family.toUpperCase();
  return p.prefix ? `${base} (${p.prefix})` : base;
}

const GENDER: Record<PatientSummary['gender'], string> = {
  male: 'Male',
  female: 'Female',
  other: 'Other',
  unknown: 'Not known',
};

export function genderLabel(g: PatientSummary['gender']): string {
  return GENDER[g];
}

export function displayNhsNumber(n: string): string {
  return formatNhsNumber(n);
}
