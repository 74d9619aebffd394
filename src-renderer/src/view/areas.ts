/**
 * Which parts of the workspace a role profile opens, from its activities (never from its job title): patient
 * search for B0370 / B0020, the alert queue for B0015 / B0016, reports for B0011. Main still decides every request.
 */
import { Activities } from '../../../src-shared/domain/rbac';

export type Area = 'patients' | 'alerts' | 'reports';

export const AREA_LABEL: Record<Area, string> = {
  patients: 'Patients',
  alerts: 'Alerts',
  reports: 'Reports',
};

/** The areas in the order the navigation shows them; the first is where the user lands. */
export function areasFor(activities: readonly string[]): Area[] {
  const has = (code: string) => activities.includes(code);
  const areas: Area[] = [];
  if (has(Activities.viewSummaryRecords) || has(Activities.recordConsentPreference)) areas.push('patients');
  if (has(Activities.receiveOverrideAlerts) || has(Activities.receiveSelfClaimedLrAlerts))
    areas.push('alerts');
  if (has(Activities.viewLogsAndReports)) areas.push('reports');
  return areas;
}

/**
 * What a role without record viewing (no B0370) may do, as one sentence for the workspace's first screen, so the
 * user learns it at sign-in and not only when a patient's record is refused. Null for a role that views records.
 */
export function roleScopeText(activities: readonly string[]): string | null {
  const has = (code: string) => activities.includes(code);
  if (has(Activities.viewSummaryRecords)) return null;
  const can: string[] = [];
  if (has(Activities.recordConsentPreference)) can.push("read and record patients' sharing preferences");
  if (has(Activities.receiveOverrideAlerts)) can.push('review alerts about overridden access');
  if (has(Activities.receiveSelfClaimedLrAlerts)) can.push('review alerts about self-claimed relationships');
  if (has(Activities.viewLogsAndReports)) can.push('run access reports');
  if (can.length === 0) return null;
  const list = can.length === 1 ? can[0] : `${can.slice(0, -1).join(', ')} and ${can[can.length - 1]}`;
  return `Your role lets you ${list}. It does not let you view patients' records.`;
}
