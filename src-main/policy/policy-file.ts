/**
 * The organisation's access policy as data: which RBAC activities unlock which actions, and which organisation
 * types and organisations may receive MIG records (with the expiry of each one's security assessment). Defaults
 * follow docs/specs/access-policy.md; an optional JSON file (config.records.policyFile) replaces them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ActivityCode, OrgType } from '../../src-shared/domain/rbac';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const PolicyFile = z
  .object({
    version: z.literal(1),
    /** Each action lists the activities that allow it (any one suffices). */
    activities: z
      .object({
        viewRecords: z.array(ActivityCode).min(1),
        emergencyAccess: z.array(ActivityCode).min(1),
        legalOverride: z.array(ActivityCode).min(1),
        recordConsentPreference: z.array(ActivityCode).min(1),
      })
      .strict(),
    mig: z
      .object({
        /** Organisation types that passed the MIG security assessment. */
        approvedOrgTypes: z.array(OrgType),
        /** Approved organisations and the last day their assessment is valid. */
        organisations: z.array(z.object({ code: z.string().min(1), assessmentExpires: IsoDate }).strict()),
      })
      .strict(),
  })
  .strict();
export type Policy = z.infer<typeof PolicyFile>;

export const DEFAULT_POLICY: Policy = {
  version: 1,
  activities: {
    viewRecords: ['B0370'],
    emergencyAccess: ['B0168'],
    legalOverride: ['B0082'],
    recordConsentPreference: ['B0020'],
  },
  mig: {
    approvedOrgTypes: ['ambulance', 'out-of-hours', 'community', 'social-care'],
    // The demo organisations (src-main/records/demo-data/orgs.ts); a live site supplies its own file.
    organisations: [
      { code: 'NWOOH1', assessmentExpires: '2027-03-31' },
      { code: 'RX9', assessmentExpires: '2027-03-31' },
      { code: 'RY8', assessmentExpires: '2027-03-31' },
      { code: 'SC830', assessmentExpires: '2027-03-31' },
    ],
  },
};

export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';
}

/** The default policy, or the one in `file` (validated; any problem is an error naming the file). */
export function loadPolicy(file?: string): Policy {
  if (!file) return DEFAULT_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PolicyFileError(`policy file ${file}: ${(err as Error).message}`);
  }
  const parsed = PolicyFile.safeParse(raw);
  if (!parsed.success) {
    throw new PolicyFileError(`policy file ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
