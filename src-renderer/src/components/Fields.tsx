/**
 * Small form pieces in nhsuk-frontend markup: a text field, a text area, a radio group with conditional content,
 * checkboxes (a group or one) and a select. They carry their label, hint and error so every control is named and
 * described.
 */
import { Fragment, type ReactNode, type InputHTMLAttributes, type Ref } from 'react';

interface FieldBase {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  labelClass?: string;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** The NHS form-group frame every single-control field shares: label, optional hint, optional error, the control. */
function FieldShell({ id, label, hint, error, labelClass, children }: FieldBase & { children: ReactNode }) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className={`nhsuk-label ${labelClass ?? ''}`} htmlFor={id}>
        {label}
      </label>
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
      {children}
    </div>
  );
}

export function TextField({
  id,
  label,
  hint,
  error,
  labelClass,
  inputClass = '',
  ...input
}: FieldBase & { inputClass?: string; ref?: Ref<HTMLInputElement> } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    'id'
  >) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} labelClass={labelClass}>
      <input
        id={id}
        name={id}
        className={`nhsuk-input ${inputClass}${error ? ' nhsuk-input--error' : ''}`}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...input}
      />
    </FieldShell>
  );
}

export function TextArea({
  id,
  label,
  hint,
  error,
  labelClass,
  value,
  onChange,
  rows = 3,
  maxLength,
}: FieldBase & { value: string; onChange: (v: string) => void; rows?: number; maxLength?: number }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} labelClass={labelClass}>
      <textarea
        id={id}
        name={id}
        className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        rows={rows}
        maxLength={maxLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </FieldShell>
  );
}

export interface RadioOption<V extends string> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
  /** Shown under the option while it is selected. */
  conditional?: ReactNode;
}

export function RadioGroup<V extends string>({
  id,
  legend,
  legendClass = 'nhsuk-fieldset__legend--m',
  legendIsHeading = false,
  headingRef,
  hint,
  error,
  options,
  value,
  onChange,
}: {
  id: string;
  legend: ReactNode;
  legendClass?: string;
  /** Wraps the legend in an h1 (the page's one question) that takes focus. */
  legendIsHeading?: boolean;
  /** Receives the heading element (for focus on screen change) when the legend is a heading. */
  headingRef?: Ref<HTMLHeadingElement>;
  hint?: ReactNode;
  error?: string | null;
  options: readonly RadioOption<V>[];
  value: V | null;
  onChange: (v: V) => void;
}) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className={`nhsuk-fieldset__legend ${legendClass}`}>
          {legendIsHeading ? (
            <h1 className="nhsuk-fieldset__heading" ref={headingRef} tabIndex={-1}>
              {legend}
            </h1>
          ) : (
            legend
          )}
        </legend>
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
        <div className="nhsuk-radios">
          {options.map((o, i) => {
            const optionId = i === 0 ? id : `${id}-${o.value}`;
            const checked = value === o.value;
            return (
              <Fragment key={o.value}>
                <div className="nhsuk-radios__item">
                  <input
                    className="nhsuk-radios__input"
                    id={optionId}
                    name={id}
                    type="radio"
                    value={o.value}
                    checked={checked}
                    onChange={() => onChange(o.value)}
                    aria-describedby={o.hint ? `${optionId}-item-hint` : undefined}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={optionId}>
                    {o.label}
                  </label>
                  {o.hint ? (
                    <div className="nhsuk-hint nhsuk-radios__hint" id={`${optionId}-item-hint`}>
                      {o.hint}
                    </div>
                  ) : null}
                </div>
                {o.conditional && checked ? (
                  <div className="nhsuk-radios__conditional" id={`${optionId}-conditional`}>
                    {o.conditional}
                  </div>
                ) : null}
              </Fragment>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export interface CheckboxOption<V extends string> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
}

/** A group of checkboxes under one legend; `value` holds the ticked options. */
export function CheckboxGroup<V extends string>({
  id,
  legend,
  legendClass = 'nhsuk-fieldset__legend--s',
  hint,
  error,
  options,
  value,
  onChange,
  small = false,
}: {
  id: string;
  legend: ReactNode;
  legendClass?: string;
  hint?: ReactNode;
  error?: string | null;
  options: readonly CheckboxOption<V>[];
  value: readonly V[];
  onChange: (v: V[]) => void;
  small?: boolean;
}) {
  const toggle = (v: V, on: boolean) =>
    onChange(options.map((o) => o.value).filter((o) => (o === v ? on : value.includes(o))));
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend className={`nhsuk-fieldset__legend ${legendClass}`}>{legend}</legend>
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
        <div className={`nhsuk-checkboxes${small ? ' nhsuk-checkboxes--small' : ''}`}>
          {options.map((o, i) => {
            const optionId = i === 0 ? id : `${id}-${o.value}`;
            return (
              <div className="nhsuk-checkboxes__item" key={o.value}>
                <input
                  className="nhsuk-checkboxes__input"
                  id={optionId}
                  name={id}
                  type="checkbox"
                  value={o.value}
                  checked={value.includes(o.value)}
                  onChange={(e) => toggle(o.value, e.target.checked)}
                  aria-describedby={o.hint ? `${optionId}-item-hint` : undefined}
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={optionId}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${optionId}-item-hint`}>
                    {o.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** One checkbox on its own (a yes/no setting), with its label and optional hint. */
export function Checkbox({
  id,
  label,
  hint,
  checked,
  onChange,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <div className="nhsuk-form-group">
      <div className="nhsuk-checkboxes">
        <div className="nhsuk-checkboxes__item">
          <input
            className="nhsuk-checkboxes__input"
            id={id}
            name={id}
            type="checkbox"
            checked={checked}
            onChange={(e) => onChange(e.target.checked)}
            aria-describedby={hint ? `${id}-hint` : undefined}
          />
          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
            {label}
          </label>
          {hint ? (
            <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${id}-hint`}>
              {hint}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}

export interface SelectOption<V extends string> {
  value: V;
  label: string;
}

export function Select<V extends string>({
  id,
  label,
  hint,
  error,
  labelClass,
  options,
  value,
  onChange,
}: FieldBase & { options: readonly SelectOption<V>[]; value: V; onChange: (v: V) => void }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} labelClass={labelClass}>
      <select
        id={id}
        name={id}
        className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value as V)}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}
