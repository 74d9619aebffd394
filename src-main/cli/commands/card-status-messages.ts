/**
 * The two messages between `stethoscope card status` and its child process (card-status-child.ts): one request
 * with the command's options, one result to print. Both sides parse what they receive.
 */
import { z } from 'zod';
import { Pin } from '../../../src-shared/domain/pin';

export const ProbeRequest = z
  .object({
    reader: z.string().optional(),
    trust: z.array(z.string()),
    crl: z.array(z.string()),
    pin: Pin.nullable(),
    exchangeTimeoutMs: z.number().int().min(100).max(60_000),
  })
  .strict();
export type ProbeRequest = z.infer<typeof ProbeRequest>;

export const ProbeResult = z
  .object({
    /** Printed as JSON on stdout; null when the check could not start (e.g. a trust file is missing). */
    report: z.record(z.string(), z.unknown()).nullable(),
    /** One line for stderr when the card did not pass. */
    problem: z.string().nullable(),
    code: z.union([z.literal(0), z.literal(1)]),
  })
  .strict();
export type ProbeResult = z.infer<typeof ProbeResult>;
