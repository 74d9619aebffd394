/**
 * The privacy officer's channels (docs/specs/privacy-officer.md): the alert queue and one alert (B0015 emergency
 * and legal override alerts, B0016 self-claimed relationship alerts), review actions, sampling for second-line
 * review, and green reports / amber extracts (B0011).
 *
 * Red data (names, NHS numbers, the clinician's own words) crosses only in `review.alert`: one alert at a time.
 * Queue rows, samples and notices carry none of it: the time, coded facts, role, workstation and review state.
 */
import { z } from 'zod';
import { channel } from '../define';

export const AlertType = z.enum(['emergency', 'legal', 'self-claimed-lr']);
export type AlertType = z.infer<typeof AlertType>;

/** Task.businessStatus of an alert's review; `new` while nobody has acted on it. */
export const ReviewStatus = z.enum([
  'new',
  'open',
  'under-investigation',
  'closed-appropriate',
  'closed-inappropriate',
  'escalated',
]);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const Escalation = z.enum(['ig-lead', 'caldicott-guardian']);
export type Escalation = z.infer<typeof Escalation>;

const Id = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id');
const Day = z.iso.date({ error: 'Enter a real date.' });
const Text = (max: number) => z.string().trim().min(1).max(max);
/** SDS user id: 12 digits. */
const UserId = z.string().regex(/^\d{12}$/, 'an SDS user id of 12 digits');

export const Reviewer = z.object({ userId: z.string(), name: z.string() });
export type Reviewer = z.infer<typeof Reviewer>;

/** One alert in the queue or a sample: no patient, no name, no free text. */
export const AlertRow = z.object({
  id: Id,
  type: AlertType,
  /** ISO instant the access was recorded. */
  recorded: z.string(),
  /** The coded reason (SCR alert code 1-6, or the relationship's reason code) and its label. */
  reasonCode: z.string().nullable(),
  reasonLabel: z.string(),
  roleName: z.string().nullable(),
  orgCode: z.string().nullable(),
  workstationId: z.string().nullable(),
  status: ReviewStatus,
  owner: Reviewer.nullable(),
  /** The alert is about the signed-in officer's own access: she may read it but not act on it. */
  own: z.boolean(),
});
export type AlertRow = z.infer<typeof AlertRow>;

export const QueueFilter = z
  .object({
    /** Omitted: every status. */
    status: ReviewStatus.optional(),
    /** Omitted: every type the officer's activities cover. */
    types: z.array(AlertType).min(1).max(3).optional(),
    /** ODS code; the officer sees only her role profile's organisations whatever is asked. */
    org: z
      .string()
      .regex(/^[A-Z0-9]{3,8}$/, 'an ODS code')
      .optional(),
    user: UserId.optional(),
    /** Inclusive UTC days. */
    from: Day.optional(),
    to: Day.optional(),
  })
  .strict();
export type QueueFilter = z.infer<typeof QueueFilter>;

export const QueueRequest = z
  .object({ filter: QueueFilter.default({}), page: z.int().min(0).max(10_000).default(0) })
  .strict();

export const QueueView = z.object({
  alerts: z.array(AlertRow),
  /** Alerts matching the filter (status included). */
  total: z.int(),
  page: z.int(),
  pageSize: z.int(),
  /** Alerts per review status under the same filter with the status left out. */
  counts: z.record(ReviewStatus, z.int()),
  /** The organisations the queue covers (the officer's role profile). */
  scope: z.array(z.object({ orgCode: z.string(), orgName: z.string() })),
  /** The types the officer may review (B0015: emergency, legal; B0016: self-claimed-lr). */
  types: z.array(AlertType),
});
export type QueueView = z.infer<typeof QueueView>;

export const ReviewNote = z.object({ author: Reviewer, time: z.string(), text: z.string() });
export type ReviewNote = z.infer<typeof ReviewNote>;

/** The review of one alert as the repository holds it (its Task), with the version an action must name. */
export const ReviewState = z.object({
  /** The Task's versionId, or null while there is no Task yet. */
  version: z.string().nullable(),
  status: ReviewStatus,
  owner: Reviewer.nullable(),
  notes: z.array(ReviewNote),
  escalatedTo: Escalation.nullable(),
  patientToBeInformed: z.boolean(),
  /** When and by whom it was last changed. */
  lastChangedBy: Reviewer.nullable(),
  lastChanged: z.string().nullable(),
});
export type ReviewState = z.infer<typeof ReviewState>;

/** An event made under the alert's override (same encounter id): a read, a permission decision, a PIN refusal. */
export const EncounterRead = z.object({
  id: Id,
  recorded: z.string(),
  /** The event's type word (record-read, ptv, override-pin-refused, ...). */
  type: z.string(),
  /** scr-core, scr-additional or mig for a record read. */
  record: z.string().nullable(),
  /** Sections released, for a read. */
  sections: z.array(z.string()),
  outcome: z.string(),
  workstationId: z.string().nullable(),
});
export type EncounterRead = z.infer<typeof EncounterRead>;

export const Attendance = z.discriminatedUnion('checked', [
  z.object({
    checked: z.literal(true),
    /** An Encounter at the user's organisation within 24 hours either side of the access. */
    found: z.boolean(),
    encounters: z.array(
      z.object({ start: z.string(), orgCode: z.string(), orgName: z.string().nullable(), kind: z.string() }),
    ),
  }),
  /** The shared care record could not be asked, or holds no record of the patient: said, not guessed. */
  z.object({ checked: z.literal(false), reason: z.string() }),
]);
export type Attendance = z.infer<typeof Attendance>;

