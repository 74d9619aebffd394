/**
 * A Summary Care Record section's text as main sent it: typed blocks (headings, paragraphs, lists, tables),
 * each string drawn as text. No markup from the record service ever reaches here (main parsed and dropped it).
 */
import {
  omittedNotice,
  truncationNotice,
  type NarrativeBlock,
  type NarrativeView,
} from '../../../src-shared/domain/scr-view';
import { emptyText, WITHHELD_SECTION_NOTE } from '../view/record';

function Lines({ text }: { text: string }) {
  const lines = text.split('\n');
  return (
    <>
      {lines.map((line, i) => (
        <span key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </>
  );
}

function Block({ block }: { block: NarrativeBlock }) {
  switch (block.type) {
    case 'heading':
      return <h4 className="nhsuk-heading-xs nhsuk-u-margin-bottom-2">{block.text}</h4>;
    case 'paragraph':
      return (
        <p className="nhsuk-body">
          <Lines text={block.text} />
        </p>
      );
    case 'list': {
      const List = block.ordered ? 'ol' : 'ul';
      return (
        <List className={block.ordered ? 'nhsuk-list nhsuk-list--number' : 'nhsuk-list nhsuk-list--bullet'}>
          {block.items.map((item, i) => (
            <li key={i}>
              <Lines text={item} />
            </li>
          ))}
        </List>
      );
    }
    case 'table':
      return (
        <div className="app-table-scroll">
          <table className="nhsuk-table">
            {block.caption ? <caption className="nhsuk-table__caption">{block.caption}</caption> : null}
            {block.head.length ? (
              <thead className="nhsuk-table__head">
                {block.head.map((row, r) => (
                  <tr key={r} className="nhsuk-table__row">
                    {row.map((cell, c) => (
                      <th key={c} scope="col" className="nhsuk-table__header" colSpan={cell.colSpan}>
                        <Lines text={cell.text} />
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
            ) : null}
            <tbody className="nhsuk-table__body">
              {block.body.map((row, r) => (
                <tr key={r} className="nhsuk-table__row">
                  {row.map((cell, c) =>
                    cell.header ? (
                      <th key={c} scope="row" className="nhsuk-table__header" colSpan={cell.colSpan}>
                        <Lines text={cell.text} />
                      </th>
                    ) : (
                      <td key={c} className="nhsuk-table__cell" colSpan={cell.colSpan}>
                        <Lines text={cell.text} />
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

/**
 * `withheld`: something was left out of the view this narrative is part of, so an empty one says "None shown",
 * and one that lists nothing (no table or list: typically the service's own "nothing to show") says that what it
 * shows may not be all there is.
 */
export function Narrative({ view, withheld = false }: { view: NarrativeView; withheld?: boolean }) {
  const omitted = omittedNotice(view.omitted);
  const listsNothing = !view.blocks.some((b) => b.type === 'table' || b.type === 'list');
  return (
    <div className="app-narrative" data-testid="narrative">
      {view.blocks.length === 0 ? <p className="nhsuk-body">{emptyText(withheld)}</p> : null}
      {view.blocks.map((b, i) => (
        <Block key={i} block={b} />
      ))}
      {view.truncated ? <p className="nhsuk-body-s app-muted">{truncationNotice(view.truncated)}</p> : null}
      {omitted ? <p className="nhsuk-body-s app-muted">{omitted}</p> : null}
      {withheld && listsNothing && view.blocks.length > 0 ? (
        <p className="nhsuk-body-s app-withheld-note" data-testid="withheld-note">
          {WITHHELD_SECTION_NOTE}
        </p>
      ) : null}
    </div>
  );
}
