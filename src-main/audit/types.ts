/**
 * The audit trail's boundary: what services record (AuditEntry), what the log promises (AuditTrail), and what the
 * shippers read and acknowledge (Outbox). See docs/specs/audit.md. LocalAuditTrail and LocalOutbox add what the
 * SQLite implementation also offers (batch append, on-demand checkpoint, wake-ups and retry times for shippers).
 */
import type { SharingPreferences } from '../../src-shared/domain/records';
import type { AuditStatus } from '../../src-shared/ipc/channels/audit';

/** Who did it. Before sign-in completes some fields are unknown. */
export interface AuditActor {
  userId?: string;
  displayName?: string;
  /** Role profile id (URID). */
  urid?: string;
  roleCode?: string;
  orgCode?: string;
  workstationId: string;
}

export interface AuditPatient {
  nhsNumber: string;
}

export type RecordKind = 'scr-core' | 'scr-additional' | 'mig';

/**
 * The encounter an event happened in (its random id): every read made under an override carries the override's
 * encounter id, so a reviewer sees everything read under it (docs/specs/audit.md).
 */
export interface InEncounter {
  encounterId?: string;
}

/** One auditable happening, in domain terms; the log turns it into a FHIR R4 AuditEvent (IHE BALP). */
/** Why a session ended without the user choosing to sign out (or, for role-change, ended its old role). */
export type LogoutReason =
  'card-removed' | 'locked-too-long' | 'session-limit' | 'card-blocked' | 'other-card' | 'role-change';

export type AuditEntry =
  | { kind: 'login'; actor: AuditActor; outcome: 'success' }
  | { kind: 'login-refused'; actor: AuditActor; reason: string; outcome: 'minor-failure' | 'serious-failure' }
  | {
      kind: 'logout';
      actor: AuditActor;
      /** Why the session ended, when it was not the user signing out (shared workstations). */
      reason?: LogoutReason;
    }
  | { kind: 'session-locked'; actor: AuditActor; reason: 'card-removed' | 'idle' }
  | {
      kind: 'session-unlocked';
      actor: AuditActor;
      /** Set when the PIN was not typed but presented again from PIN grace (card.sessions.pinGraceMinutes). */
      pin?: 'grace';
    }
  | ({ kind: 'ptv'; actor: AuditActor; patient: AuditPatient; decision: 'given' | 'refused' } & InEncounter)
  | ({
      kind: 'record-read';
      actor: AuditActor;
      patient: AuditPatient;
      record: RecordKind;
      /** Section keys released, e.g. ['medications','allergies']. */
      sections: string[];
      purpose: 'TREAT' | 'ETREAT';
    } & InEncounter)
  | ({
      kind: 'emergency-override';
      actor: AuditActor;
      patient: AuditPatient;
      /** SCR alert code: 4 self-claimed emergency access, 5 access made in an emergency. */
      reasonCode: 4 | 5;
      reasonText: string;
    } & InEncounter)
  | ({
      kind: 'legal-override';
      actor: AuditActor;
      patient: AuditPatient;
      reasonCode: 1 | 2 | 3 | 6;
      reasonText: string;
    } & InEncounter)
  | ({
      kind: 'lr-self-claim';
      actor: AuditActor;
      patient: AuditPatient;
      reason: string;
      reasonText: string;
    } & InEncounter)
  | { kind: 'preferences-read'; actor: AuditActor; patient: AuditPatient }
  | ({
      /** A PIN re-entered to confirm an override was wrong (the card counts it); `blocked` when it was the last try. */
      kind: 'override-pin-refused';
      actor: AuditActor;
      patient: AuditPatient;
      override: 'emergency' | 'legal';
      outcome: 'wrong-pin' | 'card-blocked';
      triesLeft: number;
    } & InEncounter)
  | {
      kind: 'preference-changed';
      actor: AuditActor;
      patient: AuditPatient;
      from: SharingPreferences;
      to: SharingPreferences;
      patientStatement: string;
    }
  | {
      /** A privacy officer's green report or amber extract, produced or refused (privacy-officer spec). */
      kind: 'report-run';
      actor: AuditActor;
      report: 'green' | 'amber';
      /** The declared purpose of use: a report purpose code, or the words given when they are not one. */
      purpose: { code: string } | { text: string };
      /** What the run covered, as codes and counts (e.g. by: 'org,month', events: '20000'); empty when refused. */
      parameters: Readonly<Record<string, string>>;
      /** Set when the run was refused: the reason given to the user. */
      refusal?: string;
    }
  | {
      /**
       * A privacy officer's action on an alert (privacy-officer spec: "every review action ... is itself
       * audited"): viewing it (red data, one alert at a time), taking it, a note, a status change, closing,
       * escalating, marking the patient to be informed, or drawing a sample. Codes only: a note's words live in
       * the review Task, not here.
       */
      kind: 'review-action';
      actor: AuditActor;
      action: ReviewActionCode;
      /** The alert's AuditEvent id; absent for a sample (which names its alerts in `parameters`). */
      alertId?: string;
      /** The patient the alert is about, when the action showed or changed their alert. */
      patient?: AuditPatient;
      /** Codes and counts, e.g. status: 'closed-appropriate', seed: '…', selected: 'id,id'. */
      parameters: Readonly<Record<string, string>>;
    }
  | { kind: 'delivery-failure'; actor: AuditActor; transport: TransportName; error: string }
  | { kind: 'tamper-detected'; actor: AuditActor; firstBadSeq: number; detail: string };