export const AlertDetail = z.object({
  alert: AlertRow,
  who: z.object({
    userId: z.string().nullable(),
    name: z.string().nullable(),
    roleName: z.string().nullable(),
    roleCode: z.string().nullable(),
    urid: z.string().nullable(),
    orgCode: z.string().nullable(),
    workstationId: z.string().nullable(),
  }),
  patient: z.object({ nhsNumber: z.string().nullable(), name: z.string().nullable() }),
  /** The clinician's own words, as typed. */
  reasonText: z.string().nullable(),
  encounterId: z.string().nullable(),
  /** Everything recorded under the same encounter id, oldest first (the override itself left out). */
  reads: z.array(EncounterRead),
  attendance: Attendance,
  review: ReviewState,
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const ReviewAction = z.discriminatedUnion('action', [
  /** Become the owner and open the review. */
  z.object({ action: z.literal('take') }).strict(),
  z.object({ action: z.literal('note'), text: Text(2000) }).strict(),
  z.object({ action: z.literal('status'), status: z.enum(['open', 'under-investigation']) }).strict(),
  z
    .object({
      action: z.literal('close'),
      outcome: z.enum(['appropriate', 'inappropriate']),
      text: Text(2000),
    })
    .strict(),
  z.object({ action: z.literal('escalate'), to: Escalation, text: Text(2000) }).strict(),
  z.object({ action: z.literal('inform'), patientToBeInformed: z.boolean() }).strict(),
]);
export type ReviewAction = z.infer<typeof ReviewAction>;

export const ActRequest = z
  .object({
    id: Id,
    /** The version the officer was looking at (null: no review yet); a newer one means someone else acted. */
    version: z.string().max(64).nullable(),
    change: ReviewAction,
  })
  .strict();

export const ActResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('saved'), review: ReviewState }),
  /** Someone else changed the review first: nothing was written; this is their newer state. */
  z.object({ outcome: z.literal('conflict'), message: z.string(), review: ReviewState }),
]);
export type ActResult = z.infer<typeof ActResult>;

export const SampleRequest = z
  .object({
    from: Day,
    to: Day,
    size: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('percent'), value: z.number().gt(0).max(100) }).strict(),
      z.object({ kind: z.literal('count'), value: z.int().min(1).max(2000) }).strict(),
    ]),
    /** Given: the same draw again. Omitted: a fresh random seed. */
    seed: z
      .string()
      .regex(/^[A-Za-z0-9-]{4,64}$/, 'letters, digits and hyphens')
      .optional(),
  })
  .strict();

export const SampleView = z.object({
  seed: z.string(),
  from: z.string(),
  to: z.string(),
  /** How many alerts the period held; the draw is taken from them. */
  population: z.int(),
  alerts: z.array(AlertRow),
});
export type SampleView = z.infer<typeof SampleView>;

/** A purpose of use: one of the listed codes, or the officer's own words (insurance and marketing refused). */
export const Purpose = z.union([
  z.object({ code: z.string().min(1).max(64) }).strict(),
  z.object({ text: Text(200) }).strict(),
]);

export const GroupField = z.enum(['org', 'month', 'week', 'type', 'reason', 'role']);

export const ReportRequest = z
  .object({
    purpose: Purpose,
    by: z.array(GroupField).min(1).max(6),
    from: Day.optional(),
    to: Day.optional(),
  })
  .strict();

/** A shown count: "0", "*" (1 to 7) or a multiple of 5. */
const Shown = z.string();

export const ReportView = z.object({
  by: z.array(GroupField),
  rows: z.array(z.object({ values: z.array(z.string()), count: Shown })),
  total: Shown,
  /** Overrides per ISO week by type, suppressed the same way, for the chart. */
  weekly: z.array(z.object({ week: z.string(), counts: z.record(AlertType, Shown) })),
  csv: z.string(),
  /** How many alerts the report was made from. */
  events: z.int(),
});
export type ReportView = z.infer<typeof ReportView>;

export const ExtractRequest = z
  .object({
    purpose: Purpose,
    format: z.enum(['csv', 'ndjson']),
    from: Day.optional(),
    to: Day.optional(),
  })
  .strict();

export const ExtractView = z.object({
  format: z.enum(['csv', 'ndjson']),
  columns: z.array(z.string()),
  rows: z.int(),
  text: z.string(),
});
export type ExtractView = z.infer<typeof ExtractView>;

export const PurposeList = z.object({
  purposes: z.array(z.object({ code: z.string(), words: z.string() })),
  refused: z.array(z.object({ code: z.string(), words: z.string() })),
});

export const reviewChannels = {
  'review.queue': channel(QueueRequest, QueueView),
  'review.alert': channel(z.object({ id: Id }).strict(), AlertDetail),
  'review.act': channel(ActRequest, ActResult),
  'review.sample': channel(SampleRequest, SampleView),
  'review.purposes': channel(z.object({}).strict(), PurposeList),
  'review.report': channel(ReportRequest, ReportView),
  'review.extract': channel(ExtractRequest, ExtractView),
};
export type ReviewChannelName = keyof typeof reviewChannels;

/** The new-alert notice: how many, nothing else. */
export const reviewEvents = {
  reviewNotice: z.object({ newAlerts: z.int().min(0) }),
};
