/**
 * Small checks shared by the records handlers: who is signed in, NHS number validation, the audit actor, and
 * "audit before reveal" (a failed audit write becomes a typed refusal and nothing is released).
 */
import { nhsNumberProblem, normaliseNhsNumber } from '../../src-shared/domain/nhs-number';
import type { AuditActor, AuditEntry, AuditTrail } from '../audit/types';
import { AppError } from '../ipc/errors';
import type { PinCheck, SessionPort, SignedInUser } from '../session/port';

export function requireUser(session: SessionPort): SignedInUser {
  const user = session.current();
  if (!user) throw new AppError('not-signed-in', 'Sign in with your smartcard to continue.');
  return user;
}

/** A valid NHS number (spaces and dashes allowed) or AppError('invalid-nhs-number'); never "not found" for a typo. */
export function validNhsNumber(input: string): string {
  const problem = nhsNumberProblem(input);
  if (problem === 'empty') throw new AppError('invalid-nhs-number', 'Enter an NHS number.');
  if (problem === 'not-ten-digits') throw new AppError('invalid-nhs-number', 'An NHS number has 10 digits.');
  if (problem === 'bad-check-digit') {
    throw new AppError(
      'invalid-nhs-number',
      'This is not a valid NHS number: check the digits and try again.',
    );
  }
  return normaliseNhsNumber(input);
}

export function actorOf(user: SignedInUser, workstationId: string): AuditActor {
  return {
    userId: user.holder.userId,
    displayName: user.holder.displayName,
    urid: user.role.urid,
    roleCode: user.role.roleCode,
    orgCode: user.role.orgCode,
    workstationId,
  };
}

export const AUDIT_UNAVAILABLE_MESSAGE =
  'The audit log cannot be written just now, so nothing can be shown or changed. Try again in a moment; if this keeps happening, contact IT support.';

/** Writes the audit entry durably or refuses: any failure to record (not only AuditUnavailableError) fails closed. */
export function auditOrRefuse(audit: Pick<AuditTrail, 'record'>, entry: AuditEntry): void {
  try {
    audit.record(entry);
  } catch {
    throw new AppError('audit-unavailable', AUDIT_UNAVAILABLE_MESSAGE);
  }
}

/** Turns a failed PIN check into the typed error the renderer can act on. */
export function requirePin(check: PinCheck): void {
  if (check.ok) return;
  switch (check.reason) {
    case 'wrong-pin':
      throw new AppError(
        'wrong-pin',
        `The PIN was not correct. ${check.triesLeft} ${check.triesLeft === 1 ? 'try' : 'tries'} left before the card is blocked.`,
        {
          triesLeft: check.triesLeft,
        },
      );
    case 'card-blocked':
      throw new AppError(
        'card-blocked',
        'The smartcard is blocked. Contact your Registration Authority to unblock it.',
      );
    case 'card-removed':
      throw new AppError('locked', 'The smartcard was removed. Insert it and sign in again.');
    case 'card-error':
      throw new AppError(
        'unavailable',
        'The smartcard could not be read. Check it is inserted and try again.',
      );
  }
}
