/**
 * The audit repository's own indexes, so that the privacy officer's searches never scan Tasks or sort every event:
 *   - per organisation (ODS code of the event's organisation agent), its current AuditEvents kept sorted by
 *     `recorded` (then id), updated on each write: an insert in time order is an append, a late one a binary
 *     search and a splice;
 *   - per organisation and token, the same sorted lists of the events with that AuditEvent.type or .subtype, or
 *     an agent's or entity's identifier (`system|value`, and the value alone for a search without a system), so
 *     that a search by type or subtype (the alert subtypes are a tenth of the events), user, patient or encounter
 *     id visits only those events: a pass over every event costs about 0.5 us each here, the memory of 20,000
 *     events being nowhere near the cache;
 *   - each Task by its id and by the alert it reviews (one Task per alert), updated on each Task write.
 * It is built once from what the repository holds, then kept level by observing the repository's write methods
 * (adoptVersion, createResource, updateResource, deleteResource, through which every write goes): what the
 * service writes, and what a test or benchmark writes to `stores.audit.repo` directly, is indexed the same
 * way, with no per-search check of the repository.
 */
import type { AuditEvent, Resource, Task } from '@medplum/fhirtypes';
import { ODS_CODE_SYSTEM } from '../../../domain/fhir-resources';
import { taskFocusId } from '../../../domain/review-task';
import type { SandboxRepository } from '../../fhir/repository';
import { taskStatus } from './search-params';

const SDS_USER_ID = 'https://fhir.nhs.uk/Id/sds-user-id';

export function eventOrganisation(e: AuditEvent): string | undefined {
  return e.agent?.find((a) => a.who?.identifier?.system === ODS_CODE_SYSTEM)?.who?.identifier?.value;
}

/** The user (SDS user id) who did what the event records. */
export function eventUser(e: AuditEvent): string | undefined {
  return e.agent?.find((a) => a.requestor && a.who?.identifier?.system === SDS_USER_ID)?.who?.identifier
    ?.value;
}

/** One current AuditEvent in its organisation's list. */
export interface EventEntry {
  readonly id: string;
  /** AuditEvent.recorded as epoch ms (0 when unreadable). */
  readonly t: number;
  readonly org: string;
  readonly e: AuditEvent;
  /** The lists it is in: its organisation's, then one per token. */
  readonly keys: readonly string[];
}

/** AuditEvent.type, .subtype (codings), agent.who.identifier, entity.what.identifier (identifiers). */
export type TokenField = 'type' | 'subtype' | 'agent' | 'entity';

/**
 * The list key of a token: `system|code`, or the code alone. A coding without a system is under system '' (a
 * search for `|code` finds it); an identifier without one only under its value (as the search's own test).
 */
export function tokenKey(org: string, field: TokenField, system: string | undefined, code: string): string {
  return system === undefined ? `${org}\n${field}\n\u0001${code}` : `${org}\n${field}\n${system}|${code}`;
}

function entryOf(e: AuditEvent & { id: string }): EventEntry {
  const org = eventOrganisation(e) ?? '';
  const keys = new Set<string>([org]);
  const add = (field: TokenField, system: string | undefined, code: string | undefined) => {
    if (!code) return;
    if (system !== undefined) keys.add(tokenKey(org, field, system, code));
    keys.add(tokenKey(org, field, undefined, code));
  };
  add('type', e.type?.system ?? '', e.type?.code);
  for (const c of e.subtype ?? []) add('subtype', c.system ?? '', c.code);
  for (const a of e.agent ?? []) add('agent', a.who?.identifier?.system, a.who?.identifier?.value);
  for (const x of e.entity ?? []) add('entity', x.what?.identifier?.system, x.what?.identifier?.value);
  return { id: e.id, t: Date.parse(e.recorded ?? '') || 0, org, e, keys: [...keys] };
}

function before(a: { t: number; id: string }, b: { t: number; id: string }): boolean {
  return a.t < b.t || (a.t === b.t && a.id < b.id);
}

export function compare(a: { t: number; id: string }, b: { t: number; id: string }): number {
  return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/** Where `x` goes in (or is found in) an ascending list: the first index not before `x`. */
function place(list: readonly EventEntry[], x: { t: number; id: string }): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid] as EventEntry, x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const NO_EVENTS: readonly EventEntry[] = Object.freeze([]);

/** A Task as the index holds it: its current version and the alert it reviews. */
export interface TaskEntry {
  readonly id: string;
  readonly alert: string | undefined;
  task: Task;
  /** Its businessStatus code ('' when it has none). */
  status: string;
}

export class AuditIndex {
  private readonly events = new Map<string, EventEntry>();
  /** Organisation, or organisation and token (tokenKey) -> its events, ascending by (recorded, id). */
  private readonly lists = new Map<string, EventEntry[]>();
  private readonly tasks = new Map<string, TaskEntry>();
  /** alert (AuditEvent) id -> its review Task (the first written, should there ever be more). */
  private readonly taskByAlert = new Map<string, TaskEntry>();

