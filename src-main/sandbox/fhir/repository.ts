/**
 * medplum's in-memory FHIR repository with its own version log and a patient index.
 *
 * MemoryRepository.readHistory reverses its stored version list in place (Array.prototype.reverse), so every
 * second `_history` read comes back oldest first and later versions are appended to a reversed list. This class
 * keeps each resource's versions in the order written and answers history from that (newest first, as FHIR
 * asks). The log also gives synchronous counts and reads for tests and the sandbox's own summaries.
 *
 * Searches by patient (`patient=Patient/{id}` or `subject=Patient/{id}`, the commonest search of a record) and by
 * identifier (`identifier=system|value`, how a patient is found by NHS number) go through indexes of each
 * resource's subject / patient reference and identifiers: medplum's in-memory search evaluates the parameter's
 * FHIRPath for every resource of the type, and `patient`'s is a union over every resource type with resolve()
 * (about 10 ms per resource here, 2-3 s per search of a 200-patient record). The other filters and the sort of
 * such a search are still medplum's own (matchesSearchRequest, the parameters' FHIRPath).
 */
import { MemoryRepository, type CreateResourceOptions, type ReadHistoryOptions } from '@medplum/fhir-router';
import {
  evalFhirPath,
  getSearchParameter,
  matchesSearchRequest,
  Operator,
  OperationOutcomeError,
  notFound,
  type Filter,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/** The Patient a resource is about, by its subject or patient reference. */
function patientRef(r: Resource): string | undefined {
  const x = r as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = x.subject?.reference ?? x.patient?.reference;
  return ref?.startsWith('Patient/') ? ref : undefined;
}

function isPatientFilter(f: Filter): boolean {
  return (
    (f.code === 'patient' || f.code === 'subject') && f.operator === Operator.EQUALS && !f.value.includes(',')
  );
}

function isIdentifierFilter(f: Filter): boolean {
  return f.code === 'identifier' && f.operator === Operator.EQUALS && !f.value.includes(',');
}

/** Index keys of a resource's identifiers: `system|value` and the bare value. */
function identifierKeys(r: Resource): string[] {
  const raw = (r as { identifier?: unknown }).identifier;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { system?: string; value?: string }[];
  return list.flatMap((i) => (i.value ? [i.value, ...(i.system ? [`${i.system}|${i.value}`] : [])] : []));
}

function addTo(index: Map<string, Map<string, Set<string>>>, type: string, key: string, id: string): void {
  let byKey = index.get(type);
  if (!byKey) index.set(type, (byKey = new Map()));
  const ids = byKey.get(key) ?? new Set<string>();
  ids.add(id);
  byKey.set(key, ids);
}

export class SandboxRepository extends MemoryRepository {
  /** type -> id -> versions, oldest first. */
  private readonly log = new Map<string, Map<string, Resource[]>>();
  private readonly deleted = new Set<string>();
  /** type -> 'Patient/{id}' -> ids of the resources of that type about the patient. */
  private readonly byPatient = new Map<string, Map<string, Set<string>>>();
  /** type -> 'system|value' or 'value' -> ids. */
  private readonly byIdentifier = new Map<string, Map<string, Set<string>>>();

  override async createResource<T extends Resource>(
    resource: T,
    _options?: CreateResourceOptions,
  ): Promise<WithId<T>> {
    const stored = await super.createResource(resource);
    let byId = this.log.get(stored.resourceType);
    if (!byId) this.log.set(stored.resourceType, (byId = new Map()));
    const versions = byId.get(stored.id) ?? [];
    this.reindex(stored, versions[versions.length - 1]);
    // The parent returns a fresh copy of what it stored; keeping that copy (not another clone) halves the cost
    // of a write. Callers of this class get the same object, so nothing here changes a returned resource.
    versions.push(stored);
    byId.set(stored.id, versions);
    this.deleted.delete(`${stored.resourceType}/${stored.id}`);
    return stored;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.deleted.add(`${resourceType}/${id}`);
  }

  private reindex(now: WithId<Resource>, before: Resource | undefined): void {
    const type = now.resourceType;
    const oldRef = before ? patientRef(before) : undefined;
    if (oldRef) this.byPatient.get(type)?.get(oldRef)?.delete(now.id);
    const ref = patientRef(now);
    if (ref) addTo(this.byPatient, type, ref, now.id);
    for (const k of before ? identifierKeys(before) : []) this.byIdentifier.get(type)?.get(k)?.delete(now.id);
    for (const k of identifierKeys(now)) addTo(this.byIdentifier, type, k, now.id);
  }

  override async search<T extends Resource>(req: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const byPatient = req.filters?.find(isPatientFilter);
    const byIdentifier = byPatient ? undefined : req.filters?.find(isIdentifierFilter);
    const indexed = byPatient ?? byIdentifier;
    if (!indexed || (req.sortRules?.length ?? 0) > 1) return super.search(req);
    let ids: Iterable<string>;
    let ref: string | undefined;
    if (byPatient) {
      ref = byPatient.value.includes('/') ? byPatient.value : `Patient/${byPatient.value}`;
      ids = this.byPatient.get(req.resourceType)?.get(ref) ?? [];
    } else {
      ids = this.byIdentifier.get(req.resourceType)?.get(indexed.value) ?? [];
    }
    const rest: SearchRequest<T> = { ...req, filters: req.filters?.filter((f) => f !== indexed) };
    const matches: WithId<T>[] = [];
    for (const id of ids) {
      const r = this.currentOf(req.resourceType, id) as WithId<T> | undefined;
      // A `patient` search wants the resource to be about that patient, whichever element says so.
      if (r && matchesSearchRequest(r, rest) && (!ref || patientRef(r) === ref)) matches.push(r);
    }
    const sort = req.sortRules?.[0];
    const expression = sort ? getSearchParameter(req.resourceType, sort.code)?.expression : undefined;
    let ordered = matches;
    if (sort && expression) {
      const keyed = matches.map((r) => ({ r, key: JSON.stringify(evalFhirPath(expression, r)) }));
      keyed.sort((a, b) => a.key.localeCompare(b.key) * (sort.descending ? -1 : 1));
      ordered = keyed.map((k) => k.r);
    }
    const offset = req.offset ?? 0;
    const page = ordered.slice(offset, req.count === undefined ? undefined : offset + req.count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      ...(page.length ? { entry: page.map((resource) => ({ resource: structuredClone(resource) })) } : {}),
    };
  }

  override async readHistory<T extends Resource>(
    resourceType: string,
    id: string,
    options?: ReadHistoryOptions,
  ): Promise<Bundle<WithId<T>>> {
    await this.readResource(resourceType, id);
    const newestFirst = [...(this.versionsOf(resourceType, id) as WithId<T>[])].reverse();
    const offset = options?.offset ?? 0;
    const page = newestFirst.slice(offset, options?.limit === undefined ? undefined : offset + options.limit);
    return {
      resourceType: 'Bundle',
      type: 'history',
      total: newestFirst.length,
      ...(page.length ? { entry: page.map((resource) => ({ resource: structuredClone(resource) })) } : {}),
    };
  }

  override async readVersion<T extends Resource>(
    resourceType: string,
    id: string,
    versionId: string,
  ): Promise<T> {
    await this.readResource(resourceType, id);
    const found = this.versionsOf(resourceType, id).find((v) => v.meta?.versionId === versionId);
    if (!found) throw new OperationOutcomeError(notFound);
    return structuredClone(found) as T;
  }

  /** Every version written under this id, oldest first (empty if never written). Do not change them. */
  versionsOf(resourceType: string, id: string): readonly Resource[] {
    return this.log.get(resourceType)?.get(id) ?? [];
  }

  /** The current version, or undefined when absent or deleted. Do not change it. */
  currentOf(resourceType: string, id: string): Resource | undefined {
    if (this.deleted.has(`${resourceType}/${id}`)) return undefined;
    const versions = this.versionsOf(resourceType, id);
    return versions[versions.length - 1];
  }

  /** Ids of the current (not deleted) resources of a type. */
  idsOf(resourceType: string): string[] {
    return [...(this.log.get(resourceType)?.keys() ?? [])].filter(
      (id) => !this.deleted.has(`${resourceType}/${id}`),
    );
  }
}
