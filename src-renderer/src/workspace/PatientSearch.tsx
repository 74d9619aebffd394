/**
 * Patient search: by NHS number (grouped 3-3-4 and checked as you type) or by name and date of birth. The results
 * identify people (name, NHS number, birth date, address, GP) and carry no clinical data.
 *
 * Only the answer to the search last asked is ever on screen: asking again clears the results at once, before the
 * new answer comes, and so does a search whose input is refused or that fails (hazard H-02). A late answer to an
 * earlier search is dropped.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { EncounterView, PatientSummary } from '../../../src-shared/domain/records';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { TextField } from '../components/Fields';
import { nhsEntryState, reformatNhsInput } from '../view/nhs-number-input';
import { parseDateOfBirth, type DateParts } from '../view/dates';
import { DateInput } from '../components/DateInput';
import { SearchResults } from './SearchResults';

type SearchRequest = Parameters<ReturnType<typeof api>['patients']['search']>[0];

export function PatientSearch({ onOpen }: { onOpen: (e: EncounterView) => void }) {
  const alive = useAlive();
  const [nhs, setNhs] = useState('');
  const [nhsTouched, setNhsTouched] = useState(false);
  const [family, setFamily] = useState('');
  const [given, setGiven] = useState('');
  const [dob, setDob] = useState<DateParts>({ day: '', month: '', year: '' });
  const [problems, setProblems] = useState<ProblemItem[]>([]);
  const [results, setResults] = useState<PatientSummary[] | null>(null);
  /** The demographic search that just found nobody: similar spellings may be offered for it. */
  const [fuzzyOffer, setFuzzyOffer] = useState<Extract<SearchRequest, { kind: 'demographics' }> | null>(null);
  /** The demographic search that just found nobody (any kind): the hint says what to try next. */
  const [lastDemographic, setLastDemographic] = useState<Extract<
    SearchRequest,
    { kind: 'demographics' }
  > | null>(null);
  const [busy, setBusy] = useState(false);
  const nhsInput = useRef<HTMLInputElement>(null);
  /** Counts searches asked; an answer is shown only if no later search was asked meanwhile. */
  const asked = useRef(0);

  // The NHS number is what most searches start from: the cursor waits there.
  useEffect(() => {
    nhsInput.current?.focus();
  }, []);

  /** Clears everything the last search showed (results, its hints); a new search or a refusal starts here. */
  const clearResults = () => {
    asked.current += 1;
    setResults(null);
    setFuzzyOffer(null);
    setLastDemographic(null);
  };

  const entry = nhsEntryState(nhs);
  const nhsError =
    problems.find((p) => p.fieldId === 'nhs-number')?.text ??
    (entry.kind === 'invalid' && nhsTouched ? entry.message : null);

  const onNhsChange = (raw: string, caret: number) => {
    const f = reformatNhsInput(raw, caret);
    setNhs(f.value);
    setNhsTouched(true);
    setProblems((ps) => ps.filter((p) => p.fieldId !== 'nhs-number'));
    requestAnimationFrame(() => nhsInput.current?.setSelectionRange(f.caret, f.caret));
  };

  const runSearch = async (request: SearchRequest) => {
    clearResults();
    const mine = asked.current;
    setProblems([]);
    setBusy(true);
    try {
      const r = await api().patients.search(request);
      if (!alive.current || mine !== asked.current) return;
      if (r.ok) {
        setResults(r.value.results);
        if (r.value.results.length === 0 && request.kind === 'demographics') {
          setLastDemographic(request);
          // PDS matches similar spellings only with the given name, family name and date of birth.
          if (!request.fuzzy) setFuzzyOffer(request);
        }
      } else {
        setProblems([{ text: errorText(r.error) }]);
      }
    } finally {
      if (alive.current && mine === asked.current) setBusy(false);
    }
  };

  const searchByNhs = (e: FormEvent) => {
    e.preventDefault();
    setNhsTouched(true);
    if (entry.kind !== 'valid') {
      clearResults();
      const text =
        entry.kind === 'empty'
          ? 'Enter the NHS number'
          : entry.kind === 'incomplete'
            ? 'NHS number must be 10 numbers'
            : entry.message;
      setProblems([{ text, fieldId: 'nhs-number' }]);
      return;
    }
    void runSearch({ kind: 'nhs-number', nhsNumber: entry.nhsNumber });
  };

  const searchByDemographics = (e: FormEvent) => {
    e.preventDefault();
    const found: ProblemItem[] = [];
    if (!family.trim()) found.push({ text: 'Enter the family name (surname)', fieldId: 'family' });
    const date = parseDateOfBirth(dob, new Date());
    if (!date.ok) found.push({ text: date.message, fieldId: `dob-${date.field}` });
    if (found.length || !date.ok) {
      clearResults();
      setProblems(found);
      return;
    }
    const g = given.trim();
    void runSearch({
      kind: 'demographics',
      family: family.trim(),
      birthDate: date.iso,
      ...(g ? { given: g } : {}),
    });
  };

  const fieldError = (id: string) => problems.find((p) => p.fieldId === id)?.text ?? null;
  const dobError = problems.find((p) => p.fieldId?.startsWith('dob-'))?.text ?? null;

  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="search">
      <h1 className="nhsuk-heading-l" tabIndex={-1}>
        Find a patient
      </h1>
      {problems.length ? <ErrorSummary items={problems} /> : null}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <form noValidate onSubmit={searchByNhs} aria-labelledby="by-nhs-title">
            <h2 className="nhsuk-heading-m" id="by-nhs-title">
              By NHS number
            </h2>
            <TextField
              id="nhs-number"
              label="NHS number"
              hint={
                entry.kind === 'valid'
                  ? 'Valid NHS number.'
                  : entry.kind === 'incomplete'
                    ? `${entry.digits} of 10 numbers. For example, 999 123 4567.`
                    : 'For example, 999 123 4567.'
              }
              error={nhsError}
              inputClass="nhsuk-input--width-10 nhsuk-input--code"
              ref={nhsInput}
              value={nhs}
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => onNhsChange(e.target.value, e.target.selectionStart ?? e.target.value.length)}
              data-valid={entry.kind === 'valid' ? 'true' : 'false'}
            />
            <button type="submit" className="nhsuk-button" disabled={busy}>
              Search by NHS number
            </button>
          </form>
        </div>
        <div className="nhsuk-grid-column-one-half">
          <form noValidate onSubmit={searchByDemographics} aria-labelledby="by-name-title">
            <h2 className="nhsuk-heading-m" id="by-name-title">
              By name and date of birth
            </h2>
            <TextField
              id="family"
              label="Family name (surname)"
              error={fieldError('family')}
              value={family}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setFamily(e.target.value)}
            />
            <TextField
              id="given"
              label="Given name (optional)"
              value={given}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setGiven(e.target.value)}
            />
            <DateInput
              id="dob"
              legend="Date of birth"
              hint="For example, 31 3 1980"
              value={dob}
              onChange={setDob}
              error={dobError}
            />
            <button type="submit" className="nhsuk-button" disabled={busy}>
              Search by name and date of birth
            </button>
          </form>
        </div>
      </div>
      {busy ? (
        <p className="nhsuk-body" role="status" data-testid="searching">
          Searching…
        </p>
      ) : null}
      {results ? <SearchResults results={results} onOpen={onOpen} /> : null}
      {lastDemographic ? (
        <p className="nhsuk-body" data-testid="fuzzy-hint">
          Check the surname is spelt exactly as the patient spells it, or search by NHS number.
          {lastDemographic.given || lastDemographic.fuzzy
            ? null
            : ' To search with similar spellings, add the given name.'}
        </p>
      ) : null}
      {fuzzyOffer?.given ? (
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          data-testid="fuzzy-search"
          disabled={busy}
          onClick={() => void runSearch({ ...fuzzyOffer, fuzzy: true })}
        >
          Search again with similar spellings
        </button>
      ) : null}
    </main>
  );
}
