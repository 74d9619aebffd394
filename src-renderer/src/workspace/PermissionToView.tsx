/**
 * Permission to view: one clear question, asked every encounter before anything from the record is shown.
 * Choices follow the access policy; the two overrides (duty of care, legal) look different, say plainly that the
 * access is logged and the privacy officer told, and need the PIN again. Only the choices the role allows appear.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { EncounterView, PtvView } from '../../../src-shared/domain/records';
import type { PtvRequest } from '../../../src-shared/ipc/channels/records';
import type { z } from 'zod';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { markNow } from '../app/marks';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { RadioGroup, TextArea, type RadioOption } from '../components/Fields';
import { pinProblem } from '../view/pin';
import { EMERGENCY_REASONS, LEGAL_REASONS, type EmergencyReason, type LegalReasonCode } from '../view/access';
import { OverrideWarning } from './OverrideWarning';

type Choice = 'given' | 'refused' | 'emergency' | 'legal';
type Request = z.infer<typeof PtvRequest>;

export function PermissionToView({
  encounter,
  onPtv,
}: {
  encounter: EncounterView;
  onPtv: (p: PtvView) => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const alive = useAlive();
  const { can } = encounter;
  const [choice, setChoice] = useState<Choice | null>(null);
  const [emergencyReason, setEmergencyReason] = useState<EmergencyReason | null>(null);
  const [legalCode, setLegalCode] = useState<LegalReasonCode | null>(null);
  const [text, setText] = useState('');
  const [pin, setPin] = useState('');
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  const [busy, setBusy] = useState(false);
  const problemFor = (id: string) => problems.find((p) => p.fieldId === id)?.text ?? null;

  const pinField = (
    <div className={`nhsuk-form-group${problemFor('override-pin') ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor="override-pin">
        Enter your PIN again to confirm
      </label>
      {problemFor('override-pin') ? (
        <span className="nhsuk-error-message" id="override-pin-error">
          <span className="nhsuk-u-visually-hidden">Error: </span>
          {problemFor('override-pin')}
        </span>
      ) : null}
      <input
        id="override-pin"
        name="override-pin"
        className={`nhsuk-input nhsuk-input--width-10${problemFor('override-pin') ? ' nhsuk-input--error' : ''}`}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
        aria-describedby={problemFor('override-pin') ? 'override-pin-error' : undefined}
      />
    </div>
  );

  /** The frame both overrides share: the warning, their own reason question, the details, the PIN again. */
  const overrideForm = (
    kind: 'emergency' | 'legal',
    warning: string,
    reasonQuestion: ReactNode,
    details: { label: string; hint?: string },
  ) => (
    <div className="app-override" data-override={kind}>
      <OverrideWarning title={warning} />
      {reasonQuestion}
      <TextArea
        id="override-text"
        label={details.label}
        labelClass="nhsuk-label--s"
        hint={details.hint}
        error={problemFor('override-text')}
        value={text}
        onChange={setText}
        maxLength={500}
      />
      {pinField}
    </div>
  );

  const options: RadioOption<Choice>[] = [];
  if (can.askPermission) options.push({ value: 'given', label: 'Yes, the patient gave permission' });
  options.push({ value: 'refused', label: 'No, the patient refused' });
  if (can.emergency) {
    options.push({
      value: 'emergency',
      label: 'The patient cannot be asked: emergency (duty of care)',
      hint: 'Only when the patient cannot give permission and you need their record to care for them.',
      conditional: overrideForm(
        'emergency',
        'Emergency access is logged and reported',
        <RadioGroup
          id="emergency-reason"
          legend="Why can the patient not be asked?"
          legendClass="nhsuk-fieldset__legend--s"
          error={problemFor('emergency-reason')}
          value={emergencyReason}
          onChange={setEmergencyReason}
          options={EMERGENCY_REASONS.map((r) => ({ value: r.value, label: r.label, hint: r.hint }))}
        />,
        {
          label: 'Briefly describe the situation',
          hint: 'For example: unconscious after a fall, no relatives present.',
        },
      ),
    });
  }
  if (can.legal) {
    options.push({
      value: 'legal',
      label: 'Legal override of consent',
      hint: 'Only where the law requires or allows access without the patient’s permission.',
      conditional: overrideForm(
        'legal',
        'A legal override is logged and reported',
        <RadioGroup
          id="legal-code"
          legend="Legal reason"
          legendClass="nhsuk-fieldset__legend--s"
          error={problemFor('legal-code')}
          value={legalCode === null ? null : String(legalCode)}
          onChange={(v) => setLegalCode(Number(v) as LegalReasonCode)}
          options={LEGAL_REASONS.map((r) => ({ value: String(r.code), label: `${r.code}: ${r.label}` }))}
        />,
        {
          label:
            legalCode === 6
              ? 'Explain the reason (required for “Other”)'
              : 'Give the details (for example the statute or court order)',
        },
      ),
    });
  }

  const canView = can.askPermission || can.emergency || can.legal;

  const build = (): { request: Request } | { problems: ProblemItem[] } => {
    const nhsNumber = encounter.patient.nhsNumber;
    if (!choice)
      return { problems: [{ text: 'Select whether the patient gave permission', fieldId: 'ptv-choice' }] };
    if (choice === 'given' || choice === 'refused') return { request: { choice, nhsNumber } };
    const found: ProblemItem[] = [];
    if (choice === 'emergency' && !emergencyReason)
      found.push({ text: 'Select why the patient cannot be asked', fieldId: 'emergency-reason' });
    if (choice === 'legal' && legalCode === null)
      found.push({ text: 'Select the legal reason', fieldId: 'legal-code' });
    if (!text.trim())
      found.push({
        text: choice === 'emergency' ? 'Describe the situation' : 'Give the details of the legal reason',
        fieldId: 'override-text',
      });
    const pp = pinProblem(pin);
    if (pp) found.push({ text: pp, fieldId: 'override-pin' });
    if (found.length) return { problems: found };
    if (choice === 'emergency' && emergencyReason)
      return { request: { choice, nhsNumber, reason: emergencyReason, text: text.trim(), pin } };
    if (choice === 'legal' && legalCode !== null)
      return { request: { choice, nhsNumber, reasonCode: legalCode, text: text.trim(), pin } };
    return { problems: [{ text: 'Select whether the patient gave permission', fieldId: 'ptv-choice' }] };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const built = build();
    if ('problems' in built) {
      setProblems(built.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    setPin('');
    try {
      const r = await api().ptv.record(built.request);
      if (!alive.current) return;
      if (r.ok) {
        if (r.value.state === 'granted') markNow('ptv-recorded');
        onPtv(r.value);
      } else if (r.error.code === 'wrong-pin') {
        setProblems([{ text: errorText(r.error), fieldId: 'override-pin' }]);
      } else {
        setProblems([{ text: errorText(r.error) }]);
      }
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  const override = choice === 'emergency' || choice === 'legal';
  return (
    <div>
      {encounter.notes.length ? (
        <div className="nhsuk-inset-text" data-testid="encounter-notes">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          {encounter.notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      ) : null}
      {problems.length ? <ErrorSummary items={problems} /> : null}
      {canView ? (
        <form noValidate onSubmit={(e) => void submit(e)}>
          <RadioGroup
            id="ptv-choice"
            legend="Has the patient given permission to view their records?"
            legendClass="nhsuk-fieldset__legend--l"
            legendIsHeading
            headingRef={heading}
            hint="Ask the patient now, even if they gave permission before. Their answer applies to this encounter only."
            error={problemFor('ptv-choice')}
            value={choice}
            onChange={(c) => {
              setChoice(c);
              setProblems([]);
            }}
            options={options}
          />
          <button
            type="submit"
            className={`nhsuk-button${override ? ' nhsuk-button--warning' : ''}`}
            disabled={busy}
          >
            {choice === 'refused'
              ? 'Record refusal'
              : override
                ? 'Override and view record'
                : 'Record permission and view record'}
          </button>
        </form>
      ) : (
        <>
          <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
            Your role cannot view patient records
          </h1>
          <p className="nhsuk-body">
            The role you signed in with does not include viewing summary records. If you need to, sign out and
            choose a role that does.
          </p>
        </>
      )}
    </div>
  );
}
