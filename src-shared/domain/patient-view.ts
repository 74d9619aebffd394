/**
 * A patient as the demographics service (PDS) describes them, as the renderer receives it. Built in main
 * from a PDS Patient (src-main/records/pds/patient-view.ts). A restricted patient's view has no address and no
 * GP practice at all: main never keeps them, and the type has no place for them.
 */
import { z } from 'zod';
import { NhsNumber } from './records';

export const PatientName = z.object({
  family: z.string(),
  given: z.array(z.string()),
  prefix: z.string().optional(),
});
export type PatientName = z.infer<typeof PatientName>;

const common = {
  /** The current NHS number (the PDS Patient's id). */
  nhsNumber: NhsNumber,
  /** The name in use now; null when PDS sent none. */
  name: PatientName.nullable(),
  /** Date of birth as PDS holds it: YYYY-MM-DD, or YYYY-MM or YYYY for a few records; null when not sent. */
  born: z.string().nullable(),
  gender: z.enum(['male', 'female', 'other', 'unknown']),
  /** Set when the number asked for was superseded: PDS answered with another (the current) number. */
  superseded: z.object({ requested: NhsNumber, current: NhsNumber }).nullable(),
};

export const PatientView = z.discriminatedUnion('restricted', [
  z.object({
    ...common,
    restricted: z.literal(false),
    /** The current home address: its first lines and postcode; null when none. */
    address: z.object({ line: z.string(), postcode: z.string().nullable() }).nullable(),
    /** The registered GP practice (ODS code; name when sent); null when none is current. */
    gpPractice: z.object({ odsCode: z.string(), name: z.string().optional() }).nullable(),
  }),
  /** Restricted (PDS meta.security v3-Confidentiality R): address, telecom and GP are neither kept nor shown. */
  z.object({ ...common, restricted: z.literal(true) }),
]);
export type PatientView = z.infer<typeof PatientView>;
