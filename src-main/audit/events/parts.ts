/**
 * Reusable AuditEvent parts: the user, organisation and workstation agents, the source, and the patient entity.
 * The user agent follows BALP's `user` slice (information recipient, requestor=true); the workstation is the
 * client (Source Role ID) with its network address; the organisation is BALP's `userorg` (healthcare provider).
 */
import type { AuditActor, AuditPatient } from '../types';
import { canonicalJson } from './canonical';
import {
  NHS_NUMBER,
  ODS_ORGANISATION,
  SDS_JOB_ROLE,
  SDS_ROLE_PROFILE_ID,
  SDS_USER_ID,
  WORKSTATION_ID,
  codes,
} from './codes';
import type { AuditEventAgent, AuditEventEntity, AuditEventSource, CodeableConcept, Coding } from './fhir';

export interface BuildContext {
  /** Random UUID (the event id). */
  uuid: string;
  /** FHIR instant. */
  recorded: string;
  /** Host name of this machine, the workstation agent's network address. */
  machineName: string;
}

/** The signed-in (or signing-in) user; null when nothing is known about them yet. */
function userAgent(actor: AuditActor, purposeOfUse?: CodeableConcept[]): AuditEventAgent | null {
  if (!actor.userId && !actor.displayName) return null;
  const role: CodeableConcept[] = [];
  if (actor.urid)
    role.push({ coding: [{ system: SDS_ROLE_PROFILE_ID, code: actor.urid }], text: 'Role profile (URID)' });
  if (actor.roleCode) role.push({ coding: [{ system: SDS_JOB_ROLE, code: actor.roleCode }] });
  return {
    type: { coding: [codes.informationRecipient] },
    ...(role.length > 0 ? { role } : {}),
    who: {
      ...(actor.userId ? { identifier: { system: SDS_USER_ID, value: actor.userId } } : {}),
      ...(actor.displayName ? { display: actor.displayName } : {}),
    },
    ...(actor.urid ? { altId: actor.urid } : {}),
    ...(actor.displayName ? { name: actor.displayName } : {}),
    requestor: true,
    ...(purposeOfUse ? { purposeOfUse } : {}),
  };
}

function organisationAgent(actor: AuditActor): AuditEventAgent | null {
  if (!actor.orgCode) return null;
  return {
    type: { coding: [codes.healthcareProvider] },
    who: { identifier: { system: ODS_ORGANISATION, value: actor.orgCode } },
    requestor: false,
  };
}

export function workstationAgent(actor: AuditActor, ctx: BuildContext): AuditEventAgent {
  return {
    type: { coding: [codes.sourceRole] },
    who: { identifier: { system: WORKSTATION_ID, value: actor.workstationId }, display: actor.workstationId },
    requestor: false,
    network: { address: ctx.machineName, type: '1' },
  };
}

/** User (when known), organisation (when known), workstation: in that order. */
export function actorAgents(
  actor: AuditActor,
  ctx: BuildContext,
  purposeOfUse?: CodeableConcept[],
): AuditEventAgent[] {
  return [userAgent(actor, purposeOfUse), organisationAgent(actor), workstationAgent(actor, ctx)].filter(
    (a): a is AuditEventAgent => a !== null,
  );
}

/** Freezes an object and everything in it (canonicalJson then reuses its text). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * An unambiguous key for a list of optional strings: each is length-prefixed (absent is `-`), so no two different
 * lists give the same key whatever characters the values contain. Cheaper than JSON.stringify on every event.
 */
function contentKey(values: readonly (string | undefined)[]): string {
  let key = '';
  for (const v of values) key += v === undefined ? '-|' : `${v.length}:${v}|`;
  return key;
}

// A session records many events for the same person and role: their agents are built once, deeply frozen (so
// canonicalJson reuses their text too) and looked up by content, never by object identity, so a caller that
// reuses and changes an actor object still gets the right agents.
const agentCache = new Map<string, readonly AuditEventAgent[]>();
const AGENT_CACHE_LIMIT = 64;

/** actorAgents with a fixed purpose of use (or none), memoised by the actor's content. */
function actorKey(actor: AuditActor, ctx: BuildContext, purposeOfUse?: Coding): string {
  return contentKey([
    actor.userId,
    actor.displayName,
    actor.urid,
    actor.roleCode,
    actor.orgCode,
    actor.workstationId,
    ctx.machineName,
    purposeOfUse?.system,
    purposeOfUse?.code,
  ]);
}

