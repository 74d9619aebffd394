/**
 * A patient as the demographics service (PDS) holds them: the NHS number as id, usual name, home address,
 * telephone, registered GP and the confidentiality label (U, or R for a restricted patient, whose address,
 * telephone and GP are held here but never answered). Each superseded number becomes a record of its own that
 * points at the current one (Patient.link replaced-by), as PDS answers the current record for an old number.
 */
import type { Patient } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM } from '../../domain/fhir-resources';
import type { GeneratedPatient } from '../../records/demo-data/population-types';
import { stableInt } from './ids';
import { V3_CONFIDENTIALITY } from './codes';

const UNRESTRICTED = { system: V3_CONFIDENTIALITY, code: 'U', display: 'unrestricted' };
const RESTRICTED = { system: V3_CONFIDENTIALITY, code: 'R', display: 'restricted' };

/** A number in Ofcom's range for drama (01632 960000–960999): never a real line. */
export function dramaPhone(nhs: string): string {
  return `01632 960${String(stableInt(`phone:${nhs}`, 1000)).padStart(3, '0')}`;
}

export function addressLines(addressLine: string): string[] {
  return addressLine.split(', ').filter((l) => l.length > 0);
}

export function pdsPatients(p: GeneratedPatient, orgName: (code: string) => string | undefined): Patient[] {
  const security = [p.pds?.restricted ? RESTRICTED : UNRESTRICTED];
  const name = [
    { use: 'usual' as const, family: p.family, given: p.given, ...(p.prefix ? { prefix: [p.prefix] } : {}) },
  ];
  const current: Patient = {
    resourceType: 'Patient',
    id: p.nhs,
    meta: { security },
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: p.nhs }],
    name,
    gender: p.gender,
    birthDate: p.birthDate,
    address: [{ use: 'home', line: addressLines(p.addressLine), postalCode: p.postcode }],
    telecom: [{ system: 'phone', value: dramaPhone(p.nhs), use: 'home' }],
    ...(p.gpCode
      ? {
          generalPractitioner: [
            {
              type: 'Organization',
              identifier: { system: ODS_CODE_SYSTEM, value: p.gpCode },
              ...(orgName(p.gpCode) ? { display: orgName(p.gpCode) } : {}),
            },
          ],
        }
      : {}),
  };
  const superseded: Patient[] = (p.pds?.supersededNumbers ?? []).map((old) => ({
    resourceType: 'Patient',
    id: old,
    meta: { security },
    active: false,
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: old }],
    name,
    gender: p.gender,
    birthDate: p.birthDate,
    link: [{ other: { reference: `Patient/${p.nhs}` }, type: 'replaced-by' }],
  }));
  return [current, ...superseded];
}
