/**
 * The review of one privacy-officer alert as the audit repository holds it: a FHIR R4 Task whose `focus` is the
 * alert's AuditEvent (docs/specs/privacy-officer.md, "Where alerts live"). The workstation's client writes it and
 * the test repository checks it with the same schema, so both sides agree on every element.
 *
 *   status          requested (new), in-progress (open, under investigation), on-hold (escalated),
 *                   completed (closed appropriate / inappropriate)
 *   intent          order
 *   code            REVIEW_TASK_CODE | alert-review
 *   businessStatus  REVIEW_STATUS_SYSTEM | one of REVIEW_STATUSES
 *   focus           AuditEvent/{id}: one Task per alert
 *   owner           the officer who took it: identifier (SDS user id) and display (her name)
 *   note[]          authorReference (SDS user id, name), time, text: appended, never edited
 *   extension       ESCALATED_TO_URL valueCode ig-lead | caldicott-guardian;
 *                   PATIENT_TO_BE_INFORMED_URL valueBoolean;
 *                   LAST_CHANGED_BY_URL valueReference (SDS user id, name) of whoever made this version
 *   lastModified    when this version was made
 * Updates are PUT with If-Match: W/"<versionId>", so a change made on a stale version is refused (412).
 */
import { z } from 'zod';
import { LOCAL_SYSTEM_BASE, SDS_USER_ID } from '../audit/events/codes';

const BASE = LOCAL_SYSTEM_BASE;
export const REVIEW_STATUS_SYSTEM = `${BASE}/CodeSystem/alert-review-status`;
export const REVIEW_TASK_CODE = `${BASE}/CodeSystem/review-task`;
export const ESCALATED_TO_URL = `${BASE}/StructureDefinition/alert-escalated-to`;
export const PATIENT_TO_BE_INFORMED_URL = `${BASE}/StructureDefinition/alert-patient-to-be-informed`;
export const LAST_CHANGED_BY_URL = `${BASE}/StructureDefinition/alert-last-changed-by`;
export { SDS_USER_ID };

export const REVIEW_STATUSES = [
  'new',
  'open',
  'under-investigation',
  'closed-appropriate',
  'closed-inappropriate',
  'escalated',
] as const;
export type ReviewStatusCode = (typeof REVIEW_STATUSES)[number];

export const ESCALATIONS = ['ig-lead', 'caldicott-guardian'] as const;

/** Task.status for each business status. */
export const TASK_STATUS: Record<ReviewStatusCode, 'requested' | 'in-progress' | 'on-hold' | 'completed'> = {
  new: 'requested',
  open: 'in-progress',
  'under-investigation': 'in-progress',
  escalated: 'on-hold',
  'closed-appropriate': 'completed',
  'closed-inappropriate': 'completed',
};

const FhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);
const Instant = z.iso.datetime({ offset: true });

export const UserReference = z.looseObject({
  identifier: z.looseObject({ system: z.literal(SDS_USER_ID), value: z.string().regex(/^\d{12}$/) }),
  display: z.string().min(1).max(200),
});
export type UserReference = z.infer<typeof UserReference>;

const Extension = z.discriminatedUnion('url', [
  z.looseObject({ url: z.literal(ESCALATED_TO_URL), valueCode: z.enum(ESCALATIONS) }),
  z.looseObject({ url: z.literal(PATIENT_TO_BE_INFORMED_URL), valueBoolean: z.boolean() }),
  z.looseObject({ url: z.literal(LAST_CHANGED_BY_URL), valueReference: UserReference }),
]);

/** A review Task as written by a workstation (no id or meta on create). */
export const ReviewTaskBody = z.looseObject({
  resourceType: z.literal('Task'),
  id: FhirId.optional(),
  meta: z.looseObject({ versionId: z.string().optional(), lastUpdated: z.string().optional() }).optional(),
  status: z.enum(['requested', 'in-progress', 'on-hold', 'completed']),
  intent: z.literal('order'),
  code: z.looseObject({
    coding: z.tuple([
      z.looseObject({ system: z.literal(REVIEW_TASK_CODE), code: z.literal('alert-review') }),
    ]),
  }),
  businessStatus: z.looseObject({
    coding: z.tuple([
      z.looseObject({ system: z.literal(REVIEW_STATUS_SYSTEM), code: z.enum(REVIEW_STATUSES) }),
    ]),
  }),
  focus: z.looseObject({ reference: z.string().regex(/^AuditEvent\/[A-Za-z0-9\-.]{1,64}$/) }),
  owner: UserReference.optional(),
  lastModified: Instant,
  note: z
    .array(
      z.looseObject({ authorReference: UserReference, time: Instant, text: z.string().min(1).max(2000) }),
    )
    .max(500)
    .optional(),
  extension: z.array(Extension).max(3).optional(),
});
export type ReviewTaskBody = z.infer<typeof ReviewTaskBody>;

/** A stored review Task: the repository gave it an id and a version. */
export const StoredReviewTask = ReviewTaskBody.extend({
  id: FhirId,
  meta: z.looseObject({ versionId: z.string().min(1).max(64), lastUpdated: z.string().optional() }),
});
export type StoredReviewTask = z.infer<typeof StoredReviewTask>;

export function taskBusinessStatus(t: ReviewTaskBody): ReviewStatusCode {
  return t.businessStatus.coding[0].code;
}

export function taskFocusId(t: { focus?: { reference?: string } }): string | null {
  return /^AuditEvent\/([A-Za-z0-9\-.]{1,64})$/.exec(t.focus?.reference ?? '')?.[1] ?? null;
}
