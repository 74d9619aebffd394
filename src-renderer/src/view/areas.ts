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
