/**
 * Reports (B0011). Green: counts of alerts grouped as asked, with small-number suppression, as a table, a weekly
 * chart and CSV. Amber: a pseudonymised extract as CSV or NDJSON. Each declares a purpose of use; main refuses
 * insurance and marketing always, and its words are shown as they are.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ExtractView, ReportView } from '../../../src-shared/ipc/channels/review';
import type { IpcError } from '../../../src-shared/ipc/result';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { ErrorSummary, type ProblemItem } from '../components/ErrorSummary';
import { CheckboxGroup, RadioGroup } from '../components/Fields';
import { PeriodInput } from '../components/DateInput';
import { type DateParts } from '../view/dates';
import {
  ALERT_TYPES,
  ALERT_TYPE_LABEL,
  EMPTY_DAY,
  GROUP_FIELDS,
  GROUP_FIELD_LABEL,
  checkPeriod,
  checkPurpose,
  downloadName,
  reportValue,
  type GroupField,
  type PurposeChoice,
} from '../view/review';
import { PurposeField, type PurposeList } from './PurposeField';
import { WeeklyChart } from './WeeklyChart';
import { DownloadButton } from './Download';

type Which = 'report' | 'extract';
type Problems = { which: Which; title?: string; items: ProblemItem[] } | null;

const NO_PURPOSE: PurposeChoice = { choice: null, other: '' };

export function ReportsArea() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const alive = useAlive();
  const [purposes, setPurposes] = useState<PurposeList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problems>(null);
  const [busy, setBusy] = useState<Which | null>(null);

  const [reportPurpose, setReportPurpose] = useState<PurposeChoice>(NO_PURPOSE);
  const [by, setBy] = useState<GroupField[]>(['week', 'type']);
  const [reportFrom, setReportFrom] = useState<DateParts>(EMPTY_DAY);
  const [reportTo, setReportTo] = useState<DateParts>(EMPTY_DAY);
  const [report, setReport] = useState<ReportView | null>(null);

  const [extractPurpose, setExtractPurpose] = useState<PurposeChoice>(NO_PURPOSE);
  const [format, setFormat] = useState<'csv' | 'ndjson' | null>(null);
  const [extractFrom, setExtractFrom] = useState<DateParts>(EMPTY_DAY);
  const [extractTo, setExtractTo] = useState<DateParts>(EMPTY_DAY);
  const [extract, setExtract] = useState<ExtractView | null>(null);

  useEffect(() => {
    void api()
      .review.purposes({})
      .then((r) => {
        if (!alive.current) return;
        if (r.ok) setPurposes(r.value);
        else setLoadError(errorText(r.error));
      });
  }, [alive]);

  const items = (which: Which) => (problems?.which === which ? problems.items : []);
  const exact = (which: Which) => (id: string) => items(which).find((p) => p.fieldId === id)?.text ?? null;
  const starting = (which: Which) => (prefix: string) =>
    items(which).find((p) => p.fieldId?.startsWith(prefix))?.text ?? null;

  /** A refusal (insurance, marketing) is main's own words, linked to the purpose question. */
  const ipcProblem = (which: Which, error: IpcError): Problems =>
    error.code === 'refused'
      ? {
          which,
          title: 'This purpose of use is refused',
          items: [{ text: error.message, fieldId: `${which}-purpose` }],
        }
      : { which, items: [{ text: errorText(error) }] };

  const runReport = async (e: FormEvent) => {
    e.preventDefault();
    const found: ProblemItem[] = [];
    const purpose = checkPurpose('report', reportPurpose);
    if (!purpose.ok) found.push(...purpose.problems);
    if (by.length === 0)
      found.push({ text: 'Select at least one way to group the counts', fieldId: 'report-by' });
    const period = checkPeriod('report', reportFrom, reportTo, false);
    if (!period.ok) found.push(...period.problems);
    if (found.length || !purpose.ok || !period.ok) {
      setProblems({ which: 'report', items: found });
      return;
    }
    setProblems(null);
    setBusy('report');
    try {
      const r = await api().review.report({
        purpose: purpose.value,
        by,
        ...(period.value.from ? { from: period.value.from } : {}),
        ...(period.value.to ? { to: period.value.to } : {}),
      });
      if (!alive.current) return;
      if (r.ok) {
        setReport(r.value);
      } else {
        setReport(null);
        setProblems(ipcProblem('report', r.error));
      }
    } finally {
      if (alive.current) setBusy(null);
    }
  };

  const runExtract = async (e: FormEvent) => {
    e.preventDefault();
    const found: ProblemItem[] = [];
    const purpose = checkPurpose('extract', extractPurpose);
    if (!purpose.ok) found.push(...purpose.problems);
    if (!format) found.push({ text: 'Select the format of the extract', fieldId: 'extract-format' });
    const period = checkPeriod('extract', extractFrom, extractTo, false);
    if (!period.ok) found.push(...period.problems);
    if (found.length || !purpose.ok || !period.ok || !format) {
      setProblems({ which: 'extract', items: found });
      return;
    }
    setProblems(null);
    setBusy('extract');
    try {
      const r = await api().review.extract({
        purpose: purpose.value,
        format,
        ...(period.value.from ? { from: period.value.from } : {}),
        ...(period.value.to ? { to: period.value.to } : {}),
      });
      if (!alive.current) return;
      if (r.ok) {
        setExtract(r.value);
      } else {
        setExtract(null);
        setProblems(ipcProblem('extract', r.error));
      }
    } finally {
      if (alive.current) setBusy(null);
    }
  };

  const summary = (which: Which) =>
    problems?.which === which ? (
      <ErrorSummary id={`${which}-errors`} title={problems.title} items={problems.items} />
    ) : null;

  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="reports">
      <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
        Reports
      </h1>
      <p className="nhsuk-body">
        Reports count alerts without naming anyone. Extracts replace NHS numbers and user IDs with pseudonyms,
        cut times to the day and leave out free text. Each declares why it is made, and each is logged.
      </p>
      {loadError ? <ErrorSummary items={[{ text: loadError }]} /> : null}
      {!purposes && !loadError ? (
        <p className="nhsuk-body" role="status">
          Loading…
        </p>
      ) : null}
      {purposes ? (
        <>
          <section aria-labelledby="report-title" className="app-report-section">
            <h2 className="nhsuk-heading-m" id="report-title">
              Counts of alerts (green)
            </h2>
            {summary('report')}
            <form noValidate onSubmit={(e) => void runReport(e)}>
              <PurposeField
                prefix="report"
                list={purposes}
                value={reportPurpose}
                onChange={setReportPurpose}
                errorFor={exact('report')}
              />
              <CheckboxGroup
                id="report-by"
                legend="Group the counts by"
                small
                error={exact('report')('report-by')}
                value={by}
                onChange={setBy}
                options={GROUP_FIELDS.map((f) => ({ value: f, label: GROUP_FIELD_LABEL[f] }))}
              />
              <PeriodInput
                prefix="report"
                from={reportFrom}
                to={reportTo}
                onFrom={setReportFrom}
                onTo={setReportTo}
                errorFor={starting('report')}
                hint="Optional. For example, 1 11 2026"
              />
              <button type="submit" className="nhsuk-button" disabled={busy !== null}>
                Run the report
              </button>
            </form>
            {report ? <ReportResult report={report} /> : null}
          </section>

          <section aria-labelledby="extract-title" className="app-report-section">
            <h2 className="nhsuk-heading-m" id="extract-title">
              Pseudonymised extract (amber)
            </h2>
            <p className="nhsuk-body">
              One row per logged event, every kind. NHS numbers and user IDs are replaced by this
              organisation&apos;s pseudonyms; names, free text and anything else that could identify someone
              are left out.
            </p>
            {summary('extract')}
            <form noValidate onSubmit={(e) => void runExtract(e)}>
              <PurposeField
                prefix="extract"
                list={purposes}
                value={extractPurpose}
                onChange={setExtractPurpose}
                errorFor={exact('extract')}
              />
              <RadioGroup
                id="extract-format"
                legend="Format"
                legendClass="nhsuk-fieldset__legend--s"
                error={exact('extract')('extract-format')}
                value={format}
                onChange={setFormat}
                options={[
                  { value: 'csv', label: 'CSV', hint: 'For a spreadsheet.' },
                  { value: 'ndjson', label: 'NDJSON', hint: 'One JSON object a line, for analysis tools.' },
                ]}
              />
              <PeriodInput
                prefix="extract"
                from={extractFrom}
                to={extractTo}
                onFrom={setExtractFrom}
                onTo={setExtractTo}
                errorFor={starting('extract')}
                hint="Optional. For example, 1 11 2026"
              />
              <button type="submit" className="nhsuk-button" disabled={busy !== null}>
                Make the extract
              </button>
            </form>
            {extract ? <ExtractResult extract={extract} /> : null}
          </section>
        </>
      ) : null}
    </main>
  );
}

