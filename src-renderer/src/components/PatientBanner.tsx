/**
 * The patient banner: who this is (name, NHS number, date of birth, gender, address, GP) on every patient screen,
 * so the clinician can be sure of identity before asking anything.
 */
import type { ReactNode } from 'react';
import type { PatientSummary } from '../../../src-shared/domain/records';
import { ageInYears, formatDate } from '../view/dates';
import { displayNhsNumber, genderLabel, patientName } from '../view/patient';

export function PatientBanner({ patient, children }: { patient: PatientSummary; children?: ReactNode }) {
  const age = ageInYears(patient.birthDate, new Date());
  return (
    <section className="app-patient-banner" aria-label="Patient details" data-testid="patient-banner">
      <p className="nhsuk-heading-m app-patient-banner__name">{patientName(patient)}</p>
      <dl className="app-patient-banner__facts">
        <div>
          <dt>NHS number</dt>
          <dd>{displayNhsNumber(patient.nhsNumber)}</dd>
        </div>
        <div>
          <dt>Born</dt>
          <dd>
            {formatDate(patient.birthDate)}
            {age !== null ? ` (${age})` : ''}
          </dd>
        </div>
        <div>
          <dt>Gender</dt>
          <dd>{genderLabel(patient.gender)}</dd>
        </div>
        <div>
          <dt>Address</dt>
          <dd>
            {patient.addressLine}, {patient.postcode}
          </dd>
        </div>
        <div>
          <dt>GP</dt>
          <dd>{patient.gpPracticeName}</dd>
        </div>
      </dl>
      {children}
    </section>
  );
}
