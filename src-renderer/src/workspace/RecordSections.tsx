/**
 * Draws a record view: the SCR core (medication, allergies and adverse reactions) first, then Additional
 * Information, and the withheld marker when main withheld anything (never what or how many). In a withheld view
 * every empty part says "None shown", never "None recorded": main does not say which part lost something.
 */
import { useLayoutEffect } from 'react';
import type {
  RecordEntry,
  RecordSection,
  RecordView,
  RecordWarning,
} from '../../../src-shared/domain/records';
import { markNow } from '../app/marks';
import { formatDate } from '../view/dates';
import { emptyText, WITHHELD_TEXT } from '../view/record';
import { Narrative } from './Narrative';

export function RecordSections({ record }: { record: RecordView }) {
  useLayoutEffect(() => {
    markNow(record.kind === 'scr' ? 'scr-shown' : 'mig-shown');
  }, [record]);
  // Main sends the sections in display order and says which are the SCR core.
  const core = record.sections.filter((s) => s.core);
  const rest = record.sections.filter((s) => !s.core);

  return (
    <div data-testid={`record-${record.kind}`}>
      <Warnings warnings={record.warnings ?? []} />
      {record.origin ? (
        <p className="nhsuk-body-s app-muted app-record-origin" data-testid="record-origin">
          {originText(record.kind, record.origin)}
        </p>
      ) : null}
      {record.withheld ? (
        <div className="nhsuk-inset-text app-withheld" data-testid="withheld">
          <p>
            <strong>{WITHHELD_TEXT.title}.</strong> {WITHHELD_TEXT.why}
          </p>
          <p>{WITHHELD_TEXT.todo}</p>
        </div>
      ) : null}
      {record.kind === 'scr' ? (
        <>
          <h2 className="nhsuk-heading-s app-record-core-title">
            Medication, allergies and adverse reactions
          </h2>
          {core.length ? (
            core.map((s) => <Section key={s.key} section={s} level={3} withheld={record.withheld} />)
          ) : (
            <p className="nhsuk-body">{emptyText(record.withheld)}</p>
          )}
          {rest.length ? (
            <>
              <h2 className="nhsuk-heading-m">Additional Information</h2>
              {rest.map((s) => (
                <Section key={s.key} section={s} level={3} withheld={record.withheld} />
              ))}
            </>
          ) : null}
        </>
      ) : rest.length ? (
        rest.map((s) => <Section key={s.key} section={s} level={2} withheld={record.withheld} />)
      ) : (
        <p className="nhsuk-body">
          {record.withheld ? 'None shown.' : 'Nothing in this record can be shown.'}
        </p>
      )}
    </div>
  );
}

/** Where the record comes from: the practice and, for the SCR, when the practice last updated it. */
function originText(kind: RecordView['kind'], o: NonNullable<RecordView['origin']>): string {
  const what = kind === 'scr' ? 'Summary Care Record' : 'GP record';
  const from = o.practice ? ` from ${o.practice}` : '';
  const updated = o.lastUpdated ? `, last updated ${formatDate(o.lastUpdated)}` : '';
  return `${what}${from}${updated}, through the ${o.service}.`;
}

/** Warnings first: high-criticality allergies and end-of-life care information, as NHS warning callouts. */
function Warnings({ warnings }: { warnings: RecordWarning[] }) {
  if (!warnings.length) return null;
  const groups = [
    { kind: 'allergy', label: 'High-criticality allergy' },
    { kind: 'end-of-life', label: 'End of life care and DNACPR' },
  ] as const;
  return (
    <div className="app-warnings" data-testid="record-warnings">
      {groups.map((g) => {
        const items = warnings.filter((w) => w.kind === g.kind);
        if (!items.length) return null;
        return (
          <div className="nhsuk-warning-callout" key={g.kind} data-testid={`warning-${g.kind}`}>
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                {g.label}
              </span>
            </h2>
            {items.map((w, i) => (
              <p key={i}>{w.text}</p>
            ))}
          </div>
        );
      })}
    </div>
  );
}

/** Medication entries (MIG, local SCR) as a table: what, dosage, quantity, started, last issued, status. */
function MedicationTable({ entries, caption }: { entries: RecordEntry[]; caption: string }) {
  return (
    <div className="app-table-scroll">
      <table className="nhsuk-table">
        <caption className="nhsuk-u-visually-hidden">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Medication
            </th>
            <th scope="col" className="nhsuk-table__header">
              Dosage
            </th>
            <th scope="col" className="nhsuk-table__header">
              Quantity
            </th>
            <th scope="col" className="nhsuk-table__header">
              Start date
            </th>
            <th scope="col" className="nhsuk-table__header">
              Last issued
            </th>
            <th scope="col" className="nhsuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {entries.map((e) => (
            <tr className="nhsuk-table__row" key={e.id}>
              <td className="nhsuk-table__cell">{e.text}</td>
              <td className="nhsuk-table__cell">{e.detail ?? ''}</td>
              <td className="nhsuk-table__cell">{e.quantity ?? ''}</td>
              <td className="nhsuk-table__cell">{e.date ? formatDate(e.date) : ''}</td>
              <td className="nhsuk-table__cell">{e.lastIssued ? formatDate(e.lastIssued) : ''}</td>
              <td className="nhsuk-table__cell">{e.status ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Section({ section, level, withheld }: { section: RecordSection; level: 2 | 3; withheld: boolean }) {
  const Heading = level === 2 ? 'h2' : 'h3';
  const id = `section-${section.key}`;
  return (
    <section aria-labelledby={id} className="nhsuk-u-margin-bottom-5" data-section={section.key}>
      <Heading className={level === 2 ? 'nhsuk-heading-m' : 'nhsuk-heading-s'} id={id}>
        {section.title}
      </Heading>
      {section.narrative ? (
        <Narrative view={section.narrative} withheld={withheld} />
      ) : section.entries.length === 0 ? (
        <p className="nhsuk-body">{emptyText(withheld)}</p>
      ) : section.key.startsWith('medication') ? (
        <MedicationTable entries={section.entries} caption={section.title} />
      ) : (
        <ul className="nhsuk-list nhsuk-list--border">
          {section.entries.map((e) => (
            <li key={e.id}>
              <p className="nhsuk-body nhsuk-u-margin-bottom-1">
                <strong>{e.text}</strong>
              </p>
              {e.date || e.status ? (
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-1 app-muted">
                  {[e.date ? formatDate(e.date) : null, e.status].filter(Boolean).join(' · ')}
                </p>
              ) : null}
              {e.detail ? <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{e.detail}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
