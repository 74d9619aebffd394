/**
 * One encounter with one patient: identity first, then a legitimate relationship (self-claimed if there is none),
 * then the permission-to-view question. The record area is only reachable once permission (or an override) is
 * recorded: there is no other route to record data.
 */
import { useState } from 'react';
import { useFocusOnMount } from '../app/focus';
import type { EncounterView, PtvView, RecordView } from '../../../src-shared/domain/records';
import type { IpcResult } from '../../../src-shared/ipc/result';
import { api } from '../app/api';
import { useAlive } from '../app/alive';
import { PatientBanner } from '../components/PatientBanner';
import { RelationshipClaim } from './RelationshipClaim';
import { PermissionToView } from './PermissionToView';
import { Refused } from './Refused';
import { RecordArea } from './RecordArea';

export function Encounter({
  encounter,
  onEncounter,
  onChangePatient,
  onEndAccess,
}: {
  encounter: EncounterView;
  onEncounter: (e: EncounterView) => void;
  /** Back to search; the encounter stays open, so re-opening this patient keeps the access. */
  onChangePatient: () => void;
  /** Ends the encounter (and any override) in main, then back to search. */
  onEndAccess: () => void;
}) {
  const [confirmEnd, setConfirmEnd] = useState(false);
  const alive = useAlive();
  const nhsNumber = encounter.patient.nhsNumber;
  const [prefetchedScr, setPrefetchedScr] = useState<IpcResult<RecordView> | null>(null);
  // What may be shown (can.*, notes) depends on the permission just recorded: ask main for the encounter again
  // (the same encounter is kept for the same patient), falling back to the answer we have.
  const refresh = async (fallback: EncounterView) => {
    const r = await api().encounter.open({ nhsNumber });
    if (!alive.current) return;
    onEncounter(r.ok ? r.value : fallback);
  };
  const setPtv = async (ptv: PtvView) => {
    // With permission in force, ask for the SCR alongside the encounter so it is drawn in the same render. Main
    // still decides: an opted-out patient's SCR is not even asked for.
    const wantScr = ptv.state === 'granted' && encounter.preferences.scr !== 'opted-out';
    const [enc, scr] = await Promise.all([
      api().encounter.open({ nhsNumber }),
      wantScr ? api().record.scr({ nhsNumber }) : Promise.resolve(null),
    ]);
    if (!alive.current) return;
    setPrefetchedScr(scr);
    onEncounter(enc.ok ? enc.value : { ...encounter, ptv });
  };
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
    <main
      className="nhsuk-main-wrapper app-encounter"
      id="maincontent"
      data-screen={step}
      data-testid="encounter"
    >
      <PatientBanner
        patient={encounter.patient}
        action={
          <>
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
              onClick={onChangePatient}
            >
              Change patient
            </button>
            {ptv.state === 'granted' && ptv.basis !== 'permission' && !confirmEnd ? (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary nhsuk-button--small app-end-access"
                onClick={() => setConfirmEnd(true)}
              >
                {ptv.basis === 'emergency' ? 'End emergency access' : 'End legal override'}
              </button>
            ) : null}
          </>
        }
      />
      {confirmEnd && ptv.state === 'granted' ? (
        <ConfirmEnd
          what={ptv.basis === 'emergency' ? 'emergency access' : 'the legal override'}
          onConfirm={onEndAccess}
          onCancel={() => setConfirmEnd(false)}
        />
      ) : null}
      {step === 'relationship' ? (
        <RelationshipClaim encounter={encounter} onEncounter={onEncounter} onPtv={(p) => void setPtv(p)} />
      ) : step === 'permission' ? (
        <PermissionToView encounter={encounter} onPtv={(p) => void setPtv(p)} />
      ) : step === 'refused' && ptv.state === 'refused' ? (
        <Refused at={ptv.at} onChangePatient={onChangePatient} />
      ) : ptv.state === 'granted' ? (
        <RecordArea
          encounter={encounter}
          ptv={ptv}
          prefetchedScr={prefetchedScr}
          onPreferencesChanged={() => void refresh(encounter)}
        />
      ) : null}
    </main>
  );
}

/** Asks before an override is ended: the record closes and permission (or an override) is needed again. */
function ConfirmEnd({
  what,
  onConfirm,
  onCancel,
}: {
  what: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className="nhsuk-card nhsuk-card--warning" data-testid="confirm-end-access">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading" ref={heading} tabIndex={-1}>
          End {what} now?
        </h2>
        <p className="nhsuk-card__description">
          The record closes. To see it again you will need the patient&apos;s permission or a new override,
          which is logged and reported again.
        </p>
        <div className="nhsuk-button-group">
          <button type="button" className="nhsuk-button nhsuk-button--warning" onClick={onConfirm}>
            Yes, end {what}
          </button>
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onCancel}>
            No, keep access
          </button>
        </div>
      </div>
    </div>
  );
}
