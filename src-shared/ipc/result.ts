/**
 * Typed results that cross the process boundary.
 * Every IPC call answers either `{ ok: true, value }` or `{ ok: false, error }`; the renderer never sees a thrown
 * exception from main, only a code it can act on and a sentence it can show.
 */
import { z } from 'zod';

export const IpcErrorCode = z.enum([
  'bad-request', // payload failed the contract's schema
  'unknown-channel',
  'untrusted-sender', // never actually answered to the sender (dropped); kept for logs and tests
  'not-signed-in',
  'locked',
  'forbidden', // the role profile lacks the activity
  'invalid-nhs-number',
  'not-found',
  'ptv-required', // permission to view not recorded (or expired) for this encounter
  'refused', // the patient refused, or a sharing preference forbids it
  'wrong-pin',
  'card-blocked',
  'audit-unavailable', // audit before reveal: the audit write failed, nothing is released
  'conflict',
  'unavailable',
  'internal',
]);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.object({
  code: IpcErrorCode,
  message: z.string(),
  /** Extra machine-readable detail, e.g. `{ triesLeft: 2 }`. Never patient data. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type IpcError = z.infer<typeof IpcError>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };
