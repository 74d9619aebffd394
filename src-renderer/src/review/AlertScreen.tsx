/**
 * One alert, in full (red data: shown here only, one alert at a time): who, when, the patient, the coded reason
 * and the clinician's own words (drawn as text), every event made under the same override, the attendance check
 * and the review. The review's actions name the version shown; if someone else changed it first, main says so,
 * the newer state replaces the old one, and what the officer typed stays in its field.
 */
import { useEffect, useState } from 'react';
import type {
  ActResult,
  AlertDetail,
  Attendance,
  EncounterRead,
  ReviewAction,
  ReviewState,
} from '../../../src-shared/ipc/channels/review';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { formatDateTime } from '../view/dates';
import { displayNhsNumber } from '../view/patient';
import {
  ALERT_TYPE_LABEL,
  ESCALATION_LABEL,
  REVIEW_STATUS_LABEL,
  eventLabel,
  outcomeLabel,
  ownerText,
  recordLabel,
} from '../view/review';
import { ReviewActions, type ActOutcome } from './ReviewActions';

type Loaded =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; detail: AlertDetail };

/** What the last action left to say: saved, someone else was first, or what is wrong with the form. */
export type Feedback =
  | { kind: 'saved'; text: string }
  | { kind: 'conflict'; message: string; key: number }
  | { kind: 'problems'; items: ProblemItem[] };

export function AlertScreen({
  id,
  me,
  orgNames,
  backLabel,
  onBack,
}: {
  id: string;
  me: string;
  orgNames: readonly { orgCode: string; orgName: string }[];
  backLabel: string;
  onBack: () => void;
}) {
  const alive = useAlive();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [review, setReview] = useState<ReviewState | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);

  useEffect(() => {
    void api()
      .review.alert({ id })
      .then((r) => {
        if (!alive.current) return;
        if (r.ok) {
          setLoaded({ state: 'ok', detail: r.value });
          setReview(r.value.review);
        } else setLoaded({ state: 'error', message: errorText(r.error) });
      });
  }, [id, alive]);

  const act = async (change: ReviewAction, done: string): Promise<ActOutcome> => {
    if (!review) return 'error';
    setFeedback(null);
    const r = await api().review.act({ id, version: review.version, change });
    if (!alive.current) return 'error';
    if (!r.ok) {
      setFeedback({ kind: 'problems', items: [{ text: errorText(r.error) }] });
      return 'error';
    }
    const result: ActResult = r.value;
    setReview(result.review);
    if (result.outcome === 'conflict') {
      setFeedback({ kind: 'conflict', message: result.message, key: Date.now() });
      return 'conflict';
    }
    setFeedback({ kind: 'saved', text: done });
    return 'saved';
  };

  const back = (
    <div>
      <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onBack}>
        {backLabel}
      </button>
    </div>
  );

  if (loaded.state !== 'ok' || !review) {
    return (
      <main className="nhsuk-main-wrapper" id="maincontent" data-screen="alert">
        {back}
        <LoadingOrError loaded={loaded} />
      </main>
    );
  }
  const { detail } = loaded;
  const { alert, who, patient } = detail;
  const orgName = (code: string | null) =>
    code ? orgNames.find((o) => o.orgCode === code)?.orgName : undefined;

  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="alert" data-alert-id={alert.id}>
      {back}
      <Heading text={`${ALERT_TYPE_LABEL[alert.type]} alert`} />
      <p className="nhsuk-body-l">{formatDateTime(alert.recorded)}</p>
      {alert.own ? (
        <div className="nhsuk-inset-text" data-testid="own-alert">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>This alert is about your own access. You cannot review an alert about your own access.</p>
        </div>
      ) : null}

      <section aria-labelledby="who-title" data-testid="alert-who">
        <h2 className="nhsuk-heading-m" id="who-title">
          Who
        </h2>
        <dl className="nhsuk-summary-list">
          <Row k="Name" v={who.name ?? 'Not recorded'} />
          <Row k="User ID" v={who.userId ?? 'Not recorded'} />
          <Row
            k="Role"
            v={who.roleName ? `${who.roleName}${who.roleCode ? ` (${who.roleCode})` : ''}` : 'Not recorded'}
          />
          {who.urid ? <Row k="Role profile" v={who.urid} /> : null}
          <Row
            k="Organisation"
            v={
              who.orgCode
                ? orgName(who.orgCode)
                  ? `${orgName(who.orgCode)} (${who.orgCode})`
                  : who.orgCode
                : 'Not recorded'
            }
          />
          <Row k="Workstation" v={who.workstationId ?? 'Not recorded'} />
          <Row k="When" v={formatDateTime(alert.recorded)} />
        </dl>
      </section>

      <section aria-labelledby="patient-title" data-testid="alert-patient">
        <h2 className="nhsuk-heading-m" id="patient-title">
          Patient
        </h2>
        <dl className="nhsuk-summary-list">
          <Row k="NHS number" v={patient.nhsNumber ? displayNhsNumber(patient.nhsNumber) : 'Not recorded'} />
          {patient.name ? <Row k="Name" v={patient.name} /> : null}
        </dl>
      </section>

      <section aria-labelledby="reason-title" data-testid="alert-reason">
        <h2 className="nhsuk-heading-m" id="reason-title">
          Reason given
        </h2>
        <dl className="nhsuk-summary-list">
          <Row
            k="Reason"
            v={`${alert.reasonLabel}${alert.reasonCode ? ` (code ${alert.reasonCode})` : ''}`}
          />
        </dl>
        <h3 className="nhsuk-heading-s">In their own words</h3>
        {detail.reasonText ? (
          <blockquote className="nhsuk-inset-text app-own-words" data-testid="reason-text">
            <p>{detail.reasonText}</p>
          </blockquote>
        ) : (
          <p className="nhsuk-body">Nothing was written.</p>
        )}
      </section>

      <Reads reads={detail.reads} />
      <AttendanceCheck attendance={detail.attendance} />

      <section aria-labelledby="review-title" data-testid="alert-review">
        <h2 className="nhsuk-heading-m" id="review-title">
          Review
        </h2>
        <FeedbackBlock feedback={feedback} />
        <ReviewSummary review={review} me={me} />
      </section>

      {alert.own ? null : (
        <ReviewActions
          key={alert.id}
          review={review}
          me={me}
          act={act}
          onProblems={(items) => setFeedback({ kind: 'problems', items })}
        />
      )}
      {back}
    </main>
  );
}

