/**
 * A privacy alert as the SCR FHIR API takes it (POST [base]/AuditEvent), made from the workstation's own
 * AuditEvent of an emergency access, a legal override or a self-claimed legitimate relationship; null for every
 * other event (those go only to the organisation's audit repository). The alert keeps the event's id, so a resend
 * after a lost answer stores nothing twice.
 *
 * Type and reason follow the API's table (type 1 "Create LR (Self Claimed)" takes reasons 1-4 and 6, type 2
 * "Access Alert" 1-3 and 5): an emergency access made in an emergency (5) is an Access Alert; a self-claimed
 * emergency access (4) and a legal override for another reason (6) are type 1; a legal override on public
 * interest, statute or court order (1-3) is an Access Alert; a self-claimed legitimate relationship is type 1,
 * reason 6, with the user's words as the notification message.
 */
import {
  permittedCombination,
  SCR_ALERT_REASON,
  SCR_ALERT_REASONS,
  SCR_ALERT_TYPE,
  SCR_ALERT_TYPES,
  SCR_NOTIFICATION_EXTENSION,
} from '../../../domain/scr-api';
import {
  codes,
  NHS_NUMBER,
  ODS_ORGANISATION,
  SCR_ALERT_REASON as LOCAL_ALERT_REASON,
  WORKSTATION_ID,
} from '../../events/codes';
import type { AuditEvent, Coding } from '../../events/fhir';

type Kind = 'emergency' | 'legal' | 'lr';

const same = (a: Coding | undefined, b: Coding) => a?.system === b.system && a?.code === b.code;

function kindOf(e: AuditEvent): Kind | null {
  const subtypes = e.subtype ?? [];
  if (subtypes.some((c) => same(c, codes.emergencyOverrideStarted))) return 'emergency';
  if (subtypes.some((c) => same(c, codes.legalOverride))) return 'legal';
  if (subtypes.some((c) => same(c, codes.lrSelfClaim))) return 'lr';
  return null;
}

function reasonOf(e: AuditEvent): string | null {
  for (const p of e.purposeOfEvent ?? [])
    for (const c of p.coding ?? []) if (c.system === LOCAL_ALERT_REASON && c.code) return c.code;
  return null;
}

function typeFor(kind: Kind, reason: string): { type: '1' | '2'; reason: string } {
  if (kind === 'lr') return { type: '1', reason: '6' };
  const type = permittedCombination('2', reason) ? '2' : '1';
  return { type, reason };
}

/** The SCR alert for this event, or null when the event is not a privacy alert (or lacks what an alert needs). */
export function scrAlertOf(e: AuditEvent): Record<string, unknown> | null {
  const kind = kindOf(e);
  if (!kind) return null;
  const reasonCode = kind === 'lr' ? '6' : reasonOf(e);
  if (!reasonCode || !(reasonCode in SCR_ALERT_REASONS)) return null;
  const { type, reason } = typeFor(kind, reasonCode);
  if (!permittedCombination(type, reason)) return null;
  const user = e.agent.find((a) => a.requestor);
  const org = e.agent.find((a) => a.who?.identifier?.system === ODS_ORGANISATION);
  const workstation = e.agent.find((a) => a.who?.identifier?.system === WORKSTATION_ID);
  const patient = e.entity?.find((x) => x.what?.identifier?.system === NHS_NUMBER);
  if (
    !user?.who?.identifier ||
    !org?.who?.identifier ||
    !workstation?.who?.identifier ||
    !patient?.what?.identifier
  )
    return null;
  const agent = (a: typeof user, requestor: boolean) => ({
    who: { identifier: a.who!.identifier },
    ...(a.role?.length ? { role: a.role.map((r) => ({ text: r.text ?? r.coding?.[0]?.code ?? '' })) } : {}),
    requestor,
  });
  return {
    resourceType: 'AuditEvent',
    id: e.id,
    extension: [{ url: SCR_NOTIFICATION_EXTENSION, valueString: e.outcomeDesc ?? 'Privacy alert' }],
    type: { system: SCR_ALERT_TYPE, code: type, display: SCR_ALERT_TYPES[type] },
    subtype: [
      {
        system: SCR_ALERT_REASON,
        code: reason,
        display: SCR_ALERT_REASONS[reason as keyof typeof SCR_ALERT_REASONS],
      },
    ],
    recorded: e.recorded,
    ...(e.outcomeDesc ? { outcomeDesc: e.outcomeDesc } : {}),
    agent: [agent(user, true), agent(org, false), agent(workstation, false)],
    source: { observer: { identifier: workstation.who!.identifier } },
    entity: [{ what: { identifier: patient.what.identifier } }],
  };
}
