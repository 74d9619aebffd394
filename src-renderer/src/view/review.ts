/**
 * Plain words for the privacy officer's screens (alert types, review states, escalations, report fields, events
 * read under an override) and the checks her forms make before anything is sent. Main checks everything again.
 */
import {
  AlertType,
  GroupField as GroupFieldSchema,
  type Escalation,
  type QueueFilter,
  type ReviewStatus,
} from '../../../src-shared/ipc/channels/review';
import { parseDay, type DateParts } from './dates';

/** A problem found in a form: its words and the field to move to (as the error summary takes it). */
export interface FormProblem {
  text: string;
  fieldId?: string;
}

export const ALERT_TYPES: readonly AlertType[] = AlertType.options;

export const ALERT_TYPE_LABEL: Record<AlertType, string> = {
  emergency: 'Emergency access',
  legal: 'Legal override',
  'self-claimed-lr': 'Self-claimed relationship',
};

export const REVIEW_STATUSES: readonly ReviewStatus[] = [
  'new',
  'open',
  'under-investigation',
  'escalated',
  'closed-appropriate',
  'closed-inappropriate',
];

export const REVIEW_STATUS_LABEL: Record<ReviewStatus, string> = {
  new: 'New',
  open: 'Open',
  'under-investigation': 'Under investigation',
  escalated: 'Escalated',
  'closed-appropriate': 'Closed: appropriate',
  'closed-inappropriate': 'Closed: inappropriate',
};

export const ESCALATION_LABEL: Record<Escalation, string> = {
  'ig-lead': 'Information governance (IG) lead',
  'caldicott-guardian': 'Caldicott Guardian',
};

export type GroupField = (typeof GroupFieldSchema.options)[number];
export const GROUP_FIELDS: readonly GroupField[] = GroupFieldSchema.options;

export const GROUP_FIELD_LABEL: Record<GroupField, string> = {
  org: 'Organisation',
  month: 'Month',
  week: 'Week',
  type: 'Alert type',
  reason: 'Reason code',
  role: 'Role code',
};

/** A report cell in words: alert types are named, every other value (codes, months, weeks) is shown as it is. */
export function reportValue(field: GroupField | undefined, value: string): string {
  if (field === 'type' && isAlertType(value)) return ALERT_TYPE_LABEL[value];
  return value;
}

function isAlertType(v: string): v is AlertType {
  return (ALERT_TYPES as readonly string[]).includes(v);
}

const EVENT_WORD: Record<string, string> = {
  'record-read': 'Record read',
  ptv: 'Permission to view',
  'override-pin-refused': 'PIN not accepted for the override',
  'preference-changed': 'Sharing preferences changed',
};

const RECORD_WORD: Record<string, string> = {
  'scr-core': 'Summary Care Record (core)',
  'scr-additional': 'Summary Care Record (Additional Information)',
  mig: 'GP record (MIG)',
};

/** An event recorded under an override, in words; an event type this screen does not know is shown as written. */
export function eventLabel(type: string): string {
  return EVENT_WORD[type] ?? type.replace(/-/g, ' ');
}

/** FHIR AuditEvent outcome codes in words; anything else is shown as written. */
const OUTCOME_WORD: Record<string, string> = {
  '0': 'Succeeded',
  '4': 'Did not succeed (minor failure)',
  '8': 'Did not succeed (serious failure)',
  '12': 'Did not succeed (major failure)',
};

export function outcomeLabel(outcome: string): string {
  return OUTCOME_WORD[outcome] ?? outcome;
}

export function recordLabel(record: string | null): string {
  if (!record) return '';
  return RECORD_WORD[record] ?? record;
}

/** Who owns a review, saying "you" for the signed-in officer. */
export function ownerText(owner: { userId: string; name: string } | null, me: string): string {
  if (!owner) return 'Nobody yet';
  return owner.userId === me ? `You (${owner.name})` : owner.name;
}

/** "1 alert" / "3 alerts". */
export function alertCount(n: number, adjective = ''): string {
  const a = adjective ? `${adjective} ` : '';
  return `${n} ${a}${n === 1 ? 'alert' : 'alerts'}`;
}

/** "Showing 26 to 50 of 73" for one page of the queue. */
export function pageRange(page: number, pageSize: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return 'No alerts match';
  const first = page * pageSize + 1;
  return `Showing ${first} to ${first + shown - 1} of ${total}`;
}

type Checked<T> = { ok: true; value: T } | { ok: false; problems: FormProblem[] };

/** A period typed into two sets of day boxes, ids `${prefix}-from-*` and `${prefix}-to-*`. */
export function checkPeriod(
  prefix: string,
  from: DateParts,
  to: DateParts,
  required: boolean,
): Checked<{ from: string | null; to: string | null }> {
  const problems: FormProblem[] = [];
  const f = parseDay(from, 'The from date', required);
  const t = parseDay(to, 'The to date', required);
  if (!f.ok) problems.push({ text: f.message, fieldId: `${prefix}-from-${f.field}` });
  if (!t.ok) problems.push({ text: t.message, fieldId: `${prefix}-to-${t.field}` });
  if (f.ok && t.ok && f.iso && t.iso && t.iso < f.iso) {
    problems.push({
      text: 'The to date must be the same as or after the from date',
      fieldId: `${prefix}-to-day`,
    });
  }
  if (problems.length || !f.ok || !t.ok) return { ok: false, problems };
  return { ok: true, value: { from: f.iso, to: t.iso } };
}