function Heading({ text }: { text: string }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <h1 className="nhsuk-heading-l nhsuk-u-margin-bottom-2" ref={heading} tabIndex={-1}>
      {text}
    </h1>
  );
}

function LoadingOrError({ loaded }: { loaded: Loaded }) {
  const heading = useFocusOnMount<HTMLHeadingElement>(loaded.state);
  return (
    <>
      <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
        {loaded.state === 'error' ? 'This alert cannot be shown' : 'Loading the alert…'}
      </h1>
      {loaded.state === 'error' ? <ErrorSummary items={[{ text: loaded.message }]} /> : null}
    </>
  );
}

function Reads({ reads }: { reads: readonly EncounterRead[] }) {
  return (
    <section aria-labelledby="reads-title" data-testid="alert-reads">
      <h2 className="nhsuk-heading-m" id="reads-title">
        What was done under this access
      </h2>
      {reads.length === 0 ? (
        <p className="nhsuk-body">Nothing was read or recorded under this access.</p>
      ) : (
        <div className="app-table-scroll">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
              Events under the same encounter, oldest first
            </caption>
            <thead className="nhsuk-table__head">
              <tr>
                {['Time', 'What', 'Record', 'Sections', 'Outcome', 'Workstation'].map((h) => (
                  <th scope="col" className="nhsuk-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {reads.map((e) => (
                <tr className="nhsuk-table__row" key={e.id}>
                  <td className="nhsuk-table__cell">{formatDateTime(e.recorded)}</td>
                  <td className="nhsuk-table__cell">{eventLabel(e.type)}</td>
                  <td className="nhsuk-table__cell">{recordLabel(e.record)}</td>
                  <td className="nhsuk-table__cell">{e.sections.join(', ')}</td>
                  <td className="nhsuk-table__cell">{outcomeLabel(e.outcome)}</td>
                  <td className="nhsuk-table__cell">{e.workstationId ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AttendanceCheck({ attendance }: { attendance: Attendance }) {
  return (
    <section aria-labelledby="attendance-title" data-testid="alert-attendance">
      <h2 className="nhsuk-heading-m" id="attendance-title">
        Attendance check
      </h2>
      {!attendance.checked ? (
        <p className="nhsuk-body" data-attendance="not-checked">
          Attendance could not be checked: {attendance.reason}
        </p>
      ) : attendance.found ? (
        <div data-attendance="found">
          <p className="nhsuk-body">
            <strong>Attendance found</strong>: the shared care record holds an encounter for this patient at
            the user&apos;s organisation within 24 hours of the access.
          </p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {attendance.encounters.map((e) => (
              <li key={`${e.start}|${e.orgCode}|${e.kind}`}>
                {e.kind} at {e.orgName ? `${e.orgName} (${e.orgCode})` : e.orgCode}, {formatDateTime(e.start)}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="app-flag" data-attendance="not-found">
          <p className="nhsuk-body nhsuk-u-margin-bottom-2">
            <span className="nhsuk-u-visually-hidden">Flag: </span>
            <strong>No attendance found</strong>
          </p>
          <p className="nhsuk-body nhsuk-u-margin-bottom-0">
            The shared care record holds no encounter for this patient at the user&apos;s organisation within
            24 hours of the access. This is a flag, not a verdict: there may be a good reason, so ask before
            you decide.
          </p>
        </div>
      )}
    </section>
  );
}

function ReviewSummary({ review, me }: { review: ReviewState; me: string }) {
  return (
    <>
      <dl className="nhsuk-summary-list" data-testid="review-state">
        <Row k="Status" v={REVIEW_STATUS_LABEL[review.status]} />
        <Row k="Owner" v={ownerText(review.owner, me)} />
        <Row
          k="Escalated to"
          v={review.escalatedTo ? ESCALATION_LABEL[review.escalatedTo] : 'Not escalated'}
        />
        <Row k="Patient to be informed" v={review.patientToBeInformed ? 'Yes' : 'No'} />
        {review.lastChanged ? (
          <Row
            k="Last changed"
            v={`${formatDateTime(review.lastChanged)}${review.lastChangedBy ? ` by ${ownerText(review.lastChangedBy, me)}` : ''}`}
          />
        ) : null}
      </dl>
      <h3 className="nhsuk-heading-s">Notes</h3>
      {review.notes.length === 0 ? (
        <p className="nhsuk-body">No notes yet.</p>
      ) : (
        <ol className="app-notes" data-testid="review-notes">
          {review.notes.map((n, i) => (
            <li key={`${n.time}|${i}`} className="app-notes__item">
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                <strong>{ownerText(n.author, me)}</strong>, {formatDateTime(n.time)}
              </p>
              <p className="nhsuk-body app-own-words nhsuk-u-margin-bottom-0">{n.text}</p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function FeedbackBlock({ feedback }: { feedback: Feedback | null }) {
  if (!feedback) return <div role="status" className="app-live" />;
  switch (feedback.kind) {
    case 'saved':
      return (
        <div role="status" className="app-live">
          <p className="app-saved nhsuk-body" data-testid="review-saved">
            {feedback.text}
          </p>
        </div>
      );
    case 'problems':
      return <ErrorSummary items={feedback.items} />;
    case 'conflict':
      return <ConflictNotice key={feedback.key} message={feedback.message} />;
  }
}

/** Someone else changed the review first: said prominently, with focus, above the newer state. */
function ConflictNotice({ message }: { message: string }) {
  const ref = useFocusOnMount<HTMLDivElement>();
  return (
    <div
      className="nhsuk-error-summary"
      ref={ref}
      tabIndex={-1}
      aria-labelledby="conflict-title"
      data-testid="review-conflict"
    >
      <div role="alert">
        <h3 className="nhsuk-error-summary__heading" id="conflict-title">
          Someone else changed this review first
        </h3>
        <div className="nhsuk-error-summary__body">
          <p className="nhsuk-body">{message}</p>
          <p className="nhsuk-body nhsuk-u-margin-bottom-0">
            What you typed is still in its field: check it against the review below and send it again if it is
            still right.
          </p>
        </div>
      </div>
    </div>
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
