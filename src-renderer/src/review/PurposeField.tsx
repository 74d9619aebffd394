/**
 * The purpose of use every report and extract declares: the accepted purposes (from main, with their words) or
 * the officer's own words. The two purposes refused always are named up front, in the seed's words.
 */
import type { ReactNode } from 'react';
import { RadioGroup, TextField } from '../components/Fields';
import type { Res } from '../../../src-shared/ipc/contract';
import { OTHER_PURPOSE, type PurposeChoice } from '../view/review';

export type PurposeList = Res<'review.purposes'>;

export function PurposeField({
  prefix,
  list,
  value,
  onChange,
  errorFor,
}: {
  /** Ids: `${prefix}-purpose` (the first option), `${prefix}-purpose-other-text`. */
  prefix: string;
  list: PurposeList;
  value: PurposeChoice;
  onChange: (v: PurposeChoice) => void;
  errorFor: (id: string) => string | null;
}) {
  const hint: ReactNode = list.refused.length ? (
    <>
      Always refused, however worded:{' '}
      {list.refused.map((r, i) => (
        <span key={r.code}>
          {i ? ' ' : ''}“{r.words.replace(/\.$/, '')}.”
        </span>
      ))}
    </>
  ) : undefined;
  return (
    <RadioGroup
      id={`${prefix}-purpose`}
      legend="Purpose of use"
      legendClass="nhsuk-fieldset__legend--s"
      hint={hint}
      error={errorFor(`${prefix}-purpose`)}
      value={value.choice}
      onChange={(choice) => onChange({ ...value, choice })}
      options={[
        ...list.purposes.map((p) => ({ value: p.code, label: sentence(p.words) })),
        {
          value: OTHER_PURPOSE,
          label: 'Another purpose',
          conditional: (
            <TextField
              id={`${prefix}-purpose-other-text`}
              label="Describe the purpose"
              error={errorFor(`${prefix}-purpose-other-text`)}
              value={value.other}
              maxLength={200}
              autoComplete="off"
              onChange={(e) => onChange({ ...value, other: e.target.value })}
            />
          ),
        },
      ]}
    />
  );
}

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