  constructor(private readonly repo: SandboxRepository) {
    for (const id of repo.idsOf('AuditEvent'))
      this.eventWritten(repo.currentOf('AuditEvent', id) as AuditEvent);
    for (const id of repo.idsOf('Task')) this.taskWritten(repo.currentOf('Task', id) as Task);
    this.observe();
  }

  private observe(): void {
    const repo = this.repo;
    const written = (r: Resource | undefined) => {
      if (r?.resourceType === 'AuditEvent') this.eventWritten(r);
      else if (r?.resourceType === 'Task') this.taskWritten(r);
    };
    const adopt = repo.adoptVersion.bind(repo);
    repo.adoptVersion = ((r: Resource) => {
      const stored = adopt(r);
      written(stored);
      return stored;
    }) as typeof repo.adoptVersion;
    // The repository stores synchronously inside these (no await before the write), so the new version is
    // current as soon as the call returns.
    const create = repo.createResource.bind(repo);
    repo.createResource = ((r: Resource, o?: never) => {
      const p = create(r, o);
      void p.then(written, () => undefined);
      return p;
    }) as typeof repo.createResource;
    const update = repo.updateResource.bind(repo);
    repo.updateResource = ((r: Resource, o?: { ifMatch?: string }) => {
      const p = update(r, o);
      if (r.id) written(repo.currentOf(r.resourceType, r.id));
      return p;
    }) as typeof repo.updateResource;
    const remove = repo.deleteResource.bind(repo);
    repo.deleteResource = ((type: string, id: string) => {
      const p = remove(type, id);
      if (!repo.currentOf(type, id)) {
        if (type === 'AuditEvent') this.eventRemoved(id);
        if (type === 'Task') this.taskRemoved(id);
      }
      return p;
    }) as typeof repo.deleteResource;
  }

  private eventRemoved(id: string): void {
    const old = this.events.get(id);
    if (!old) return;
    this.events.delete(id);
    for (const k of old.keys) {
      const list = this.lists.get(k);
      const i = list ? place(list, old) : -1;
      if (list && list[i]?.id === old.id) list.splice(i, 1);
    }
  }

  private eventWritten(e: AuditEvent): void {
    if (!e.id) return;
    this.eventRemoved(e.id);
    const entry = entryOf(e as AuditEvent & { id: string });
    this.events.set(entry.id, entry);
    for (const k of entry.keys) {
      let list = this.lists.get(k);
      if (!list) this.lists.set(k, (list = []));
      const last = list[list.length - 1];
      if (!last || before(last, entry)) list.push(entry);
      else list.splice(place(list, entry), 0, entry);
    }
  }

  private taskRemoved(id: string): void {
    const old = this.tasks.get(id);
    if (!old) return;
    this.tasks.delete(id);
    if (old.alert !== undefined && this.taskByAlert.get(old.alert) === old) {
      this.taskByAlert.delete(old.alert);
      for (const other of this.tasks.values())
        if (other.alert === old.alert) {
          this.taskByAlert.set(old.alert, other);
          break;
        }
    }
  }

  private taskWritten(t: Task): void {
    if (!t.id) return;
    const alert = taskFocusId(t) ?? undefined;
    const had = this.tasks.get(t.id);
    const status = taskStatus(t) ?? '';
    if (had && had.alert === alert) {
      had.task = t;
      had.status = status;
      return;
    }
    if (had) this.taskRemoved(t.id);
    const entry: TaskEntry = { id: t.id, alert, task: t, status };
    this.tasks.set(t.id, entry);
    if (alert !== undefined && !this.taskByAlert.has(alert)) this.taskByAlert.set(alert, entry);
  }

  /** The organisation's current events, oldest first (ties by id). Do not change the list. */
  eventsOf(org: string): readonly EventEntry[] {
    return this.lists.get(org) ?? NO_EVENTS;
  }

  /** The organisation's events with a token in AuditEvent.type or .subtype, in the same order. */
  eventsWith(
    org: string,
    field: TokenField,
    system: string | undefined,
    code: string,
  ): readonly EventEntry[] {
    return this.lists.get(tokenKey(org, field, system, code)) ?? NO_EVENTS;
  }

  event(id: string): EventEntry | undefined {
    return this.events.get(id);
  }

  /** The current review Task of an alert, if it has one. */
  taskOf(alertId: string): Task | undefined {
    return this.taskByAlert.get(alertId)?.task;
  }

  /** An alert's review Task as indexed. */
  reviewOf(alertId: string): TaskEntry | undefined {
    return this.taskByAlert.get(alertId);
  }

  /** The review status of an alert's Task ('' for a Task without one), or null when it has no Task. */
  statusOf(alertId: string): string | null {
    return this.taskByAlert.get(alertId)?.status ?? null;
  }

  /** Every Task (any organisation), in the order first written. */
  allTasks(): Iterable<TaskEntry> {
    return this.tasks.values();
  }

  get taskCount(): number {
    return this.tasks.size;
  }
}
