/**
 * The one place domain errors become wire errors. Services throw the domain's own errors (Refusal, and the
 * errors of their modules); the dispatcher asks `toIpcError` for the typed error the renderer receives. Anything
 * not known here is a bug: `null`, which the dispatcher logs and answers as `internal`.
 */
import type { IpcError, IpcErrorCode } from '../../src-shared/ipc/result';
import { Refusal, type RefusalKind } from '../domain/errors';
import { AuditUnavailableError } from '../audit/types';
import { EncounterEndedError } from '../encounter/registry';
import { PtvTransitionError } from '../encounter/ptv-state';

/** What the user is told when the audit log cannot take the event that would have released data. */
const AUDIT_UNAVAILABLE_MESSAGE =
  'The audit log cannot be written just now, so nothing can be shown or changed. Try again in a moment; if this keeps happening, contact IT support.';

const REFUSAL_CODES: Record<RefusalKind, IpcErrorCode> = {
  'not-signed-in': 'not-signed-in',
  locked: 'locked',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  'ptv-required': 'ptv-required',
  refused: 'refused',
  'wrong-pin': 'wrong-pin',
  'card-blocked': 'card-blocked',
  'audit-unavailable': 'audit-unavailable',
  conflict: 'conflict',
  unavailable: 'unavailable',
};

export function toIpcError(err: unknown): IpcError | null {
  if (err instanceof Refusal) {
    const code = REFUSAL_CODES[err.kind];
    return err.detail
      ? { code, message: err.message, detail: { ...err.detail } }
      : { code, message: err.message };
  }
  // Audit before reveal: any failure to make the event durable releases nothing and says so.
  if (err instanceof AuditUnavailableError)
    return { code: 'audit-unavailable', message: AUDIT_UNAVAILABLE_MESSAGE };
  if (err instanceof PtvTransitionError) return { code: 'conflict', message: err.message };
  if (err instanceof EncounterEndedError)
    return {
      code: 'conflict',
      message: 'The encounter ended while the request was in progress. Start again.',
    };
  return null;
}