export interface QueueForm {
  status: ReviewStatus | '';
  types: AlertType[];
  org: string;
  user: string;
  from: DateParts;
  to: DateParts;
}

export const EMPTY_DAY: DateParts = { day: '', month: '', year: '' };

export const EMPTY_QUEUE_FORM: QueueForm = {
  status: '',
  types: [],
  org: '',
  user: '',
  from: EMPTY_DAY,
  to: EMPTY_DAY,
};

/** The queue filter a form asks for; no type ticked means every type the officer reviews. */
export function queueFilter(form: QueueForm): Checked<QueueFilter> {
  const problems: FormProblem[] = [];
  const user = form.user.replace(/\s/g, '');
  if (user && !/^\d{12}$/.test(user)) {
    problems.push({ text: 'User ID must be 12 numbers, as on the smartcard', fieldId: 'filter-user' });
  }
  const period = checkPeriod('filter', form.from, form.to, false);
  if (!period.ok) problems.push(...period.problems);
  if (problems.length || !period.ok) return { ok: false, problems };
  const filter: QueueFilter = {};
  if (form.status) filter.status = form.status;
  if (form.types.length) filter.types = ALERT_TYPES.filter((t) => form.types.includes(t));
  if (form.org) filter.org = form.org;
  if (user) filter.user = user;
  if (period.value.from) filter.from = period.value.from;
  if (period.value.to) filter.to = period.value.to;
  return { ok: true, value: filter };
}

export interface SampleForm {
  from: DateParts;
  to: DateParts;
  kind: 'percent' | 'count' | null;
  value: string;
  seed: string;
}

export type SampleSize = { kind: 'percent'; value: number } | { kind: 'count'; value: number };

/** The sample a form asks for: a period (both dates), a percentage or a number, and an optional seed. */
export function sampleRequest(
  form: SampleForm,
): Checked<{ from: string; to: string; size: SampleSize; seed?: string }> {
  const problems: FormProblem[] = [];
  const period = checkPeriod('sample', form.from, form.to, true);
  if (!period.ok) problems.push(...period.problems);
  let size: SampleSize | null = null;
  const raw = form.value.trim();
  if (form.kind === null) {
    problems.push({ text: 'Select how big the sample should be', fieldId: 'sample-kind' });
  } else if (form.kind === 'percent') {
    const n = Number(raw);
    if (!raw || !/^\d+(\.\d+)?$/.test(raw) || !(n > 0 && n <= 100)) {
      problems.push({
        text: 'Enter a percentage more than 0 and no more than 100',
        fieldId: 'sample-percent',
      });
    } else size = { kind: 'percent', value: n };
  } else {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > 2000) {
      problems.push({ text: 'Enter a number of alerts from 1 to 2000', fieldId: 'sample-count' });
    } else size = { kind: 'count', value: n };
  }
  const seed = form.seed.trim();
  if (seed && !/^[A-Za-z0-9-]{4,64}$/.test(seed)) {
    problems.push({
      text: 'The seed must be 4 to 64 letters, numbers and hyphens, as it was shown',
      fieldId: 'sample-seed',
    });
  }
  if (problems.length || !period.ok || !size) return { ok: false, problems };
  const { from, to } = period.value;
  if (!from || !to) return { ok: false, problems };
  return { ok: true, value: { from, to, size, ...(seed ? { seed } : {}) } };
}

/** What the purpose-of-use question holds: a listed code, or "other" with the officer's own words. */
export interface PurposeChoice {
  choice: string | null;
  other: string;
}

export const OTHER_PURPOSE = 'other';

export function checkPurpose(prefix: string, p: PurposeChoice): Checked<{ code: string } | { text: string }> {
  if (p.choice === null) {
    return { ok: false, problems: [{ text: 'Select the purpose of use', fieldId: `${prefix}-purpose` }] };
  }
  if (p.choice === OTHER_PURPOSE) {
    const text = p.other.trim();
    if (!text) {
      return {
        ok: false,
        problems: [{ text: 'Describe the purpose of use', fieldId: `${prefix}-purpose-other-text` }],
      };
    }
    return { ok: true, value: { text } };
  }
  return { ok: true, value: { code: p.choice } };
}

/** A shown count ("0", "*", a multiple of 5) as a number for the chart; "*" (1 to 7) is null. */
export function shownNumber(count: string): number | null {
  if (count === '*') return null;
  const n = Number(count);
  return Number.isFinite(n) ? n : 0;
}

/** A file name for a download: stethoscope-<what>-<day>.<ext> with today's local day. */
export function downloadName(what: string, ext: string, now: Date): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `stethoscope-${what}-${day}.${ext}`;
}
