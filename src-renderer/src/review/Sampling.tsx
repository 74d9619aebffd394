/**
 * Sampling for second-line review: a random draw (a percentage or a number) of the alerts in a period. Main
 * records the seed and the selection; entering the same seed again shows the same draw. Rows carry no patient.
 */
import { useState, type FormEvent } from 'react';
import type { SampleView } from '../../../src-shared/ipc/channels/review';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { RadioGroup, TextField } from '../components/Fields';
import { PeriodInput } from '../components/DateInput';
import { formatDate } from '../view/dates';
import { alertCount, sampleRequest, type SampleForm } from '../view/review';
import { AlertTable } from './AlertTable';

export function Sampling({
  me,
  form,
  onForm,
  result,
  onResult,
  onOpen,
  onBack,
}: {
  me: string;
  form: SampleForm;
  onForm: (f: SampleForm) => void;
  result: SampleView | null;
  onResult: (r: SampleView) => void;
  onOpen: (id: string) => void;
  onBack: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const alive = useAlive();
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (f: Partial<SampleForm>) => onForm({ ...form, ...f });
  const problemFor = (prefix: string) => problems.find((p) => p.fieldId?.startsWith(prefix))?.text ?? null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = sampleRequest(form);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      const r = await api().review.sample(checked.value);
      if (!alive.current) return;
      if (r.ok) {
        onResult(r.value);
      } else setProblems([{ text: errorText(r.error) }]);
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="alert-sample">
      <div>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onBack}>
          Back to the queue
        </button>
      </div>
      <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
        Draw a sample for second-line review
      </h1>
      <p className="nhsuk-body">
        The draw is random. Its seed and the alerts drawn are recorded, so the same draw can be shown again.
      </p>
      {problems.length ? <ErrorSummary items={problems} /> : null}
      <form noValidate onSubmit={(e) => void submit(e)}>
        <PeriodInput
          prefix="sample"
          from={form.from}
          to={form.to}
          onFrom={(from) => set({ from })}
          onTo={(to) => set({ to })}
          errorFor={problemFor}
          hint="For example, 1 11 2026"
        />
        <RadioGroup
          id="sample-kind"
          legend="How big should the sample be?"
          legendClass="nhsuk-fieldset__legend--s"
          error={problemFor('sample-kind')}
          value={form.kind}
          onChange={(kind) => set({ kind, value: '' })}
          options={[
            {
              value: 'percent',
              label: 'A percentage of the alerts',
              conditional: (
                <TextField
                  id="sample-percent"
                  label="Percentage"
                  hint="More than 0, up to 100."
                  error={problemFor('sample-percent')}
                  inputClass="nhsuk-input--width-4"
                  inputMode="decimal"
                  autoComplete="off"
                  value={form.value}
                  onChange={(e) => set({ value: e.target.value })}
                />
              ),
            },
            {
              value: 'count',
              label: 'A number of alerts',
              conditional: (
                <TextField
                  id="sample-count"
                  label="Number of alerts"
                  hint="From 1 to 2000."
                  error={problemFor('sample-count')}
                  inputClass="nhsuk-input--width-4"
                  inputMode="numeric"
                  autoComplete="off"
                  value={form.value}
                  onChange={(e) => set({ value: e.target.value })}
                />
              ),
            },
          ]}
        />
        <TextField
          id="sample-seed"
          label="Seed (optional)"
          hint="Leave empty for a new draw. To show an earlier draw again, enter its seed and the same period and size."
          error={problemFor('sample-seed')}
          inputClass="nhsuk-input--width-20 nhsuk-input--code"
          autoComplete="off"
          spellCheck={false}
          value={form.seed}
          onChange={(e) => set({ seed: e.target.value })}
        />
        <button type="submit" className="nhsuk-button" disabled={busy}>
          Draw the sample
        </button>
      </form>

      {result ? <SampleResult result={result} me={me} onOpen={onOpen} /> : null}
    </main>
  );
}

/** The draw: its seed (to show it again), the period, how many of how many, and the rows. */
function SampleResult({
  result,
  me,
  onOpen,
}: {
  result: SampleView;
  me: string;
  onOpen: (id: string) => void;
}) {
  // Each new draw takes focus so it is read out (on coming back to the screen its h1 is focused last, and wins).
  const heading = useFocusOnMount<HTMLHeadingElement>(result);
  return (
    <section aria-labelledby="sample-result-title" data-testid="sample-result">
      <h2 className="nhsuk-heading-m" id="sample-result-title" ref={heading} tabIndex={-1}>
        {alertCount(result.alerts.length)} drawn from {result.population}
      </h2>
      <p className="nhsuk-body">
        Period: {formatDate(result.from)} to {formatDate(result.to)}.
      </p>
      <p className="nhsuk-body" data-testid="sample-seed">
        Seed: <code className="app-seed">{result.seed}</code> — enter it again to show the same draw.
      </p>
      {result.alerts.length ? (
        <AlertTable
          caption="Alerts drawn for second-line review"
          alerts={result.alerts}
          me={me}
          onOpen={onOpen}
        />
      ) : (
        <p className="nhsuk-body">The period holds no alerts to draw from.</p>
      )}
    </section>
  );
}
