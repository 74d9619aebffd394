/**
 * Draws a record view: the SCR core (medication, allergies and adverse reactions) first, then Additional
 * Information, and the withheld marker when main withheld anything (never what or how many). In a withheld view
 * every empty part says "None shown", never "None recorded": main does not say which part lost something.
 */
import { useLayoutEffect } from 'react';
import type { RecordSection, RecordView } from '../../../src-shared/domain/records';
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
      {record.origin ? (
        <p className="nhsuk-body-s app-muted" data-testid="record-origin">
          From the {record.origin.service}
          {record.origin.practice ? `, summary by ${record.origin.practice}` : ''}
          {record.origin.lastUpdated ? `, last updated ${formatDate(record.origin.lastUpdated)}` : ''}.
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
          <h2 className="nhsuk-heading-m">Medication, allergies and adverse reactions</h2>
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
