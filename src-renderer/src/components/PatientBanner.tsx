/**
 * The patient banner: who this is (name, NHS number, date of birth and age, gender, a restricted flag; then address
 * and GP) on every patient screen, so the clinician can be sure of identity before asking anything. Compact, and
 * on the encounter screen it stays at the top while the record scrolls under it.
 */
import type { ReactNode } from 'react';
import type { PatientSummary } from '../../../src-shared/domain/records';
import { ageInYears, formatDate } from '../view/dates';
import { displayNhsNumber, genderLabel, patientName } from '../view/patient';

const MISMATCH_FIELD = { name: 'Name', birthDate: 'Date of birth', gender: 'Gender' } as const;

export function PatientBanner({
  patient,
  action,
  children,
}: {
  patient: PatientSummary;
  /** A control drawn at the end of the banner's first line (e.g. "Change patient"). */
  action?: ReactNode;
  children?: ReactNode;
}) {
  const age = ageInYears(patient.birthDate, new Date());
  return (
    <section className="app-patient-banner" aria-label="Patient details" data-testid="patient-banner">
      <div className="app-patient-banner__row">
        <p className="nhsuk-heading-s app-patient-banner__name">{patientName(patient)}</p>
        <dl className="app-patient-banner__facts">
          <div>
            <dt>NHS number</dt>
            <dd>{displayNhsNumber(patient.nhsNumber)}</dd>
          </div>
          <div>
            <dt>Born</dt>
            <dd>
              {formatDate(patient.birthDate)}
              {age !== null ? ` (${age} years)` : ''}
            </dd>
          </div>
          <div>
            <dt>Gender</dt>
            <dd>{genderLabel(patient.gender)}</dd>
          </div>
        </dl>
        {patient.restricted ? (
          <strong className="nhsuk-tag nhsuk-tag--red app-restricted-flag" data-testid="restricted-flag">
            Restricted
          </strong>
        ) : null}
        {patient.restricted ? action : null}
      </div>
      {patient.restricted ? null : (
        <div className="app-patient-banner__row">
          <dl className="app-patient-banner__facts">
            <div>
              <dt>Address</dt>
              <dd>{[patient.addressLine, patient.postcode].filter(Boolean).join(', ')}</dd>
            </div>
            <div>
              <dt>GP</dt>
              <dd>{patient.gpPracticeName}</dd>
            </div>
          </dl>
          {action}
        </div>
      )}
      {patient.restricted ? (
        <p
          className="app-banner-notice app-banner-notice--restricted"
          data-testid="restricted-banner"
          role="note"
        >
          <strong>Restricted record.</strong> This patient&apos;s address, contact details and GP are not
          shown or kept. Do not pass on where they live.
        </p>
      ) : null}
      <SupersededNotice patient={patient} />
      {patient.mismatch?.length ? (
        <div
          className="app-banner-notice app-banner-notice--warning"
          data-testid="mismatch-warning"
          role="alert"
        >
          <p>
            <strong>Check who this is.</strong> The shared care record holds different details from the
            demographics service (PDS):
          </p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {patient.mismatch.map((m) => (
              <li key={m.field}>
                {MISMATCH_FIELD[m.field]}: PDS says {m.demographics}, the shared care record says{' '}
                {m.sharedCare}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {children}
    </section>
  );
}

/** Shown where a superseded NHS number was followed to the current one (search result, banner). */
export function SupersededNotice({ patient }: { patient: PatientSummary }) {
  if (!patient.supersededNumber) return null;
  return (
    <p className="app-banner-notice" data-testid="superseded-notice" role="note">
      The NHS number {displayNhsNumber(patient.supersededNumber)} has been replaced: this patient&apos;s NHS
      number is now {displayNhsNumber(patient.nhsNumber)}. Use the new number.
    </p>
  );
}
