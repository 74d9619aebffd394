/**
 * The review's actions: take, add a note, change status, close with an outcome, escalate, patient to be informed.
 * Each form keeps its own draft; a draft is cleared only when main has saved it, so after a conflict (someone
 * else changed the review first) everything the officer typed is still there to send again.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Escalation, ReviewAction, ReviewState } from '../../../src-shared/ipc/channels/review';
import type { ProblemItem } from '../components/ErrorSummary';
import { Checkbox, RadioGroup, TextArea } from '../components/Fields';
import { ESCALATION_LABEL } from '../view/review';

export type ActOutcome = 'saved' | 'conflict' | 'error';

type OpenStatus = 'open' | 'under-investigation';
type Outcome = 'appropriate' | 'inappropriate';

const NOTE_MAX = 2000;

export function ReviewActions({
  review,
  me,
  act,
  onProblems,
}: {
  review: ReviewState;
  me: string;
  /** Sends one change with the version shown; `done` is what to say once it is saved. */
  act: (change: ReviewAction, done: string) => Promise<ActOutcome>;
  onProblems: (items: ProblemItem[]) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<OpenStatus | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [closeText, setCloseText] = useState('');
  const [escalateTo, setEscalateTo] = useState<Escalation | null>(null);
  const [escalateText, setEscalateText] = useState('');
  /** null until the officer changes the box: it then shows her choice, not the stored one. */
  const [inform, setInform] = useState<boolean | null>(null);
  const [problems, setProblems] = useState<ProblemItem[]>([]);

  const problemFor = (id: string) => problems.find((p) => p.fieldId === id)?.text ?? null;
  const fail = (items: ProblemItem[]) => {
    setProblems(items);
    onProblems(items);
  };

  const send = async (change: ReviewAction, done: string, clear: () => void) => {
    setProblems([]);
    setBusy(true);
    try {
      if ((await act(change, done)) === 'saved') clear();
    } finally {
      setBusy(false);
    }
  };

  const submitNote = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return fail([{ text: 'Enter the note', fieldId: 'review-note' }]);
    void send({ action: 'note', text: note.trim() }, 'Note added.', () => setNote(''));
  };

  const submitStatus = (e: FormEvent) => {
    e.preventDefault();
    if (!status) return fail([{ text: 'Select the new status', fieldId: 'review-status' }]);
    void send({ action: 'status', status }, 'Status changed.', () => setStatus(null));
  };

  const submitClose = (e: FormEvent) => {
    e.preventDefault();
    const found: ProblemItem[] = [];
    if (!outcome)
      found.push({ text: 'Select whether the access was appropriate', fieldId: 'review-outcome' });
    if (!closeText.trim()) found.push({ text: 'Enter a note saying why', fieldId: 'review-close-text' });
    if (found.length || !outcome) return fail(found);
    void send({ action: 'close', outcome, text: closeText.trim() }, 'Alert closed.', () => {
      setOutcome(null);
      setCloseText('');
    });
  };

  const submitEscalate = (e: FormEvent) => {
    e.preventDefault();
    const found: ProblemItem[] = [];
    if (!escalateTo) found.push({ text: 'Select who to escalate to', fieldId: 'review-escalate-to' });
    if (!escalateText.trim())
      found.push({ text: 'Enter a note saying why', fieldId: 'review-escalate-text' });
    if (found.length || !escalateTo) return fail(found);
    void send(
      { action: 'escalate', to: escalateTo, text: escalateText.trim() },
      `Escalated to the ${ESCALATION_LABEL[escalateTo]}.`,
      () => {
        setEscalateTo(null);
        setEscalateText('');
      },
    );
  };

  const informShown = inform ?? review.patientToBeInformed;
  const submitInform = (e: FormEvent) => {
    e.preventDefault();
    void send(
      { action: 'inform', patientToBeInformed: informShown },
      informShown ? 'Marked: the patient is to be informed.' : 'Marked: the patient is not to be informed.',
      () => setInform(null),
    );
  };

  const mine = review.owner?.userId === me;

  return (
    <section aria-labelledby="actions-title" data-testid="review-actions" className="app-review-actions">
      <h2 className="nhsuk-heading-m" id="actions-title">
        Review this alert
      </h2>
      <Action title="Owner" id="act-take">
        {mine ? (
          <p className="nhsuk-body nhsuk-u-margin-bottom-0">You own this review.</p>
        ) : (
          <>
            <p className="nhsuk-body">
              {review.owner ? 'Someone else owns this review. ' : ''}
              Taking the alert makes you its owner and opens the review.
            </p>
            <button
              type="button"
              className="nhsuk-button nhsuk-u-margin-bottom-0"
              disabled={busy}
              onClick={() => void send({ action: 'take' }, 'You now own this review.', () => undefined)}
            >
              Take this alert
            </button>
          </>
        )}
      </Action>

      <Action title="Add a note" id="act-note">
        <form noValidate onSubmit={submitNote}>
          <TextArea
            id="review-note"
            label="Note"
            hint="Notes are kept with your name and the time, and cannot be changed later."
            error={problemFor('review-note')}
            value={note}
            onChange={setNote}
            maxLength={NOTE_MAX}
            rows={4}
          />
          <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0" disabled={busy}>
            Add note
          </button>
        </form>
      </Action>

      <Action title="Change status" id="act-status">
        <form noValidate onSubmit={submitStatus}>
          <RadioGroup
            id="review-status"
            legend="New status"
            legendClass="nhsuk-fieldset__legend--s"
            error={problemFor('review-status')}
            value={status}
            onChange={setStatus}
            options={[
              { value: 'open', label: 'Open' },
              { value: 'under-investigation', label: 'Under investigation' },
            ]}
          />
          <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0" disabled={busy}>
            Change status
          </button>
        </form>
      </Action>

      <Action title="Close with an outcome" id="act-close">
        <form noValidate onSubmit={submitClose}>
          <RadioGroup
            id="review-outcome"
            legend="Was the access appropriate?"
            legendClass="nhsuk-fieldset__legend--s"
            error={problemFor('review-outcome')}
            value={outcome}
            onChange={setOutcome}
            options={[
              { value: 'appropriate', label: 'Appropriate' },
              { value: 'inappropriate', label: 'Inappropriate' },
            ]}
          />
          <TextArea
            id="review-close-text"
            label="Why the access was or was not appropriate"
            error={problemFor('review-close-text')}
            value={closeText}
            onChange={setCloseText}
            maxLength={NOTE_MAX}
          />
          <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0" disabled={busy}>
            Close the alert
          </button>
        </form>
      </Action>

      <Action title="Escalate" id="act-escalate">
        <form noValidate onSubmit={submitEscalate}>
          <RadioGroup
            id="review-escalate-to"
            legend="Escalate to"
            legendClass="nhsuk-fieldset__legend--s"
            error={problemFor('review-escalate-to')}
            value={escalateTo}
            onChange={setEscalateTo}
            options={[
              { value: 'ig-lead', label: ESCALATION_LABEL['ig-lead'] },
              { value: 'caldicott-guardian', label: ESCALATION_LABEL['caldicott-guardian'] },
            ]}
          />
          <TextArea
            id="review-escalate-text"
            label="Why you are escalating it"
            error={problemFor('review-escalate-text')}
            value={escalateText}
            onChange={setEscalateText}
            maxLength={NOTE_MAX}
          />
          <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0" disabled={busy}>
            Escalate
          </button>
        </form>
      </Action>

      <Action title="Telling the patient" id="act-inform">
        <form noValidate onSubmit={submitInform}>
          <Checkbox
            id="review-inform"
            label="The patient is to be informed"
            hint="For example, when the access was not appropriate."
            checked={informShown}
            onChange={setInform}
          />
          <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0" disabled={busy}>
            Save
          </button>
        </form>
      </Action>
    </section>
  );
}

function Action({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <div className="app-action" role="group" aria-labelledby={`${id}-title`}>
      <h3 className="nhsuk-heading-s" id={`${id}-title`}>
        {title}
      </h3>
      {children}
    </div>
  );
}
