/**
 * What the reports know about one AuditEvent: its type as a stable word and the coded facts green and amber data
 * are made of. Everything else in the event (free text, names, event, role-profile and workstation ids) is not
 * read, so it cannot reach a report. The two identifiers kept here, NHS number and user id, are red data: amber
 * output carries them only as keyed pseudonyms (amber.ts) and green output not at all.
 */
import * as codeSystems from '../../audit/events/codes';
import type { RecordKind } from '../../audit/types';
import { RoleProfile } from '../../../src-shared/domain/rbac';
import { isValidNhsNumber, normaliseNhsNumber } from '../../../src-shared/domain/nhs-number';
import type { AuditEventInput } from './event-schema';
import { isPurposeWord } from './purpose';

// Copied into one plain object once: these are read for every event, and where modules are loaded as CommonJS
// (tsx, which runs the command line) each read of an imported binding is a getter call.
const {
  ACT_REASON,
  AUDIT_EVENT_TYPE,
  BALP_AUTHZ_SUBTYPE,
  DCM,
  LOCAL_EVENT_SUBTYPE,
  LR_CLAIM_REASON,
  NHS_NUMBER,
  ODS_ORGANISATION,
  OBJECT_ROLE,
  REPORT_PURPOSE,
  RESTFUL_INTERACTION,
  ROLE_CLASS,
  SCR_ALERT_REASON,
  SDS_JOB_ROLE,
  SDS_USER_ID,
} = { ...codeSystems };

