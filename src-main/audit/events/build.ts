/**
 * Turns one AuditEntry into a FHIR R4 AuditEvent following the IHE BALP patterns and the table in
 * docs/specs/audit.md. Pure: the caller supplies the UUID, the time and the machine name.
 */
import type { AuditActor, AuditEntry, AuditPatient, LogoutReason, RecordKind } from '../types';
import { canonicalJson } from './canonical';
import { codes, LR_CLAIM_REASON, purpose, REPORT_PURPOSE, scrAlertReason } from './codes';
import type { AuditEvent, AuditEventAgent, AuditEventEntity, CodeableConcept, Coding } from './fhir';
import {
  actorAgents,
  cachedActorAgents,
  cachedAgentList,
  concept,
  deepFreeze,
  patientEntity,
  patientEventEntities,
  source,
  type BuildContext,
} from './parts';

export type { BuildContext } from './parts';

/** outcomeDesc of a logout the user did not ask for (shared workstations). */
const LOGOUT_WORDS: Record<LogoutReason, string> = {
  'card-removed': 'Signed out: smartcard removed (this workstation signs out on removal)',
  'locked-too-long': 'Signed out: the session was locked for longer than this workstation allows',
  'session-limit': 'Signed out: the oldest locked session, to make room for a new one',
  'card-blocked': 'Signed out: the smartcard was blocked',
  'other-card': 'Signed out: the card was refused when it came back',
  'role-change': 'Role profile changed: the old role ended',
};

const recordNames: Record<RecordKind, string> = {
  'scr-core': 'Summary Care Record (core)',
  'scr-additional': 'Summary Care Record (Additional Information)',
  mig: 'Medical Interoperability Gateway record',
};

// Fixed parts of read events, frozen so canonicalJson reuses their text.
const purposeConcepts: Record<'TREAT' | 'ETREAT', CodeableConcept> = {
  TREAT: deepFreeze(concept(purpose('TREAT'))),
  ETREAT: deepFreeze(concept(purpose('ETREAT'))),
};
const purposeOfRead: Record<'TREAT' | 'ETREAT', CodeableConcept[]> = {
  TREAT: deepFreeze([purposeConcepts.TREAT]),
  ETREAT: deepFreeze([purposeConcepts.ETREAT]),
};
const readSubtype: Coding[] = deepFreeze([codes.read]);
const recordServer = (name: string): AuditEventAgent =>
  deepFreeze({ type: concept(codes.destinationRole), who: { display: name }, requestor: false });
const recordServers: Record<RecordKind, AuditEventAgent> = {
  'scr-core': recordServer(recordNames['scr-core']),
  'scr-additional': recordServer(recordNames['scr-additional']),
  mig: recordServer(recordNames.mig),
};

function base(ctx: BuildContext): Pick<AuditEvent, 'resourceType' | 'id' | 'recorded'> {
  return { resourceType: 'AuditEvent', id: ctx.uuid, recorded: ctx.recorded };
}

function reasonConcept(coding: CodeableConcept['coding'], text: string): CodeableConcept {
  return { ...(coding ? { coding } : {}), text };
}

/**
 * A privacy-officer alert about one patient (emergency override, legal override, LR self-claim): DCM 110113
 * Security Alert with its subtype, the purpose of use plus the coded reason and its text.
 */
function patientAlert(
  common: Pick<AuditEvent, 'resourceType' | 'id' | 'recorded' | 'source'>,
  entry: { actor: AuditActor; patient: AuditPatient; encounterId?: string | undefined },
  ctx: BuildContext,
  subtype: Coding,
  purposeCoding: Coding,
  reason: CodeableConcept,
  outcomeDesc: string,
): AuditEvent {
  const purposes = [concept(purposeCoding), reason];
  return {
    ...common,
    type: codes.securityAlert,
    subtype: [subtype],
    action: 'E',
    outcome: '0',
    outcomeDesc,
    purposeOfEvent: purposes,
    agent: actorAgents(entry.actor, ctx, purposes),
    entity: patientEventEntities(entry.patient, entry.encounterId),
  };
}

