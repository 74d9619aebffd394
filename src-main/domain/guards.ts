/**
 * Small checks shared by the records handlers: who is signed in, the audit actor, "audit before reveal" (any
 * failure to record becomes AuditUnavailableError, so nothing is released), and the PIN re-check of an override.
 */
import {
  AuditUnavailableError,
  type AuditActor,
  type AuditEntry,
  type AuditReceipt,
  type AuditTrail,
  type LocalAuditTrail,
} from '../audit/types';
import { Refusal } from './errors';
import type { PinCheck, SessionPort, SignedInUser } from '../session/port';

export function requireUser(session: SessionPort): SignedInUser {
  const user = session.current();
  if (!user) throw new Refusal('not-signed-in', 'Sign in with your smartcard to continue.');
  return user;
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

/** Writes the audit entry durably or throws AuditUnavailableError: any failure to record fails closed. */
export function recordOrFail(audit: Pick<AuditTrail, 'record'>, entry: AuditEntry): AuditReceipt {
  try {
    return audit.record(entry);
  } catch (err) {
    if (err instanceof AuditUnavailableError) throw err;
    throw new AuditUnavailableError('The audit entry could not be recorded.', { cause: err });
  }
}

/**
 * Writes several entries durably, all or none when the trail can batch them (one transaction), or throws
 * AuditUnavailableError. A trail without batches writes them in order and fails at the first that cannot be written.
 */
export function recordAllOrFail(
  audit: Pick<AuditTrail, 'record'> & Partial<Pick<LocalAuditTrail, 'recordMany'>>,
  entries: readonly AuditEntry[],
): AuditReceipt[] {
  if (!audit.recordMany) return entries.map((e) => recordOrFail(audit, e));
  try {
    return audit.recordMany(entries);
  } catch (err) {
    if (err instanceof AuditUnavailableError) throw err;
    throw new AuditUnavailableError('The audit entries could not be recorded.', { cause: err });
  }
}

/** Turns a failed PIN check into the domain's refusal (the renderer acts on wrong-pin and card-blocked). */
export function requirePin(check: PinCheck): void {
  if (check.ok) return;
  switch (check.reason) {
    case 'wrong-pin':
      throw new Refusal(
        'wrong-pin',
        `The PIN was not correct. ${check.triesLeft} ${check.triesLeft === 1 ? 'try' : 'tries'} left before the card is blocked.`,
        { triesLeft: check.triesLeft },
      );
    case 'card-blocked':
      throw new Refusal(
        'card-blocked',
        'The smartcard is now blocked after too many wrong PINs, and you have been signed out. Take the card to your Registration Authority to have it unblocked.',
      );
    case 'card-removed':
      throw new Refusal('locked', 'The smartcard was removed. Insert it and sign in again.');
    case 'card-error':
      throw new Refusal(
        'unavailable',
        'The smartcard could not be read. Check it is inserted and try again.',
      );
  }
}
