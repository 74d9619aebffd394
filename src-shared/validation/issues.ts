/**
 * What zod found wrong with a value, in plain words with its place ("entry[2].resource.code is missing"), the
 * one formatter of validation problems for people to read. Never quotes the value (it may be another
 * patient's, or hostile); the words name the problem, not the library that found it. Where a value was parsed
 * with `{ reportInput: true }` a missing field is told from a field of the wrong kind.
 */
import type { z } from 'zod';

function pathText(prefix: string, path: readonly PropertyKey[], whole: string): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || whole;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** One problem as a sentence fragment; `prefix` is where the parsed value sits, `whole` names it when the problem is the value itself. */
export function issueText(issue: z.core.$ZodIssue, prefix = '', whole = 'the value'): string {
  const where = pathText(prefix, issue.path, whole);
  switch (issue.code) {
    case 'invalid_type': {
      const kind = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (!('input' in issue)) return `${where} is missing or not ${kind}`;
      return issue.input === undefined ? `${where} is missing` : `${where} should be ${kind}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(' or ');
      if (!('input' in issue)) return `${where} is missing or not ${allowed}`;
      return issue.input === undefined ? `${where} is missing` : `${where} should be ${allowed}`;
    }
    case 'too_big':
      return issue.origin === 'array' ? `${where} has too many items` : `${where} is too long`;
    case 'too_small':
      return issue.origin === 'array' ? `${where} is empty` : `${where} is too short`;
    case 'invalid_format':
      return `${where} is not ${issue.message}`;
    case 'custom':
      // A refinement's own message is ours, written for people.
      return `${where}: ${issue.message}`;
    default:
      return `${where} is not valid`;
  }
}

/** The first `max` problems joined with "; ", and how many more there were. */
export function issuesText(
  error: z.ZodError,
  options: { max?: number; prefix?: string; whole?: string } = {},
): string {
  const { max = 3, prefix = '', whole = 'the value' } = options;
  const issues = error.issues;
  if (issues.length === 0) return `${whole} is not valid`;
  const listed = issues.slice(0, max).map((i) => issueText(i, prefix, whole));
  const more = issues.length > max ? ` (and ${issues.length - max} more)` : '';
  return `${listed.join('; ')}${more}`;
}
