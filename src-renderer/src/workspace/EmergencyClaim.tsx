/**
 * The emergency path, for a clinician with emergency access who has no recorded relationship with a patient who
 * cannot be asked: one form (why the patient cannot be asked, one account in their own words, the PIN again)
 * records the self-claimed relationship and the emergency access together. Main writes both audit entries in the
 * one encounter and alerts the privacy officer to both.
 */
import { useState, type FormEvent } from 'react';
import type { EncounterView, PtvView } from '../../../src-shared/domain/records';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { markNow } from '../app/marks';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { RadioGroup, TextArea, TextField } from '../components/Fields';
import { EMERGENCY_REASONS, type EmergencyReason } from '../view/access';
import { pinProblem } from '../view/pin';
import { OverrideWarning } from './OverrideWarning';

export function EmergencyClaim({
  encounter,
  onPtv,
}: {
  encounter: EncounterView;
  onPtv: (p: PtvView) => void;
}) {
  const alive = useAlive();
  const [reason, setReason] = useState<EmergencyReason | null>(null);
  const [text, setText] = useState('');
  const [pin, setPin] = useState('');
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  const [busy, setBusy] = useState(false);
  const problemFor = (id: string) => problems.find((p) => p.fieldId === id)?.text ?? null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: ProblemItem[] = [];
    if (!reason)
      found.push({ text: 'Select why the patient cannot be asked', fieldId: 'claim-emergency-reason' });
    if (!text.trim())
      found.push({ text: 'Describe the situation and your part in it', fieldId: 'claim-emergency-text' });
    const pp = pinProblem(pin);
    if (pp) found.push({ text: pp, fieldId: 'claim-emergency-pin' });
    setProblems(found);
    if (found.length || !reason) return;
    setBusy(true);
    const entered = pin;
    setPin('');
    try {
      const r = await api().ptv.record({
        choice: 'emergency',
        nhsNumber: encounter.patient.nhsNumber,
        reason,
        text: text.trim(),
        pin: entered,
        claimRelationship: true,
      });
      if (!alive.current) return;
      if (r.ok) {
        if (r.value.state === 'granted') markNow('ptv-recorded');
        onPtv(r.value);
      } else if (r.error.code === 'wrong-pin') {
        setProblems([{ text: errorText(r.error), fieldId: 'claim-emergency-pin' }]);
      } else {
        setProblems([{ text: errorText(r.error) }]);
      }
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  return (
    <section className="app-override" data-override="emergency-claim" aria-labelledby="emergency-claim-title">
      <h2 className="nhsuk-heading-m" id="emergency-claim-title">
        Or, if the patient cannot be asked and you need their record now
      </h2>
      <OverrideWarning title="Your relationship and emergency access are logged and reported" />
      {problems.length ? <ErrorSummary items={problems} /> : null}
      <form noValidate onSubmit={(e) => void submit(e)}>
        <RadioGroup
          id="claim-emergency-reason"
          legend="Why can the patient not be asked?"
          legendClass="nhsuk-fieldset__legend--s"
          error={problemFor('claim-emergency-reason')}
          value={reason}
          onChange={setReason}
          options={EMERGENCY_REASONS.map((r) => ({ value: r.value, label: r.label, hint: r.hint }))}
        />
        <TextArea
          id="claim-emergency-text"
          label="Describe the situation and your part in the patient's care"
          labelClass="nhsuk-label--s"
          hint="In your own words. This one account is recorded for both your relationship and the emergency access, for example: 999 call, found unconscious at home, no relatives present."
          error={problemFor('claim-emergency-text')}
          value={text}
          onChange={setText}
          maxLength={500}
        />
        <TextField
          id="claim-emergency-pin"
          label="Enter your PIN again to confirm"
          labelClass="nhsuk-label--s"
          inputClass="nhsuk-input--width-10"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          error={problemFor('claim-emergency-pin')}
        />
        <button type="submit" className="nhsuk-button nhsuk-button--warning" disabled={busy}>
          Record emergency access and view record
        </button>
      </form>
    </section>
  );
}
