/**
 * What the review screens read of an AuditEvent from the repository: the alert's type, who (user, role, role
 * profile, organisation, workstation), the patient, the coded reason and the clinician's words, and the encounter
 * id that links the reads made under it. Parsed with zod where the review depends on a value; an event of another
 * shape is refused as an unreadable answer (never half shown).
 */
import { z } from 'zod';
import {
  DCM,
  LOCAL_EVENT_SUBTYPE,
  LR_CLAIM_REASON,
  NHS_NUMBER,
  ODS_ORGANISATION,
  SCR_ALERT_REASON,
  SDS_JOB_ROLE,
  SDS_USER_ID,
  WORKSTATION_ID,
  scrAlertReasonLabel,
} from '../../audit/events/codes';
import { ENCOUNTER_ID_SYSTEM } from '../../audit/events/parts';
import type { AlertType } from '../../../src-shared/ipc/channels/review';

const short = z.string().max(2_000);
const Identifier = z.looseObject({ system: short.optional(), value: short.optional() });
const Coding = z.looseObject({ system: short.optional(), code: short.optional(), display: short.optional() });
const Concept = z.looseObject({ coding: z.array(Coding).max(20).optional(), text: short.optional() });

export const RepositoryEvent = z.looseObject({
  resourceType: z.literal('AuditEvent'),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  type: Coding,
  subtype: z.array(Coding).max(10).optional(),
  recorded: z.iso.datetime({ offset: true }),
  outcome: short.optional(),
  outcomeDesc: short.optional(),
  purposeOfEvent: z.array(Concept).max(10).optional(),
  agent: z
    .array(
      z.looseObject({
        who: z.looseObject({ identifier: Identifier.optional(), display: short.optional() }).optional(),
        altId: short.optional(),
        name: short.optional(),
        requestor: z.boolean(),
        role: z.array(Concept).max(10).optional(),
      }),
    )
    .max(20),
  source: z.looseObject({
    site: short.optional(),
    observer: z.looseObject({ identifier: Identifier.optional(), display: short.optional() }),
  }),
  entity: z
    .array(
      z.looseObject({
        what: z.looseObject({ identifier: Identifier.optional(), reference: short.optional() }).optional(),
        name: short.optional(),
        detail: z
          .array(z.looseObject({ type: short, valueString: short.optional() }))
          .max(20)
          .optional(),
      }),
    )
    .max(20)
    .optional(),
});
export type RepositoryEvent = z.infer<typeof RepositoryEvent>;

/** The subtype of each alert type, as the workstation writes it (audit/events/codes.ts). */
export const ALERT_SUBTYPES: Record<AlertType, { system: string; code: string }> = {
  emergency: { system: DCM, code: '110127' },
  legal: { system: LOCAL_EVENT_SUBTYPE, code: 'legal-override' },
  'self-claimed-lr': { system: LOCAL_EVENT_SUBTYPE, code: 'lr-self-claim' },
};

/** The subtype search value for some alert types (comma = or). */
export function alertSubtypeParam(types: readonly AlertType[]): string {
  return types.map((t) => `${ALERT_SUBTYPES[t].system}|${ALERT_SUBTYPES[t].code}`).join(',');
}

export function alertTypeOf(e: RepositoryEvent): AlertType | null {
  if (e.type.system !== DCM || e.type.code !== '110113') return null;
  for (const [type, s] of Object.entries(ALERT_SUBTYPES) as [AlertType, { system: string; code: string }][])
    if (e.subtype?.some((c) => c.system === s.system && c.code === s.code)) return type;
  return null;
}

const LR_REASONS: Record<string, string> = {
  'treating-now': 'Treating the patient now',
  'referred-informally': 'Referred informally',
  other: 'Other',
};

/** National job role names the workstation's roles carry (anything else is shown by its code). */
const JOB_ROLES: Record<string, string> = {
  R8000: 'Clinical Practitioner Access Role',
  R8001: 'Nurse Access Role',
  R8003: 'Health Professional Access Role',
  R8008: 'Admin/Clinical Support Access Role',
  R8010: 'Clerical Access Role',
  R0001: 'Privacy Officer',
};

