/**
 * One encounter with one patient: identity first, then a legitimate relationship (self-claimed if there is none),
 * then the permission-to-view question. The record area is only reachable once permission (or an override) is
 * recorded: there is no other route to record data.
 */
import type { EncounterView, PtvView } from '../../../src-shared/domain/records';
import { PatientBanner } from '../components/PatientBanner';
import { RelationshipClaim } from './RelationshipClaim';
import { PermissionToView } from './PermissionToView';
import { Refused } from './Refused';
import { RecordArea } from './RecordArea';

export function Encounter({
  encounter,
  onEncounter,
  onChangePatient,
}: {
  encounter: EncounterView;
  onEncounter: (e: EncounterView) => void;
  onChangePatient: () => void;
}) {
  const setPtv = (ptv: PtvView) => onEncounter({ ...encounter, ptv });
  const { ptv } = encounter;
  const step =
    encounter.relationship === 'none'
      ? 'relationship'
      : ptv.state === 'not-asked'
        ? 'permission'
        : ptv.state === 'refused'
          ? 'refused'
          : 'record';

  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen={step} data-testid="encounter">
      <div>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onChangePatient}>
          Change patient
        </button>
      </div>
      <PatientBanner patient={encounter.patient} />
      {step === 'relationship' ? (
        <RelationshipClaim encounter={encounter} onEncounter={onEncounter} />
      ) : step === 'permission' ? (
        <PermissionToView encounter={encounter} onPtv={setPtv} />
      ) : step === 'refused' && ptv.state === 'refused' ? (
        <Refused at={ptv.at} onChangePatient={onChangePatient} />
      ) : ptv.state === 'granted' ? (
        <RecordArea encounter={encounter} ptv={ptv} />
      ) : null}
    </main>
  );
}
