/**
 * The alert queue: alerts for the officer's organisations, newest first (main's order), a page at a time, with
 * counts per review status and a filter form (status, type, organisation, user, dates). Rows carry no patient.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { QueueFilter, QueueView, ReviewStatus } from '../../../src-shared/ipc/channels/review';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { CheckboxGroup, Select, TextField } from '../components/Fields';
import { PeriodInput } from '../components/DateInput';
import {
  ALERT_TYPE_LABEL,
  EMPTY_QUEUE_FORM,
  REVIEW_STATUSES,
  REVIEW_STATUS_LABEL,
  alertCount,
  pageRange,
  queueFilter,
  type QueueForm,
} from '../view/review';
import { AlertTable } from './AlertTable';

/** What the officer asked for: the form as typed, the filter last applied, the page. */
export interface QueueState {
  form: QueueForm;
  filter: QueueFilter;
  page: number;
}

export function Queue({
  me,
  state,
  onState,
  view,
  onView,
  newAlerts,
  onOpen,
  onSample,
}: {
  me: string;
  state: QueueState;
  onState: (s: QueueState) => void;
  view: QueueView | null;
  onView: (v: QueueView) => void;
  newAlerts: number;
  onOpen: (id: string) => void;
  onSample: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const alive = useAlive();
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  /** True from the officer's request (or mounting) until main answers; the effect below sends the request. */
  const [loading, setLoading] = useState(true);
  const [reload, setReload] = useState(0);
  const seq = useRef(0);
  /** Set by the officer's own actions (filter, page, refresh): the answer then takes focus so it is read out. */
  const focusResults = useRef(false);
  const { form, filter, page } = state;

  useEffect(() => {
    const mine = ++seq.current;
    void api()
      .review.queue({ filter, page })
      .then((r) => {
        if (!alive.current || mine !== seq.current) return;
        setLoading(false);
        if (r.ok) {
          onView(r.value);
          setProblems([]);
        } else {
          focusResults.current = false;
          setProblems([{ text: errorText(r.error) }]);
        }
      });
    // onView is the parent's setter wrapper; a new one each render must not ask again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter, page, reload, alive]);

  // The answer to the officer's own request takes focus once it is drawn.
  useEffect(() => {
    if (!focusResults.current || !view) return;
    focusResults.current = false;
    resultsHeading.current?.focus();
  }, [view]);

  const ask = (next: QueueState) => {
    focusResults.current = true;
    setLoading(true);
    onState(next);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const checked = queueFilter(form);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    // A new filter object asks again even when it equals the last one: "Apply" also refreshes.
    ask({ form, filter: checked.value, page: 0 });
  };

  const showStatus = (status: ReviewStatus | '') => {
    const nextFilter: QueueFilter = { ...filter };
    if (status) nextFilter.status = status;
    else delete nextFilter.status;
    ask({ form: { ...form, status }, filter: nextFilter, page: 0 });
  };

  const refresh = () => {
    focusResults.current = true;
    setLoading(true);
    setReload((n) => n + 1);
  };

  const setForm = (f: Partial<QueueForm>) => onState({ ...state, form: { ...form, ...f } });
  const problemFor = (prefix: string) => problems.find((p) => p.fieldId?.startsWith(prefix))?.text ?? null;

  const counts = view?.counts;
  const allCount = counts ? REVIEW_STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0) : 0;
  const pages = view ? Math.max(1, Math.ceil(view.total / view.pageSize)) : 1;

  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="alert-queue">
      <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
        Alerts
      </h1>
      {view ? (
        <p className="nhsuk-body" data-testid="queue-scope">
          Emergency access, legal overrides and self-claimed relationships at{' '}
          {view.scope.map((o) => `${o.orgName} (${o.orgCode})`).join(', ')}. Newest first.
        </p>
      ) : null}
      <div role="status" className="app-live">
        {newAlerts > 0 ? (
          <div className="app-notice" data-testid="new-alerts">
            <p className="nhsuk-body nhsuk-u-margin-bottom-2">
              <strong>{alertCount(newAlerts, 'new')}</strong>
            </p>
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
              onClick={refresh}
            >
              Refresh the queue
            </button>
          </div>
        ) : null}
      </div>
      {problems.length ? <ErrorSummary items={problems} /> : null}

      {counts ? (
        <nav aria-label="Alerts by status" data-testid="status-counts">
          <ul className="app-status-counts">
            <StatusLink
              label="Any status"
              count={allCount}
              current={!filter.status}
              onClick={() => showStatus('')}
            />
            {REVIEW_STATUSES.map((s) => (
              <StatusLink
                key={s}
                label={REVIEW_STATUS_LABEL[s]}
                count={counts[s] ?? 0}
                current={filter.status === s}
                onClick={() => showStatus(s)}
              />
            ))}
          </ul>
        </nav>
      ) : null}

      <form noValidate onSubmit={apply} className="app-filter" aria-labelledby="filter-title">
        <h2 className="nhsuk-heading-s" id="filter-title">
          Filter alerts
        </h2>
        <div className="app-filter__fields">
          <Select
            id="filter-status"
            label="Status"
            value={form.status}
            onChange={(status) => setForm({ status })}
            options={[
              { value: '' as const, label: 'Any status' },
              ...REVIEW_STATUSES.map((s) => ({ value: s, label: REVIEW_STATUS_LABEL[s] })),
            ]}
          />
          {view && view.scope.length > 1 ? (
            <Select
              id="filter-org"
              label="Organisation"
              value={form.org}
              onChange={(org) => setForm({ org })}
              options={[
                { value: '', label: 'All your organisations' },
                ...view.scope.map((o) => ({ value: o.orgCode, label: `${o.orgName} (${o.orgCode})` })),
              ]}
            />
          ) : null}
          <TextField
            id="filter-user"
            label="User ID"
            hint="12 numbers, as on the smartcard."
            error={problemFor('filter-user')}
            inputClass="nhsuk-input--width-10 nhsuk-input--code"
            value={form.user}
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setForm({ user: e.target.value })}
          />
        </div>
        {view && view.types.length > 1 ? (
          <CheckboxGroup
            id="filter-types"
            legend="Type"
            hint="Tick none to see every type."
            small
            value={form.types}
            onChange={(types) => setForm({ types })}
            options={view.types.map((t) => ({ value: t, label: ALERT_TYPE_LABEL[t] }))}
          />
        ) : null}
        <PeriodInput
          prefix="filter"
          from={form.from}
          to={form.to}
          onFrom={(from) => setForm({ from })}
          onTo={(to) => setForm({ to })}
          errorFor={problemFor}
          hint="For example, 24 11 2026"
        />
        <div className="app-actions">
          <button type="submit" className="nhsuk-button" disabled={loading}>
            Apply filters
          </button>
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary"
            disabled={loading}
            onClick={() => {
              setProblems([]);
              ask({ form: EMPTY_QUEUE_FORM, filter: {}, page: 0 });
            }}
          >
            Clear filters
          </button>
        </div>
      </form>

      <section aria-labelledby="queue-results-title" data-testid="queue-results">
        <h2 className="nhsuk-heading-m" id="queue-results-title" ref={resultsHeading} tabIndex={-1}>
          {view ? alertCount(view.total) : 'Loading alerts…'}
        </h2>
        {view ? (
          <>
            <p className="nhsuk-body-s">
              {pageRange(view.page, view.pageSize, view.alerts.length, view.total)}
            </p>
            {view.alerts.length ? (
              <AlertTable caption="Alerts, newest first" alerts={view.alerts} me={me} onOpen={onOpen} />
            ) : (
              <p className="nhsuk-body">No alerts match. Change or clear the filters.</p>
            )}
            {pages > 1 ? (
              <nav className="app-actions app-pages" aria-label="Queue pages">
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary"
                  disabled={loading || view.page <= 0}
                  onClick={() => ask({ ...state, page: view.page - 1 })}
                >
                  Previous page
                </button>
                <span className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  Page {view.page + 1} of {pages}
                </span>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary"
                  disabled={loading || view.page + 1 >= pages}
                  onClick={() => ask({ ...state, page: view.page + 1 })}
                >
                  Next page
                </button>
              </nav>
            ) : null}
          </>
        ) : null}
      </section>

      <section aria-labelledby="sample-title" className="nhsuk-u-margin-top-6">
        <h2 className="nhsuk-heading-m" id="sample-title">
          Second-line review
        </h2>
        <p className="nhsuk-body">Draw a random sample of alerts over a period for a second look.</p>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onSample}>
          Draw a sample
        </button>
      </section>
    </main>
  );
}

function StatusLink({
  label,
  count,
  current,
  onClick,
}: {
  label: string;
  count: number;
  current: boolean;
  onClick: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        className={`app-link-button${current ? ' app-link-button--current' : ''}`}
        aria-current={current ? 'true' : undefined}
        onClick={onClick}
      >
        {label} <span className="app-count">({count})</span>
      </button>
    </li>
  );
}