export interface AlertFacts {
  id: string;
  type: AlertType;
  recorded: string;
  reasonCode: string | null;
  reasonLabel: string;
  reasonText: string | null;
  userId: string | null;
  userName: string | null;
  roleCode: string | null;
  roleName: string | null;
  urid: string | null;
  orgCode: string | null;
  workstationId: string | null;
  nhsNumber: string | null;
  encounterId: string | null;
}

function requestor(e: RepositoryEvent) {
  return e.agent.find((a) => a.requestor && a.who?.identifier?.system === SDS_USER_ID);
}

export function eventUserId(e: RepositoryEvent): string | null {
  return requestor(e)?.who?.identifier?.value ?? null;
}

export function eventOrgCode(e: RepositoryEvent): string | null {
  return e.agent.find((a) => a.who?.identifier?.system === ODS_ORGANISATION)?.who?.identifier?.value ?? null;
}

export function eventWorkstation(e: RepositoryEvent): string | null {
  return e.source.observer.identifier?.system === WORKSTATION_ID
    ? (e.source.observer.identifier.value ?? null)
    : null;
}

export function eventNhsNumber(e: RepositoryEvent): string | null {
  return e.entity?.find((x) => x.what?.identifier?.system === NHS_NUMBER)?.what?.identifier?.value ?? null;
}

export function eventEncounterId(e: RepositoryEvent): string | null {
  return (
    e.entity?.find((x) => x.what?.identifier?.system === ENCOUNTER_ID_SYSTEM)?.what?.identifier?.value ?? null
  );
}

export function eventDetail(e: RepositoryEvent, type: string): string | null {
  for (const x of e.entity ?? []) {
    const d = x.detail?.find((y) => y.type === type);
    if (d) return d.valueString ?? null;
  }
  return null;
}

/** The facts of an alert event, or null when the event is not an alert. */
export function alertFacts(e: RepositoryEvent): AlertFacts | null {
  const type = alertTypeOf(e);
  if (!type) return null;
  const user = requestor(e);
  let reasonCode: string | null = null;
  let reasonLabel = 'No reason recorded';
  let reasonText: string | null = null;
  for (const p of e.purposeOfEvent ?? []) {
    const c = p.coding?.find((x) => x.system === SCR_ALERT_REASON || x.system === LR_CLAIM_REASON);
    if (!c?.code) continue;
    reasonCode = c.code;
    reasonLabel =
      (c.system === SCR_ALERT_REASON ? scrAlertReasonLabel(c.code) : LR_REASONS[c.code]) ??
      `Reason ${c.code}`;
    reasonText = p.text ?? null;
  }
  const roleCode =
    user?.role?.flatMap((r) => r.coding ?? []).find((c) => c.system === SDS_JOB_ROLE)?.code ?? null;
  return {
    id: e.id,
    type,
    recorded: e.recorded,
    reasonCode,
    reasonLabel,
    reasonText,
    userId: user?.who?.identifier?.value ?? null,
    userName: user?.name ?? user?.who?.display ?? null,
    roleCode,
    roleName: roleCode ? (JOB_ROLES[roleCode] ?? roleCode) : null,
    urid: user?.altId ?? null,
    orgCode: eventOrgCode(e),
    workstationId: eventWorkstation(e),
    nhsNumber: eventNhsNumber(e),
    encounterId: eventEncounterId(e),
  };
}

/** Subtype codes to the type word of the events an override's encounter holds, most specific first. */
const EVENT_WORDS: readonly [string, string][] = [
  ['sharing-preferences-read', 'preferences-read'],
  ['alert-review', 'review-action'],
  ['override-pin-refused', 'override-pin-refused'],
  ['AuthZ-Consent', 'ptv'],
  ['110127', 'emergency'],
  ['legal-override', 'legal'],
  ['lr-self-claim', 'self-claimed-lr'],
  ['read', 'record-read'],
];

/** The type word of an event made under an encounter (the review shows reads, permission, PIN refusals). */
export function eventTypeWord(e: RepositoryEvent): string {
  const codes = new Set((e.subtype ?? []).map((s) => s.code));
  for (const [code, word] of EVENT_WORDS) if (codes.has(code)) return word;
  return e.subtype?.[0]?.code ?? e.type.code ?? 'unknown';
}