export function buildAuditEvent(entry: AuditEntry, ctx: BuildContext): AuditEvent {
  const common = { ...base(ctx), source: source(entry.actor) };
  switch (entry.kind) {
    case 'login':
      return {
        ...common,
        type: codes.userAuthentication,
        subtype: [codes.login],
        action: 'E',
        outcome: '0',
        agent: cachedActorAgents(entry.actor, ctx),
      };
    case 'login-refused':
      return {
        ...common,
        type: codes.userAuthentication,
        subtype: [codes.login],
        action: 'E',
        outcome: entry.outcome === 'serious-failure' ? '8' : '4',
        outcomeDesc: entry.reason,
        agent: cachedActorAgents(entry.actor, ctx),
      };
    case 'logout':
      return {
        ...common,
        type: codes.userAuthentication,
        subtype: [codes.logout],
        action: 'E',
        outcome: '0',
        ...(entry.reason ? { outcomeDesc: LOGOUT_WORDS[entry.reason] } : {}),
        agent: cachedActorAgents(entry.actor, ctx),
      };
    case 'session-locked':
      // A locked session is signed out for every purpose that matters to the audit (no data can be released),
      // so it carries the DICOM Logout subtype plus our own code that says it can be unlocked.
      return {
        ...common,
        type: codes.userAuthentication,
        subtype: [codes.logout, codes.sessionLocked],
        action: 'E',
        outcome: '0',
        outcomeDesc:
          entry.reason === 'card-removed' ? 'Session locked: smartcard removed' : 'Session locked: idle',
        agent: cachedActorAgents(entry.actor, ctx),
      };
    case 'session-unlocked':
      return {
        ...common,
        type: codes.userAuthentication,
        subtype: [codes.login, codes.sessionUnlocked],
        action: 'E',
        outcome: '0',
        outcomeDesc:
          entry.pin === 'grace'
            ? 'Session unlocked: same smartcard, PIN not typed (presented again within the PIN grace)'
            : 'Session unlocked: same smartcard and PIN',
        agent: cachedActorAgents(entry.actor, ctx),
      };
    case 'ptv':
      // BALP AuthZconsent: an access decision made on the patient's consent; a refusal is the "deny" outcome.
      return {
        ...common,
        type: codes.securityAlert,
        subtype: [codes.authzConsent],
        action: 'E',
        outcome: entry.decision === 'given' ? '0' : '4',
        outcomeDesc:
          entry.decision === 'given'
            ? 'Patient gave permission to view'
            : 'Patient refused permission to view',
        purposeOfEvent: [concept(purpose('TREAT'))],
        agent: cachedActorAgents(entry.actor, ctx),
        entity: patientEventEntities(entry.patient, entry.encounterId, {
          type: codes.entitySystemObject,
          role: codes.roleSecurityResource,
          name: 'Permission to view',
          detail: [{ type: 'decision', valueString: entry.decision }],
        }),
      };
    case 'record-read': {
      const data: AuditEventEntity = {
        type: codes.entitySystemObject,
        role: codes.roleDomainResource,
        name: recordNames[entry.record],
        detail: [
          { type: 'record', valueString: entry.record },
          { type: 'sections', valueString: entry.sections.join(',') },
        ],
      };
      // The most frequent event: its fixed lists are shared frozen constants and its agents one memoised frozen
      // list, so canonicalJson reuses their text.
      return {
        ...common,
        type: codes.rest,
        subtype: readSubtype,
        action: 'R',
        outcome: '0',
        purposeOfEvent: purposeOfRead[entry.purpose],
        agent: cachedAgentList(entry.actor, ctx, purpose(entry.purpose), recordServers[entry.record]),
        entity: patientEventEntities(entry.patient, entry.encounterId, data),
      };
    }
    case 'emergency-override':
      return patientAlert(
        common,
        entry,
        ctx,
        codes.emergencyOverrideStarted,
        purpose('ETREAT'),
        reasonConcept([scrAlertReason(entry.reasonCode)], entry.reasonText),
        `Emergency access: ${entry.reasonText}`,
      );
    case 'legal-override':
      return patientAlert(
        common,
        entry,
        ctx,
        codes.legalOverride,
        purpose('HLEGAL'),
        reasonConcept([scrAlertReason(entry.reasonCode)], entry.reasonText),
        `Legal override: ${entry.reasonText}`,
      );
    case 'lr-self-claim':
      return patientAlert(
        common,
        entry,
        ctx,
        codes.lrSelfClaim,
        purpose('TREAT'),
        reasonConcept([{ system: LR_CLAIM_REASON, code: entry.reason }], entry.reasonText),
        `Legitimate relationship self-claimed: ${entry.reasonText}`,
      );
    case 'preferences-read':
      // The patient's own words are not copied into the event: the entity says what was read, not what it said.
      return {
        ...common,
        type: codes.rest,
        subtype: [codes.read, codes.preferencesRead],
        action: 'R',
        outcome: '0',
        purposeOfEvent: purposeOfRead.TREAT,
        agent: cachedActorAgents(entry.actor, ctx),
        entity: [
          patientEntity(entry.patient),
          { type: codes.entitySystemObject, role: codes.roleSecurityResource, name: 'Sharing preferences' },
        ],
      };
    case 'override-pin-refused':
      return {
        ...common,
        type: codes.securityAlert,
        subtype: [codes.overridePinRefused],
        action: 'E',
        outcome: entry.outcome === 'card-blocked' ? '8' : '4',
        outcomeDesc:
          entry.outcome === 'card-blocked'
            ? `Wrong PIN confirming a ${entry.override} override: the card is now blocked and the session ended`
            : `Wrong PIN confirming a ${entry.override} override (${entry.triesLeft} ${entry.triesLeft === 1 ? 'try' : 'tries'} left)`,
        agent: cachedActorAgents(entry.actor, ctx),
        entity: patientEventEntities(entry.patient, entry.encounterId, {
          type: codes.entitySystemObject,
          role: codes.roleSecurityResource,
          name: 'Override PIN confirmation',
          detail: [
            { type: 'override', valueString: entry.override },
            { type: 'outcome', valueString: entry.outcome },
            { type: 'tries-left', valueString: String(entry.triesLeft) },
          ],
        }),
      };
    case 'preference-changed':
      return {
        ...common,
        type: codes.patientRecord,
        subtype: [codes.update, codes.preferenceChanged],
        action: 'U',
        outcome: '0',
        purposeOfEvent: [concept(purpose('TREAT'))],
        agent: cachedActorAgents(entry.actor, ctx),
        entity: [
          patientEntity(entry.patient),
          {
            type: codes.entitySystemObject,
            role: codes.roleSecurityResource,
            name: 'Sharing preferences',
            detail: [
              { type: 'old', valueString: canonicalJson(entry.from) },
              { type: 'new', valueString: canonicalJson(entry.to) },
              { type: 'patient-statement', valueString: entry.patientStatement },
            ],
          },
        ],
      };
    case 'report-run': {
      // DCM 110112 Query: the report is a query over audit data. A refusal is the minor-failure outcome with the
      // reason as given; the parameters are codes and counts, each one detail.
      const details = Object.keys(entry.parameters)
        .sort()
        .map((k) => ({ type: k, valueString: entry.parameters[k] ?? '' }));
      const declared: CodeableConcept[] =
        'code' in entry.purpose
          ? [concept({ system: REPORT_PURPOSE, code: entry.purpose.code })]
          : entry.purpose.text.trim() === ''
            ? [] // nothing declared: FHIR allows no empty text
            : [{ text: entry.purpose.text }];
      return {
        ...common,
        type: codes.query,
        subtype: [entry.report === 'green' ? codes.greenReport : codes.amberExtract],
        action: 'E',
        outcome: entry.refusal === undefined ? '0' : '4',
        ...(entry.refusal === undefined ? {} : { outcomeDesc: entry.refusal }),
        ...(declared.length > 0 ? { purposeOfEvent: declared } : {}),
        agent: cachedActorAgents(entry.actor, ctx),
        entity: [
          {
            type: codes.entitySystemObject,
            role: codes.roleReport,
            name: entry.report === 'green' ? 'Green report (aggregated)' : 'Amber extract (pseudonymised)',
            ...(details.length > 0 ? { detail: details } : {}),
          },
        ],
      };
    }
    case 'review-action': {
      // A RESTful interaction on the review (read for a view or a sample drawn, update for a change), with the
      // alert it concerns as an entity by reference and the action's codes as details.
      const details = [
        { type: 'action', valueString: entry.action },
        ...Object.keys(entry.parameters)
          .sort()
          .map((k) => ({ type: k, valueString: entry.parameters[k] ?? '' })),
      ];
      const reads = entry.action === 'alert-viewed' || entry.action === 'sample-drawn';
      const alert: AuditEventEntity = {
        ...(entry.alertId ? { what: { reference: `AuditEvent/${entry.alertId}` } } : {}),
        type: codes.entitySystemObject,
        role: codes.roleSecurityResource,
        name: entry.alertId ? 'Privacy officer alert' : 'Sample of privacy officer alerts',
        detail: details,
      };
      return {
        ...common,
        type: codes.rest,
        subtype: [reads ? codes.read : codes.update, codes.alertReview],
        action: reads ? 'R' : 'U',
        outcome: '0',
        agent: cachedActorAgents(entry.actor, ctx),
        entity: entry.patient ? [patientEntity(entry.patient), alert] : [alert],
      };
    }
    case 'delivery-failure':
      return {
        ...common,
        type: codes.securityAlert,
        subtype: [codes.deliveryFailure],
        action: 'E',
        outcome: '4',
        outcomeDesc: `Audit delivery over ${entry.transport} failed: ${entry.error}`,
        agent: cachedActorAgents(entry.actor, ctx),
        entity: [
          {
            type: codes.entitySystemObject,
            role: codes.roleDataDestination,
            name: `Audit transport ${entry.transport}`,
            detail: [{ type: 'transport', valueString: entry.transport }],
          },
        ],
      };
    case 'tamper-detected':
      return {
        ...common,
        type: codes.securityAlert,
        subtype: [codes.tamperDetected],
        action: 'E',
        outcome: '8',
        outcomeDesc: `Audit log check failed at sequence ${entry.firstBadSeq}: ${entry.detail}`,
        agent: cachedActorAgents(entry.actor, ctx),
        entity: [
          {
            type: codes.entitySystemObject,
            role: codes.roleDataRepository,
            name: 'Local audit log',
            detail: [{ type: 'first-bad-seq', valueString: String(entry.firstBadSeq) }],
          },
        ],
      };
  }
}