/** Privacy-officer alerts (privacy-officer spec, "The queue"): the only events a green report counts. */
export const ALERT_TYPES = ['emergency', 'legal', 'self-claimed-lr'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Every event type the workstation writes, as the word reports use for it. */
export const EVENT_TYPES = [
  ...ALERT_TYPES,
  'record-read',
  'ptv',
  'preferences-read',
  'preference-changed',
  'override-pin-refused',
  'login',
  'login-refused',
  'logout',
  'session-locked',
  'session-unlocked',
  'report-run',
  'review-action',
  'delivery-failure',
  'tamper-detected',
  'checkpoint',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type Outcome = AuditEventInput['outcome'];

export interface AuditFacts {
  readonly type: EventType;
  /** The UTC calendar day of `recorded`, YYYY-MM-DD. */
  readonly day: string;
  readonly outcome: Outcome;
  /** ODS code of the user's organisation (else of the workstation's site). */
  readonly org: string | null;
  /** National job role code of the user's role profile, e.g. R8000. */
  readonly role: string | null;
  /** Purpose of use: the v3 ActReason code (TREAT, ETREAT, HLEGAL), or a report run's purpose code. */
  readonly purpose: string | null;
  /** Coded reason of an alert: SCR alert code 1-6, or the self-claimed relationship's reason code. */
  readonly reason: string | null;
  /** Which record a read released. */
  readonly record: RecordKind | null;
  /** Red: the patient's NHS number (ten digits). */
  readonly nhsNumber: string | null;
  /** Red: the user's SDS user id. */
  readonly userId: string | null;
}

type Coding = { system: string; code: string };
const coding = (system: string, code: string): Coding => ({ system, code });

/**
 * Type and subtype pairs, most specific first (a session unlock carries the Login subtype too). Kept beside
 * buildAuditEvent's cases: a unit test builds one event of every AuditEntry kind and expects each to be known.
 */
const CLASSIFY: readonly { type: Coding; subtype: Coding; is: EventType }[] = [
  { type: coding(DCM, '110113'), subtype: coding(DCM, '110127'), is: 'emergency' },
  { type: coding(DCM, '110113'), subtype: coding(LOCAL_EVENT_SUBTYPE, 'legal-override'), is: 'legal' },
  {
    type: coding(DCM, '110113'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'lr-self-claim'),
    is: 'self-claimed-lr',
  },
  { type: coding(DCM, '110113'), subtype: coding(BALP_AUTHZ_SUBTYPE, 'AuthZ-Consent'), is: 'ptv' },
  {
    type: coding(DCM, '110113'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'audit-delivery-failure'),
    is: 'delivery-failure',
  },
  {
    type: coding(DCM, '110113'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'audit-tamper-detected'),
    is: 'tamper-detected',
  },
  {
    type: coding(DCM, '110113'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'override-pin-refused'),
    is: 'override-pin-refused',
  },
  {
    type: coding(AUDIT_EVENT_TYPE, 'rest'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'sharing-preferences-read'),
    is: 'preferences-read',
  },
  {
    type: coding(AUDIT_EVENT_TYPE, 'rest'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'alert-review'),
    is: 'review-action',
  },
  { type: coding(AUDIT_EVENT_TYPE, 'rest'), subtype: coding(RESTFUL_INTERACTION, 'read'), is: 'record-read' },
  {
    type: coding(DCM, '110110'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'sharing-preference-changed'),
    is: 'preference-changed',
  },
  {
    type: coding(DCM, '110114'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'session-unlocked'),
    is: 'session-unlocked',
  },
  {
    type: coding(DCM, '110114'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'session-locked'),
    is: 'session-locked',
  },
  { type: coding(DCM, '110114'), subtype: coding(DCM, '110122'), is: 'login' },
  { type: coding(DCM, '110114'), subtype: coding(DCM, '110123'), is: 'logout' },
  { type: coding(DCM, '110112'), subtype: coding(LOCAL_EVENT_SUBTYPE, 'green-report'), is: 'report-run' },
  { type: coding(DCM, '110112'), subtype: coding(LOCAL_EVENT_SUBTYPE, 'amber-extract'), is: 'report-run' },
  {
    type: coding(DCM, '110100'),
    subtype: coding(LOCAL_EVENT_SUBTYPE, 'audit-log-checkpoint'),
    is: 'checkpoint',
  },
];

// Looked up by subtype code first (short strings), then checked in full; the rank keeps the order above when an
// event has two known subtypes.
const KNOWN = new Map<string, { type: Coding; subtype: Coding; is: EventType; rank: number }[]>();
CLASSIFY.forEach((c, rank) => {
  const list = KNOWN.get(c.subtype.code) ?? [];
  list.push({ ...c, rank });
  KNOWN.set(c.subtype.code, list);
});

function classify(event: AuditEventInput): EventType | null {
  let best: { is: EventType; rank: number } | undefined;
  for (const sub of event.subtype ?? []) {
    for (const c of KNOWN.get(sub.code) ?? []) {
      if (
        c.subtype.system === sub.system &&
        c.type.code === event.type.code &&
        c.type.system === event.type.system &&
        (!best || c.rank < best.rank)
      )
        best = c;
    }
  }
  if (!best) return null;
  // A failed login is its own type: counts of sign-ins and refusals mean different things.
  if (best.is === 'login' && event.outcome !== '0') return 'login-refused';
  return best.is;
}

/** A fact that is not in its code's shape: the whole file is refused (the caller adds where). */
export class FactError extends Error {
  override readonly name = 'FactError';
}

// ODS organisation codes: 3 to 8 capital letters and digits (as `stethoscope card issue` checks them).
const ODS_CODE = /^[A-Z0-9]{3,8}$/;
const ACT_REASON_CODE = /^[A-Z]{2,20}$/;
const SCR_REASON_CODE = /^[1-6]$/;
// The self-claimed relationship's reason is a code from a fixed list (e.g. treating-now), never free text.
const LR_REASON_CODE = /^[a-z][a-z0-9-]{0,39}$/;
const TEN_DIGITS = /^\d{10}$/;
const CODE_LIKE = /^[A-Za-z0-9.-]{1,40}$/;
const RECORD_KINDS: ReadonlySet<string> = new Set<RecordKind>(['scr-core', 'scr-additional', 'mig']);

function checked(value: string, ok: boolean, what: string): string {
  if (!ok) throw new FactError(what);
  return value;
}

/** A code check remembered per distinct value: a log repeats the same few organisations and roles. */
function remembered(test: (value: string) => boolean): (value: string) => boolean {
  const seen = new Map<string, boolean>();
  return (value) => {
    let ok = seen.get(value);
    if (ok === undefined) {
      ok = test(value);
      if (seen.size > 10_000) seen.clear();
      seen.set(value, ok);
    }
    return ok;
  };
}
const isOdsCode = remembered((v) => ODS_CODE.test(v));
const isRoleCode = remembered((v) => RoleProfile.shape.roleCode.safeParse(v).success);
const isActReason = remembered((v) => ACT_REASON_CODE.test(v));
const isLrReason = remembered((v) => LR_REASON_CODE.test(v));

function organisation(event: AuditEventInput): string | null {
  for (const a of event.agent) {
    if (!a.type?.coding?.some((c) => c.system === ROLE_CLASS && c.code === 'PROV')) continue;
    const id = a.who?.identifier;
    if (id?.system === ODS_ORGANISATION)
      return checked(id.value, isOdsCode(id.value), 'organisation code is not an ODS code');
  }
  const site = event.source.site;
  if (site === undefined) return null;
  return checked(site, isOdsCode(site), 'source site is not an ODS code');
}

function user(event: AuditEventInput): { userId: string | null; role: string | null } {
  const agent = event.agent.find((a) => a.requestor);
  if (!agent) return { userId: null, role: null };
  const id = agent.who?.identifier;
  const userId =
    id?.system === SDS_USER_ID ? checked(id.value, id.value.length > 0, 'user id is empty') : null;
  let role: string | null = null;
  for (const r of agent.role ?? []) {
    const c = r.coding?.find((x) => x.system === SDS_JOB_ROLE);
    if (c) role = checked(c.code, isRoleCode(c.code), 'job role code is not one');
  }
  return { userId, role };
}

function purposeAndReason(
  event: AuditEventInput,
  type: EventType,
): { purpose: string | null; reason: string | null } {
  let purpose: string | null = null;
  let reason: string | null = null;
  for (const concept of event.purposeOfEvent ?? []) {
    for (const c of concept.coding ?? []) {
      if (c.system === ACT_REASON)
        purpose = checked(c.code, isActReason(c.code), 'purpose of use is not an ActReason code');
      else if (c.system === REPORT_PURPOSE && type === 'report-run')
        purpose = checked(c.code, isPurposeWord(c.code), 'report purpose is not a report purpose code');
      else if (c.system === SCR_ALERT_REASON)
        reason = checked(
          c.code,
          SCR_REASON_CODE.test(c.code),
          'alert reason is not an SCR alert code (1 to 6)',
        );
      else if (c.system === LR_CLAIM_REASON)
        reason = checked(c.code, isLrReason(c.code), 'relationship reason is not a reason code');
    }
  }
  return { purpose, reason };
}

function patientAndRecord(
  event: AuditEventInput,
  type: EventType,
): { nhsNumber: string | null; record: RecordKind | null } {
  let nhsNumber: string | null = null;
  let record: RecordKind | null = null;
  for (const e of event.entity ?? []) {
    const id = e.what?.identifier;
    if (e.role?.system === OBJECT_ROLE && e.role.code === '1' && id?.system === NHS_NUMBER) {
      const n = TEN_DIGITS.test(id.value) ? id.value : normaliseNhsNumber(id.value);
      checked(n, isValidNhsNumber(n), "patient's NHS number is not a valid NHS number");
      if (nhsNumber !== null && nhsNumber !== n) throw new FactError('event names more than one patient');
      nhsNumber = n;
    }
    // Only a read names a record; other events' details (a report run's parameters, say) are not read.
    if (type !== 'record-read') continue;
    for (const d of e.detail ?? []) {
      if (d.type === 'record' && d.valueString !== undefined) {
        checked(d.valueString, RECORD_KINDS.has(d.valueString), 'record is not a known record kind');
        record = d.valueString as RecordKind;
      }
    }
  }
  return { nhsNumber, record };
}

/** The facts of one parsed AuditEvent, or FactError when one is not in its code's shape or the type is unknown. */
export function factsOf(event: AuditEventInput): AuditFacts {
  const type = classify(event);
  if (type === null) {
    // Codes are named when they look like codes; anything else in their place is not repeated.
    const shown = [event.type.code, ...(event.subtype ?? []).map((c) => c.code)].filter((c) =>
      CODE_LIKE.test(c),
    );
    throw new FactError(
      `event's type${shown.length > 0 ? ` (${shown.join(' / ')})` : ''} is not one this workstation writes`,
    );
  }
  const { userId, role } = user(event);
  const { purpose, reason } = purposeAndReason(event, type);
  const { nhsNumber, record } = patientAndRecord(event, type);
  return {
    type,
    // A UTC instant (as the workstation writes them) names its day; one with an offset is moved to UTC first.
    day: event.recorded.endsWith('Z')
      ? event.recorded.slice(0, 10)
      : new Date(event.recorded).toISOString().slice(0, 10),
    outcome: event.outcome,
    org: organisation(event),
    role,
    purpose,
    reason,
    record,
    nhsNumber,
    userId,
  };
}

export const isAlert = (type: EventType): type is AlertType =>
  (ALERT_TYPES as readonly string[]).includes(type);
