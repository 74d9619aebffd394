/**
 * Loads the synthetic population (src-main/records/demo-data: the fixed demo patients, then the seeded random
 * ones) into the services' FHIR repositories: PDS patients into demographics, each SCR into scr, the shared care
 * record and Consent (with its history as versions) into sharedCare. The audit repository starts empty.
 */
import { generatePopulation, type PopulationOptions } from '../../records/demo-data/population';
import type { Resource } from '@medplum/fhirtypes';
import type { FhirStore } from '../fhir/store';
import type { ServiceName } from '../http/service';
import { pdsPatients } from './pds';
import { scrOrganization, scrRecord } from './scr';
import { sharedCareRecord, sharedOrganization } from './shared-care';

export type Stores = Readonly<Record<ServiceName, FhirStore>>;

export interface LoadSummary {
  patients: number;
  /** Resources written per service (Consent versions counted once each). */
  resources: Record<ServiceName, number>;
  ms: number;
}

export async function loadPopulation(
  stores: Stores,
  options: PopulationOptions,
  scrBundleUrl: (identifier: string, nhs: string) => string,
): Promise<LoadSummary> {
  const started = performance.now();
  const population = generatePopulation(options);
  const byCode = new Map(population.organisations.map((o) => [o.code, o]));
  const orgName = (code: string) => byCode.get(code)?.name;
  const resources: Record<ServiceName, number> = { demographics: 0, scr: 0, sharedCare: 0, audit: 0 };
  const put = async (service: ServiceName, r: Resource) => {
    await stores[service].repo.createResource(r);
    resources[service]++;
  };

  for (const o of population.organisations) {
    await put('scr', scrOrganization(o));
    await put('sharedCare', sharedOrganization(o));
  }
  let patients = 0;
  for (const p of population.patients) {
    for (const r of pdsPatients(p, orgName)) await put('demographics', r);

    const scr = scrRecord(p, p.gpCode ? (byCode.get(p.gpCode) ?? null) : null, scrBundleUrl);
    for (const r of [scr.patient, scr.documentReference, scr.composition, ...scr.items]) await put('scr', r);

    const shared = sharedCareRecord(p, orgName);
    for (const r of [shared.patient, ...shared.items]) await put('sharedCare', r);
    const [first, ...later] = shared.consentVersions;
    if (first) await put('sharedCare', first);
    for (const v of later) {
      await stores.sharedCare.repo.updateResource(v);
      resources.sharedCare++;
    }
    patients++;
  }
  return { patients, resources, ms: performance.now() - started };
}
