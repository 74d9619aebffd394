/**
 * The NHS date input: day, month and year boxes under one legend (ids `${id}-day`, `${id}-month`, `${id}-year`,
 * so an error summary can link to the box that is wrong). Digits only; the check is the caller's (view/dates.ts).
 */
import type { DateParts } from '../view/dates';

const PARTS: { key: keyof DateParts; label: string; width: string; max: number }[] = [
  { key: 'day', label: 'Day', width: 'nhsuk-input--width-2', max: 2 },
  { key: 'month', label: 'Month', width: 'nhsuk-input--width-2', max: 2 },
  { key: 'year', label: 'Year', width: 'nhsuk-input--width-4', max: 4 },
];

export function DateInput({
  id,
  legend,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  legend: string;
  hint?: string;
  error?: string | null;
  value: DateParts;
  onChange: (v: DateParts) => void;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" role="group" aria-describedby={describedBy || undefined}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {error}
          </span>
        ) : null}
        <div className="nhsuk-date-input">
          {PARTS.map((p) => (
            <div className="nhsuk-date-input__item" key={p.key}>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${p.key}`}>
                  {p.label}
                </label>
                <input
                  className={`nhsuk-input nhsuk-date-input__input ${p.width}${error ? ' nhsuk-input--error' : ''}`}
                  id={`${id}-${p.key}`}
                  name={`${id}-${p.key}`}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  maxLength={p.max}
                  value={value[p.key]}
                  onChange={(e) => onChange({ ...value, [p.key]: e.target.value.replace(/\D/g, '') })}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** From and to dates side by side, ids `${prefix}-from` and `${prefix}-to`. */
export function PeriodInput({
  prefix,
  from,
  to,
  onFrom,
  onTo,
  errorFor,
  hint,
}: {
  prefix: string;
  from: DateParts;
  to: DateParts;
  onFrom: (v: DateParts) => void;
  onTo: (v: DateParts) => void;
  /** The problem, if any, whose field starts with this id. */
  errorFor: (idPrefix: string) => string | null;
  hint?: string;
}) {
  return (
    <div className="app-period">
      <DateInput
        id={`${prefix}-from`}
        legend="From"
        hint={hint}
        error={errorFor(`${prefix}-from`)}
        value={from}
        onChange={onFrom}
      />
      <DateInput
        id={`${prefix}-to`}
        legend="To"
        hint={hint}
        error={errorFor(`${prefix}-to`)}
        value={to}
        onChange={onTo}
      />
    </div>
  );
}
