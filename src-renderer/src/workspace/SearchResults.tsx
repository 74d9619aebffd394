/**
 * Search results: enough to tell people apart (name, NHS number, birth date, gender, address, GP), no clinical data.
 * Choosing one opens an encounter; nothing from the record is fetched until permission to view is recorded.
 */
import { useState } from 'react';
import type { EncounterView, PatientSummary } from '../../../src-shared/domain/records';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { formatDate } from '../view/dates';
import { displayNhsNumber, genderLabel, patientName } from '../view/patient';
import { SupersededNotice } from '../components/PatientBanner';

export function SearchResults({
  results,
  onOpen,
}: {
  results: PatientSummary[];
  onOpen: (e: EncounterView) => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>(results);
  const alive = useAlive();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const open = async (nhsNumber: string) => {
    setBusy(nhsNumber);
    setProblem(null);
    try {
      const r = await api().encounter.open({ nhsNumber });
      if (!alive.current) return;
      if (r.ok) onOpen(r.value);
      else setProblem(errorText(r.error));
    } finally {
      if (alive.current) setBusy(null);
    }
  };

  return (
    <section aria-labelledby="results-title" data-testid="search-results">
      <h2 className="nhsuk-heading-m" id="results-title" ref={heading} tabIndex={-1}>
        {results.length === 0
          ? 'No patients found'
          : results.length === 1
            ? '1 patient found'
            : `${results.length} patients found`}
      </h2>
      {results.length === 0 ? (
        <p className="nhsuk-body">Check the details and try again, or search another way.</p>
      ) : results.length > 1 ? (
        <p className="nhsuk-body" data-testid="several-found">
          More than one person matches. None is selected: check the date of birth, gender, postcode and GP
          practice with the patient, then select the right one.
        </p>
      ) : null}
      {problem ? (
        <div className="nhsuk-error-summary" role="alert">
          <p className="nhsuk-body">{problem}</p>
        </div>
      ) : null}
      <ul className="app-results">
        {results.map((p) => (
          <li className="app-results__item nhsuk-card" key={p.nhsNumber}>
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading nhsuk-heading-s">{patientName(p)}</h3>
              <SupersededNotice patient={p} />
              {p.match ? (
                <p className="nhsuk-body-s" data-testid="match-band">
                  {p.match === 'exact'
                    ? 'Exact match'
                    : 'Close match only: check every detail with the patient before selecting'}
                </p>
              ) : null}
              <dl className="nhsuk-summary-list nhsuk-summary-list--no-border">
                <Row k="NHS number" v={displayNhsNumber(p.nhsNumber)} />
                <Row k="Date of birth" v={formatDate(p.birthDate)} />
                <Row k="Gender" v={genderLabel(p.gender)} />
                {p.restricted ? (
                  <Row k="Record" v="Restricted: address and GP not shown" />
                ) : (
                  <>
                    <Row k="Address" v={[p.addressLine, p.postcode].filter(Boolean).join(', ')} />
                    <Row k="GP practice" v={p.gpPracticeName} />
                  </>
                )}
              </dl>
              <button
                type="button"
                className="nhsuk-button nhsuk-u-margin-bottom-0"
                disabled={busy !== null}
                onClick={() => void open(p.nhsNumber)}
              >
                Select<span className="nhsuk-u-visually-hidden"> {patientName(p)}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Row({ k, v }: { k: string; v: string }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{k}</dt>
      <dd className="nhsuk-summary-list__value">{v}</dd>
    </div>
  );
}
