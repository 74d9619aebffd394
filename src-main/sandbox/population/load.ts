/**
 * Loads the synthetic population (src-main/records/demo-data: the fixed demo patients, then the seeded random
 * ones) into the services' FHIR repositories: PDS patients into demographics, each SCR into scr, the shared care
 * record and Consent (with its history as versions) into sharedCare. The audit repository starts empty.
 * `loadPatient` writes one patient the same way (the sandbox's `addPatient`, for a record the population lacks).
 */
import { generatePopulation, type PopulationOptions } from '../../records/demo-data/population';
import type { GeneratedPatient } from '../../records/demo-data/population-types';
import type { Organisation } from '../../domain/record-items';
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
  /** The organisations loaded (the demo ones, then the generated practices). */
  organisations: readonly Organisation[];
}

/** Where a patient's SCR bundle is fetched (DocumentReference.content.attachment.url). */
export type ScrBundleUrl = (identifier: string, nhs: string) => string;

/** Writes one patient into the three record services; returns the resources written per service. */
export async function loadPatient(
  stores: Stores,
  p: GeneratedPatient,
  organisation: (code: string) => Organisation | undefined,
  scrBundleUrl: ScrBundleUrl,
): Promise<Record<ServiceName, number>> {
  const resources: Record<ServiceName, number> = { demographics: 0, scr: 0, sharedCare: 0, audit: 0 };
  const put = async (service: ServiceName, r: Resource) => {
    await stores[service].repo.createResource(r);
    resources[service]++;
  };
  const orgName = (code: string) => organisation(code)?.name;
  for (const r of pdsPatients(p, orgName)) await put('demographics', r);

  const scr = scrRecord(p, p.gpCode ? (organisation(p.gpCode) ?? null) : null, scrBundleUrl);
  for (const r of [scr.patient, scr.documentReference, scr.composition, ...scr.items]) await put('scr', r);

  const shared = sharedCareRecord(p, orgName);
  for (const r of [shared.patient, ...shared.items]) await put('sharedCare', r);
  const [first, ...later] = shared.consentVersions;
  if (first) await put('sharedCare', first);
  for (const v of later) {
    await stores.sharedCare.repo.updateResource(v);
    resources.sharedCare++;
  }
  return resources;
}

export async function loadPopulation(
  stores: Stores,
  options: PopulationOptions,
  scrBundleUrl: ScrBundleUrl,
): Promise<LoadSummary> {
  const started = performance.now();
  const population = generatePopulation(options);
  const byCode = new Map(population.organisations.map((o) => [o.code, o]));
  const resources: Record<ServiceName, number> = { demographics: 0, scr: 0, sharedCare: 0, audit: 0 };
  for (const o of population.organisations) {
    await stores.scr.repo.createResource(scrOrganization(o));
    resources.scr++;
    await stores.sharedCare.repo.createResource(sharedOrganization(o));
    resources.sharedCare++;
  }
  let patients = 0;
  for (const p of population.patients) {
    const n = await loadPatient(stores, p, (code) => byCode.get(code), scrBundleUrl);
    for (const k of Object.keys(n) as ServiceName[]) resources[k] += n[k];
    patients++;
  }
  return { patients, resources, ms: performance.now() - started, organisations: population.organisations };
}