export type ReviewActionCode =
  'alert-viewed' | 'take' | 'note' | 'status' | 'close' | 'escalate' | 'inform' | 'sample-drawn';

export interface AuditReceipt {
  seq: number;
  uuid: string;
}

/** Thrown when an event cannot be made durable (disk full, database gone): the caller must not release data. */
export class AuditUnavailableError extends Error {
  override readonly name = 'AuditUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface AuditTrail {
  /**
   * Builds the AuditEvent, chains it, queues it for every transport and commits with synchronous=FULL, all in one
   * transaction, before returning. Throws AuditUnavailableError if that fails: nothing may be shown then.
   */
  record(entry: AuditEntry): AuditReceipt;
  /** false after a write failure until a probe write succeeds again (e.g. space was freed). */
  writable(): boolean;
  status(): AuditStatus;
  /** Subscribe to status changes (queue depth, delivery, errors). */
  onStatus(listener: (status: AuditStatus) => void): () => void;
  close(): void;
}

/** atna and fhir: the organisation's audit repositories; scr: privacy alerts to the SCR service. */
export type TransportName = 'atna' | 'fhir' | 'scr';

export interface OutboxItem {
  seq: number;
  uuid: string;
  /** Higher goes first: overrides and privacy-officer alerts before routine events. */
  priority: number;
  /** ISO time the event was recorded. */
  recordedAt: string;
  /** The FHIR R4 AuditEvent as canonical JSON text. */
  json: string;
  /**
   * The same JSON as the UTF-8 bytes stored in the log, when the outbox has them: the ATNA bulk path copies them
   * into frames as they are instead of decoding and re-encoding 3 KB per event.
   */
  readonly jsonBytes?: Buffer;
}

/** The store-and-forward queue, in the same SQLite database as the log. */
export interface Outbox {
  /**
   * Undelivered items for a transport: priority first, then sequence; seqs in `skip` (the shipper's batches in
   * flight and parked events) are left out.
   */
  next(transport: TransportName, limit: number, skip?: ReadonlySet<number>): OutboxItem[];
  markDelivered(transport: TransportName, seqs: readonly number[]): void;
  markFailed(transport: TransportName, seqs: readonly number[], error: string): void;
  depth(transport: TransportName): { count: number; oldestRecordedAt: string | null };
}

/**
 * Where one event stands on its way to the organisation: the configured transports it is still queued for. An
 * override's alert has reached the privacy officer's side only when this is empty (ATNA: sent; FHIR and the SCR
 * service: delivered). Used to say "the privacy officer has been told" only when it is true.
 */
export interface DeliveryState {
  /** The transports this trail queues events for (none: nothing leaves the workstation). */
  readonly transports: readonly TransportName[];
  /** The configured transports the event with this sequence number is still queued for. */
  pendingOn(seq: number): TransportName[];
}

/** What the local SQLite trail offers beyond AuditTrail. */
export interface LocalAuditTrail extends AuditTrail {
  /** Appends several entries in one transaction (one fsync); all or none. Same failure rules as record(). */
  recordMany(entries: readonly AuditEntry[]): AuditReceipt[];
  /** Appends a signed checkpoint of the current head now (besides the automatic one every N events). */
  checkpoint(): AuditReceipt;
  /** Tries a small durable write; true (and writable again) if it succeeded. */
  probe(): boolean;
  readonly outbox: LocalOutbox;
}

/** Transport health as a shipper sees it; 'ok'/'retrying' are also inferred from deliveries and failures. */
export type ReportedTransportState = 'ok' | 'retrying' | 'offline';

/** What the local outbox offers beyond Outbox, for shippers. */
export interface LocalOutbox extends Outbox, DeliveryState {
  /** The transports this trail queues events for (from configuration). */
  readonly transports: readonly TransportName[];
  /**
   * Earliest time (epoch ms) an item of this transport may be sent: 0 or a past time when one is due now, null
   * when nothing is queued.
   */
  nextAttemptAt(transport: TransportName): number | null;
  /** Called (synchronously, after commit) whenever new items were queued; returns an unsubscribe function. */
  onEnqueued(listener: () => void): () => void;
  /** Lets a shipper say it is offline (e.g. no route), which status shows; cleared by reporting 'ok'. */
  reportState(transport: TransportName, state: ReportedTransportState): void;
}