export function cachedActorAgents(
  actor: AuditActor,
  ctx: BuildContext,
  purposeOfUse?: Coding,
): AuditEventAgent[] {
  const key = actorKey(actor, ctx, purposeOfUse);
  let agents = agentCache.get(key);
  if (!agents) {
    if (agentCache.size >= AGENT_CACHE_LIMIT) agentCache.clear();
    agents = deepFreeze(actorAgents(actor, ctx, purposeOfUse ? [{ coding: [purposeOfUse] }] : undefined));
    agentCache.set(key, agents);
  }
  // A new (unfrozen) array each time, so a builder may append its own agents; the agents inside are shared.
  return [...agents];
}

const agentListCache = new Map<string, AuditEventAgent[]>();

/**
 * The actor's agents (as cachedActorAgents) followed by `extra` (e.g. the record server of a read), as one deeply
 * frozen list memoised by content, so canonicalJson reuses the text of the whole list. Callers must not change it.
 */
export function cachedAgentList(
  actor: AuditActor,
  ctx: BuildContext,
  purposeOfUse: Coding | undefined,
  extra: AuditEventAgent,
): AuditEventAgent[] {
  const key = `${actorKey(actor, ctx, purposeOfUse)}#${canonicalJson(extra)}`;
  let list = agentListCache.get(key);
  if (!list) {
    if (agentListCache.size >= AGENT_CACHE_LIMIT) agentListCache.clear();
    list = deepFreeze([...cachedActorAgents(actor, ctx, purposeOfUse), extra]);
    agentListCache.set(key, list);
  }
  return list;
}

const sourceCache = new Map<string, AuditEventSource>();

/** The source (this workstation), memoised by content and deeply frozen like the cached agents. */
export function source(actor: AuditActor): AuditEventSource {
  const key = `${actor.orgCode ?? ''}\u0000${actor.workstationId}`;
  let s = sourceCache.get(key);
  if (!s) {
    if (sourceCache.size >= AGENT_CACHE_LIMIT) sourceCache.clear();
    s = deepFreeze(buildSource(actor));
    sourceCache.set(key, s);
  }
  return s;
}

function buildSource(actor: AuditActor): AuditEventSource {
  return {
    ...(actor.orgCode ? { site: actor.orgCode } : {}),
    observer: {
      identifier: { system: WORKSTATION_ID, value: actor.workstationId },
      display: actor.workstationId,
    },
    type: [codes.userDevice],
  };
}

const patientCache = new Map<string, AuditEventEntity>();

/**
 * The patient, by NHS number: entity type 1 Person, role 1 Patient. A session records many events about the
 * same patient, so the entity is memoised by NHS number and deeply frozen (canonicalJson then reuses its text).
 */
export function patientEntity(patient: AuditPatient): AuditEventEntity {
  let e = patientCache.get(patient.nhsNumber);
  if (!e) {
    if (patientCache.size >= AGENT_CACHE_LIMIT) patientCache.clear();
    e = deepFreeze({
      what: { identifier: { system: NHS_NUMBER, value: patient.nhsNumber } },
      type: codes.entityPerson,
      role: codes.rolePatient,
    });
    patientCache.set(patient.nhsNumber, e);
  }
  return e;
}

/** The identifier system of encounter ids (random UUIDs the workstation gives each encounter). */
export const ENCOUNTER_ID_SYSTEM = 'https://stethoscope.invalid/fhir/Id/encounter';

/**
 * The encounter an event happened in, as an entity a repository can be searched by (`entity:identifier`): a
 * reviewer finds everything read under an override by its encounter id.
 */
export function encounterEntity(encounterId: string): AuditEventEntity {
  return {
    what: { identifier: { system: ENCOUNTER_ID_SYSTEM, value: encounterId } },
    type: codes.entityEncounter,
    name: 'Encounter',
  };
}

/** The entities of a patient event: the patient, what the event is about, and the encounter when there is one. */
export function patientEventEntities(
  patient: AuditPatient,
  encounterId: string | undefined,
  ...more: AuditEventEntity[]
): AuditEventEntity[] {
  const list = [patientEntity(patient), ...more];
  if (encounterId) list.push(encounterEntity(encounterId));
  return list;
}

export const concept = (...coding: Coding[]): CodeableConcept => ({ coding });