function ReportResult({ report }: { report: ReportView }) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>(report);
  const fields = report.by as GroupField[];
  return (
    <div className="app-report" data-testid="report-result">
      <h3 className="nhsuk-heading-m" ref={headingRef} tabIndex={-1}>
        Report
      </h3>
      <p className="nhsuk-body">
        Made from {report.events} {report.events === 1 ? 'alert' : 'alerts'}. Counts from 1 to 7 are shown as
        *; every other count is rounded to the nearest 5, and the total is rounded from the true counts.
      </p>
      <div className="app-table-scroll">
        <table className="nhsuk-table" data-testid="report-table">
          <caption className="nhsuk-table__caption">
            Alerts by {fields.map((f) => GROUP_FIELD_LABEL[f].toLowerCase()).join(', ')}
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              {fields.map((f) => (
                <th scope="col" className="nhsuk-table__header" key={f}>
                  {GROUP_FIELD_LABEL[f]}
                </th>
              ))}
              <th scope="col" className="nhsuk-table__header app-numeric">
                Count
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {report.rows.map((row) => (
              <tr className="nhsuk-table__row" key={row.values.join('\u0000')}>
                {row.values.map((v, i) => (
                  <td className="nhsuk-table__cell" key={`${i}|${v}`}>
                    {reportValue(fields[i], v)}
                  </td>
                ))}
                <td className="nhsuk-table__cell app-numeric">{row.count}</td>
              </tr>
            ))}
            <tr className="nhsuk-table__row app-total-row" data-testid="report-total">
              <th scope="row" className="nhsuk-table__header" colSpan={Math.max(1, fields.length)}>
                Total
              </th>
              <td className="nhsuk-table__cell app-numeric">{report.total}</td>
            </tr>
          </tbody>
        </table>
      </div>

      <h3 className="nhsuk-heading-s">Overrides per week, by type</h3>
      {report.weekly.length ? (
        <>
          <WeeklyChart weekly={report.weekly} />
          <div className="app-table-scroll">
            <table className="nhsuk-table" data-testid="weekly-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                The chart&apos;s counts: alerts per week, by type
              </caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col" className="nhsuk-table__header">
                    Week
                  </th>
                  {ALERT_TYPES.map((t) => (
                    <th scope="col" className="nhsuk-table__header app-numeric" key={t}>
                      {ALERT_TYPE_LABEL[t]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {report.weekly.map((w) => (
                  <tr className="nhsuk-table__row" key={w.week}>
                    <th scope="row" className="nhsuk-table__header">
                      {w.week}
                    </th>
                    {ALERT_TYPES.map((t) => (
                      <td className="nhsuk-table__cell app-numeric" key={t}>
                        {w.counts[t]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="nhsuk-body">No alerts in this period to chart.</p>
      )}
      <DownloadButton
        text={report.csv}
        type="text/csv;charset=utf-8"
        filename={downloadName('report', 'csv', new Date())}
        testId="download-report"
      >
        Download CSV
      </DownloadButton>
    </div>
  );
}

function ExtractResult({ extract }: { extract: ExtractView }) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>(extract);
  const csv = extract.format === 'csv';
  return (
    <div className="app-report" data-testid="extract-result">
      <h3 className="nhsuk-heading-m" ref={headingRef} tabIndex={-1}>
        Extract ready
      </h3>
      <p className="nhsuk-body">
        {extract.rows} {extract.rows === 1 ? 'row' : 'rows'} in {csv ? 'CSV' : 'NDJSON'}, with the columns{' '}
        {extract.columns.join(', ')}.
      </p>
      <DownloadButton
        text={extract.text}
        type={csv ? 'text/csv;charset=utf-8' : 'application/x-ndjson'}
        filename={downloadName('extract', csv ? 'csv' : 'ndjson', new Date())}
        testId="download-extract"
      >
        Download the extract ({csv ? 'CSV' : 'NDJSON'})
      </DownloadButton>
    </div>
  );
}
