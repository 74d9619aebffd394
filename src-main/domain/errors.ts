/**
 * The domain's own refusals: why main will not do what was asked, in words the user can act on. Services throw
 * these (or the domain errors of their own modules, e.g. AuditUnavailableError); they know nothing of IPC. The one
 * place that turns them into wire errors is src-main/ipc/errors.ts.
 */

export type RefusalKind =
  /** Nobody is signed in, or the session is locked (card removed, idle). */
  | 'not-signed-in'
  | 'locked'
  /** The role profile lacks the activity, or there is no legitimate relationship. */
  | 'forbidden'
  | 'not-found'
  /** Permission to view is not recorded (or has expired) for this encounter. */
  | 'ptv-required'
  /** The patient refused, or a sharing preference forbids it. */
  | 'refused'
  | 'wrong-pin'
  | 'card-blocked'
  /** Audit before reveal: the event could not be made durable, so nothing was released or done. */
  | 'audit-unavailable'
  /** Something changed while the request was in progress, or the request does not fit the current state. */
  | 'conflict'
  /** A part the request needs (card, service) cannot be reached or used just now. */
  | 'unavailable';

/** Machine-readable detail for the caller (never patient data), e.g. `{ triesLeft: 2 }`. */
export type RefusalDetail = Readonly<Record<string, string | number | boolean | null>>;

export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly kind: RefusalKind,
    message: string,
    readonly detail?: RefusalDetail,
  ) {
    super(message);
  }
}
