/**
 * The NHS error summary: a titled list of problems, each linking to its field; it takes focus when it appears.
 */
import { useFocusOnMount, focusField } from '../app/focus';

export interface ProblemItem {
  text: string;
  /** Id of the field to move to; omitted for problems that are not about one field. */
  fieldId?: string;
}

export function ErrorSummary({
  title = 'There is a problem',
  items,
  id = 'error-summary',
}: {
  title?: string;
  items: ProblemItem[];
  /** Needed only when a screen can show more than one summary: their title ids must differ. */
  id?: string;
}) {
  const ref = useFocusOnMount<HTMLDivElement>(items.map((i) => i.text).join('|'));
  return (
    <div className="nhsuk-error-summary" ref={ref} tabIndex={-1} aria-labelledby={`${id}-title`}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading" id={`${id}-title`}>
          {title}
        </h2>
        <div className="nhsuk-error-summary__body">
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {items.map((item) => (
              <li key={item.text}>
                {item.fieldId ? (
                  <a
                    href={`#${item.fieldId}`}
                    onClick={(e) => {
                      e.preventDefault();
                      focusField(item.fieldId as string);
                    }}
                  >
                    {item.text}
                  </a>
                ) : (
                  item.text
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
