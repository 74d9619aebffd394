/**
 * The patient refused permission to view: nothing from the record is shown, and the refusal is on record.
 */
import { useFocusOnMount } from '../app/focus';
import { formatDateTime } from '../view/dates';

export function Refused({ at, onChangePatient }: { at: string; onChangePatient: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div>
      <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
        The patient refused permission to view
      </h1>
      <p className="nhsuk-body">
        Nothing from their record is shown. The refusal was recorded at {formatDateTime(at)}.
      </p>
      <p className="nhsuk-body">
        If the patient changes their mind, or cannot be asked later in an emergency, start again from patient
        search.
      </p>
      <button type="button" className="nhsuk-button" onClick={onChangePatient}>
        Search for another patient
      </button>
    </div>
  );
}
