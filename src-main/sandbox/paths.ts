/** Where each test service lives below the origin, as on the NHS API platform (kept apart: no FHIR engine here). */
import type { ServiceName } from './http/service';

export const DEFAULT_PATHS: Readonly<Record<ServiceName, string>> = {
  demographics: '/personal-demographics/FHIR/R4',
  scr: '/summary-care-record/FHIR/R4',
  sharedCare: '/shared-care/FHIR/R4',
  audit: '/audit/FHIR/R4',
};
