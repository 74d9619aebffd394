/**
 * The part of the FHIR R4 AuditEvent resource this workstation writes (http://hl7.org/fhir/R4/auditevent.html).
 * Only the elements we fill are typed; unit tests validate the output against the published R4 JSON schema.
 */

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  system: string;
  value: string;
}

export interface Reference {
  /** A literal reference, e.g. AuditEvent/{id} (a review action names the alert it is about). */
  reference?: string;
  identifier?: Identifier;
  display?: string;
}

/** AuditEvent.agent.network.type: 1 machine name, 2 IP address, 3 telephone, 4 email, 5 URI. */
export type NetworkType = '1' | '2' | '3' | '4' | '5';

export interface AuditEventAgent {
  type?: CodeableConcept;
  role?: CodeableConcept[];
  who?: Reference;
  altId?: string;
  name?: string;
  requestor: boolean;
  network?: { address: string; type: NetworkType };
  purposeOfUse?: CodeableConcept[];
}

export interface AuditEventEntityDetail {
  type: string;
  valueString?: string;
  valueBase64Binary?: string;
}

export interface AuditEventEntity {
  what?: Reference;
  type?: Coding;
  role?: Coding;
  name?: string;
  description?: string;
  detail?: AuditEventEntityDetail[];
}

export interface AuditEventSource {
  site?: string;
  observer: Reference;
  type?: Coding[];
}

/** 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export type AuditOutcome = '0' | '4' | '8' | '12';

export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

export interface AuditEvent {
  resourceType: 'AuditEvent';
  /** A random UUID: the event's identity and the idempotency key for remote delivery. */
  id: string;
  type: Coding;
  subtype?: Coding[];
  action: AuditAction;
  /** FHIR instant (ISO 8601 with seconds and zone). */
  recorded: string;
  outcome: AuditOutcome;
  outcomeDesc?: string;
  purposeOfEvent?: CodeableConcept[];
  agent: AuditEventAgent[];
  source: AuditEventSource;
  entity?: AuditEventEntity[];
}
