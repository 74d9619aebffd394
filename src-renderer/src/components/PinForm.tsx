/**
 * PIN entry (masked, numeric, 6 to 8 digits) with tries left. Used to sign in and to unlock after a lock.
 * The PIN goes straight to main and is cleared from the field whatever the answer.
 */
import { useState, type FormEvent } from 'react';
import { useFocusOnMount } from '../app/focus';
import type { SessionView } from '../../../src-shared/domain/session';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { pinProblem, triesLeftText } from '../view/pin';
import { ErrorSummary } from './ErrorSummary';

export function PinForm({
  triesLeft,
  lastAttemptFailed,
  submitLabel,
  onSession,
  focusPin = false,
}: {
  triesLeft: number | undefined;
  lastAttemptFailed: boolean;
  submitLabel: string;
  onSession: (s: SessionView) => void;
  /** Put the cursor in the PIN field when the form appears (the card has just gone in: the PIN is what comes next). */
  focusPin?: boolean;
}) {
  const pinField = useFocusOnMount<HTMLInputElement>();
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = pinProblem(pin);
    if (p) {
      setProblem(p);
      return;
    }
    setBusy(true);
    setProblem(null);
    const entered = pin;
    setPin('');
    try {
      const r = await api().session.submitPin({ pin: entered });
      if (!r.ok) setProblem(errorText(r.error));
      else {
        // On the lock screen a wrong PIN leaves the session locked with the card present: say so here.
        if (r.value.state === 'locked' && r.value.cardPresent) {
          const left = r.value.triesLeft;
          setProblem(`The PIN was not correct. ${left !== undefined ? triesLeftText(left) : ''}`.trim());
        }
        onSession(r.value);
      }
    } finally {
      setBusy(false);
    }
  };

  const wrong = lastAttemptFailed && !problem;
  const errorItems = problem
    ? [{ text: problem, fieldId: 'pin' }]
    : wrong
      ? [
          {
            text: `The PIN was not correct. ${triesLeft !== undefined ? triesLeftText(triesLeft) : ''}`.trim(),
            fieldId: 'pin',
          },
        ]
      : [];
  const fieldError = errorItems[0]?.text ?? null;

  return (
    <form noValidate onSubmit={(e) => void submit(e)}>
      {errorItems.length ? <ErrorSummary items={errorItems} /> : null}
      <div className={`nhsuk-form-group${fieldError ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label nhsuk-label--m" htmlFor="pin">
          Enter your PIN
        </label>
        <div className="nhsuk-hint" id="pin-hint">
          6 to 8 numbers. {triesLeft !== undefined ? triesLeftText(triesLeft) : ''}
        </div>
        {fieldError ? (
          <span className="nhsuk-error-message" id="pin-error">
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {fieldError}
          </span>
        ) : null}
        <input
          ref={focusPin && !lastAttemptFailed ? pinField : undefined}
          id="pin"
          name="pin"
          className={`nhsuk-input nhsuk-input--width-10${fieldError ? ' nhsuk-input--error' : ''}`}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
          aria-describedby={fieldError ? 'pin-hint pin-error' : 'pin-hint'}
          aria-invalid={fieldError ? true : undefined}
          disabled={busy}
        />
      </div>
      <button type="submit" className="nhsuk-button" disabled={busy}>
        {busy ? 'Checking your PIN…' : submitLabel}
      </button>
    </form>
  );
}
