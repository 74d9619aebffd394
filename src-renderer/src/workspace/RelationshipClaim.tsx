/**
 * Self-claimed legitimate relationship: when the patient is not registered with, referred to or being treated by
 * this organisation, the user states why they are caring for them. The claim is logged and reported. A role with
 * emergency access is also offered the emergency path (`EmergencyClaim`): one form for a patient who cannot be asked.
 */
import { useState, type FormEvent } from 'react';
import type { EncounterView, PtvView } from '../../../src-shared/domain/records';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { RadioGroup, TextArea } from '../components/Fields';
import { RELATIONSHIP_REASONS, type RelationshipReason } from '../view/access';
import { EmergencyClaim } from './EmergencyClaim';

export function RelationshipClaim({
  encounter,
  onEncounter,
  onPtv,
}: {
  encounter: EncounterView;
  onEncounter: (e: EncounterView) => void;
  /** The emergency path's answer (permission view under emergency access). */
  onPtv: (p: PtvView) => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const alive = useAlive();
  const [reason, setReason] = useState<RelationshipReason | null>(null);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: ProblemItem[] = [];
    if (!reason) found.push({ text: 'Select why you are caring for this patient', fieldId: 'lr-reason' });
    if (!text.trim())
      found.push({ text: 'Describe your relationship with this patient', fieldId: 'lr-text' });
    setProblems(found);
    if (found.length || !reason) return;
    setBusy(true);
    try {
      const r = await api().encounter.claimRelationship({
        nhsNumber: encounter.patient.nhsNumber,
        reason,
        text: text.trim(),
      });
      if (!alive.current) return;
      if (r.ok) onEncounter(r.value);
      else setProblems([{ text: errorText(r.error) }]);
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  return (
    <div>
      <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
        You have no recorded relationship with this patient
      </h1>
      <p className="nhsuk-body">
        The patient is not registered with, referred to or being treated by your organisation. To go on you
        must say why you are caring for them.
      </p>
      <div className="nhsuk-card nhsuk-card--warning">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>This claim is logged
            </span>
          </h2>
          <p className="nhsuk-card__description">
            Your claim is recorded with your name and role, and the privacy officer is told.
          </p>
        </div>
      </div>
      {problems.length ? <ErrorSummary items={problems} /> : null}
      <form noValidate onSubmit={(e) => void submit(e)}>
        <RadioGroup
          id="lr-reason"
          legend="Why are you caring for this patient?"
          error={problems.find((p) => p.fieldId === 'lr-reason')?.text}
          value={reason}
          onChange={setReason}
          options={RELATIONSHIP_REASONS.map((r) => ({ value: r.value, label: r.label }))}
        />
        <TextArea
          id="lr-text"
          label="Describe your relationship with the patient"
          hint="For example, attending a 999 call to the patient's home."
          error={problems.find((p) => p.fieldId === 'lr-text')?.text}
          value={text}
          onChange={setText}
          maxLength={500}
        />
        <button type="submit" className="nhsuk-button" disabled={busy}>
          Record relationship and continue
        </button>
      </form>
      {encounter.can.emergencyClaim ? <EmergencyClaim encounter={encounter} onPtv={onPtv} /> : null}
    </div>
  );
}
