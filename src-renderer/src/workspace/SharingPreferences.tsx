/**
 * The patient's sharing preferences (SCR level, sensitive items, MIG) and their history. Users whose role has
 * B0020 (main says so in `can.changePreferences`) may change them, recording the patient's wishes as given.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { PreferenceChange, SharingPreferences as Prefs } from '../../../src-shared/domain/records';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { RadioGroup, TextArea } from '../components/Fields';
import { formatDateTime } from '../view/dates';
import { MIG_LABEL, SCR_LEVEL_LABEL, SENSITIVE_LABEL } from '../view/record';

type Loaded = { current: Prefs; history: PreferenceChange[] };

export function SharingPreferences({
  nhsNumber,
  canChange,
  onChanged,
}: {
  nhsNumber: string;
  canChange: boolean;
  onChanged: () => void;
}) {
  const alive = useAlive();
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    void api()
      .preferences.get({ nhsNumber })
      .then((r) => {
        if (!alive.current) return;
        if (r.ok) setData(r.value);
        else setLoadError(errorText(r.error));
      });
  }, [nhsNumber, alive]);

  if (loadError) return <p className="nhsuk-body">{loadError}</p>;
  if (!data)
    return (
      <p className="nhsuk-body" role="status">
        Loading sharing preferences…
      </p>
    );
  return (
    <div data-testid="preferences">
      <h2 className="nhsuk-heading-m">Sharing preferences</h2>
      <dl className="nhsuk-summary-list">
        <Row k="Summary Care Record" v={SCR_LEVEL_LABEL[data.current.scr]} />
        <Row k="Sensitive information" v={SENSITIVE_LABEL[data.current.sensitive]} />
        <Row k="GP record through the MIG" v={MIG_LABEL[data.current.mig]} />
      </dl>
      {canChange ? (
        <ChangeForm
          nhsNumber={nhsNumber}
          current={data.current}
          onSaved={(d) => {
            setData(d);
            onChanged();
          }}
        />
      ) : (
        <p className="nhsuk-body">Your role cannot change sharing preferences.</p>
      )}
      <h2 className="nhsuk-heading-m">History</h2>
      {data.history.length === 0 ? (
        <p className="nhsuk-body">No changes recorded.</p>
      ) : (
        <ul className="nhsuk-list nhsuk-list--border" data-testid="preferences-history">
          {[...data.history].reverse().map((h) => (
            <li key={`${h.at}-${h.byUserId}`}>
              <p className="nhsuk-body nhsuk-u-margin-bottom-1">
                <strong>{formatDateTime(h.at)}</strong> by {h.byName}
              </p>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{changeSummary(h)}</p>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">Patient said: “{h.patientStatement}”</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function changeSummary(h: PreferenceChange): string {
  const parts: string[] = [];
  if (h.from.scr !== h.to.scr)
    parts.push(`SCR: ${SCR_LEVEL_LABEL[h.from.scr]} → ${SCR_LEVEL_LABEL[h.to.scr]}`);
  if (h.from.sensitive !== h.to.sensitive)
    parts.push(`Sensitive: ${SENSITIVE_LABEL[h.from.sensitive]} → ${SENSITIVE_LABEL[h.to.sensitive]}`);
  if (h.from.mig !== h.to.mig) parts.push(`MIG: ${MIG_LABEL[h.from.mig]} → ${MIG_LABEL[h.to.mig]}`);
  return parts.length ? parts.join('; ') : 'No change to the settings (statement recorded).';
}

function ChangeForm({
  nhsNumber,
  current,
  onSaved,
}: {
  nhsNumber: string;
  current: Prefs;
  onSaved: (d: Loaded) => void;
}) {
  const alive = useAlive();
  const [scr, setScr] = useState<Prefs['scr']>(current.scr);
  const [sensitive, setSensitive] = useState<Prefs['sensitive']>(current.sensitive);
  const [mig, setMig] = useState<Prefs['mig']>(current.mig);
  const [statement, setStatement] = useState('');
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (!statement.trim()) {
      setProblems([{ text: "Record the patient's wishes in their own words", fieldId: 'pref-statement' }]);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      const r = await api().preferences.set({
        nhsNumber,
        scr,
        sensitive,
        mig,
        patientStatement: statement.trim(),
      });
      if (!alive.current) return;
      if (r.ok) {
        setStatement('');
        setSaved(true);
        onSaved(r.value);
      } else setProblems([{ text: errorText(r.error) }]);
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-labelledby="pref-change-title">
      <h2 className="nhsuk-heading-m" id="pref-change-title">
        Change sharing preferences
      </h2>
      {saved ? (
        <div className="nhsuk-inset-text" role="status">
          <p>Sharing preferences saved.</p>
        </div>
      ) : null}
      {problems.length ? <ErrorSummary items={problems} /> : null}
      <RadioGroup
        id="pref-scr"
        legend="Summary Care Record"
        legendClass="nhsuk-fieldset__legend--s"
        value={scr}
        onChange={setScr}
        options={(['core', 'core-and-additional', 'opted-out'] as const).map((v) => ({
          value: v,
          label: SCR_LEVEL_LABEL[v],
        }))}
      />
      <RadioGroup
        id="pref-sensitive"
        legend="Sensitive information (sexual health, IVF, terminations, gender reassignment)"
        legendClass="nhsuk-fieldset__legend--s"
        hint="Share only with the patient's explicit, specific consent."
        value={sensitive}
        onChange={setSensitive}
        options={(['excluded', 'included'] as const).map((v) => ({ value: v, label: SENSITIVE_LABEL[v] }))}
      />
      <RadioGroup
        id="pref-mig"
        legend="GP record through the MIG"
        legendClass="nhsuk-fieldset__legend--s"
        value={mig}
        onChange={setMig}
        options={(['share', 'dissent'] as const).map((v) => ({ value: v, label: MIG_LABEL[v] }))}
      />
      <TextArea
        id="pref-statement"
        label="The patient's wishes, as they gave them"
        labelClass="nhsuk-label--s"
        hint="Write what the patient said. This is kept with the change."
        error={problems.find((p) => p.fieldId === 'pref-statement')?.text}
        value={statement}
        onChange={setStatement}
        maxLength={1000}
      />
      <button type="submit" className="nhsuk-button" disabled={busy}>
        Save sharing preferences
      </button>
    </form>
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
