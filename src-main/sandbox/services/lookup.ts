/**
 * Reads the services share: FHIR searches on a store's repository, the patient by NHS number, and the patient's
 * current sharing preferences from the shared care record's Consent (the SCR service builds its narrative under
 * them).
 */
import { parseSearchRequest, type WithId } from '@medplum/core';
import type { Resource, ResourceType } from '@medplum/fhirtypes';
import type { SharingPreferences } from '../../../src-shared/domain/records';
import { decodeConsent } from '../../records/shared-care/consent-codec';
import { NHS_NUMBER_SYSTEM } from '../../domain/fhir-resources';
import { DEFAULT_PREFERENCES } from '../../domain/record-items';
import type { FhirStore } from '../fhir/store';

/** Every match of a FHIR search such as `Condition?subject=Patient/1` (no paging). */
export async function searchAll<T extends Resource>(store: FhirStore, search: string): Promise<WithId<T>[]> {
  const [type, query = ''] = search.split('?', 2) as [string, string | undefined];
  const params: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) (params[k] ??= []).push(v);
  return store.repo.searchResources<T>(parseSearchRequest<T>(type as ResourceType, params));
}

export async function patientByNhs(store: FhirStore, nhs: string): Promise<WithId<Resource> | undefined> {
  const [found] = await searchAll(store, `Patient?identifier=${NHS_NUMBER_SYSTEM}|${nhs}`);
  return found;
}

/**
 * The preferences in the patient's Consent in the shared care record: the defaults when there is none, and
 * the most restrictive reading (opted out, nothing sensitive, MIG dissent) when the Consent cannot be read.
 */
export async function currentPreferences(sharedCare: FhirStore, nhs: string): Promise<SharingPreferences> {
  const patient = await patientByNhs(sharedCare, nhs);
  if (!patient) return DEFAULT_PREFERENCES;
  const [consent] = await searchAll(sharedCare, `Consent?patient=Patient/${patient.id}`);
  if (!consent) return DEFAULT_PREFERENCES;
  try {
    return decodeConsent(consent).preferences;
  } catch {
    return { scr: 'opted-out', sensitive: 'excluded', mig: 'dissent' };
  }
}
