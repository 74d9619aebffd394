/**
 * National RBAC codes used by the access policy (see docs/specs/access-policy.md).
 * Rights come from activities, never from job titles.
 */
import { z } from 'zod';

export const ActivityCode = z.string().regex(/^B\d{4}$/, 'an RBAC activity code such as B0370');
export type ActivityCode = z.infer<typeof ActivityCode>;

export const Activities = {
  viewSummaryRecords: 'B0370',
  emergencyAccess: 'B0168',
  legalOverride: 'B0082',
  recordConsentPreference: 'B0020',
  receiveOverrideAlerts: 'B0015',
  receiveSelfClaimedLrAlerts: 'B0016',
  viewLogsAndReports: 'B0011',
} as const;

export const OrgType = z.enum([
  'gp-practice',
  'out-of-hours',
  'ambulance',
  'community',
  'social-care',
  'acute',
  'pharmacy',
]);
export type OrgType = z.infer<typeof OrgType>;

/** One role profile as carried in the card's signed care-roles object. */
export const RoleProfile = z.object({
  urid: z.string().min(1),
  orgCode: z.string().min(1),
  orgName: z.string().min(1),
  orgType: OrgType,
  roleCode: z.string().regex(/^R\d{4}$/),
  roleName: z.string().min(1),
  activities: z.array(ActivityCode),
});
export type RoleProfile = z.infer<typeof RoleProfile>;
