/**
 * The privacy officer's side of the override loop (docs/specs/privacy-officer.md): the alert queue, one alert with
 * everything read under it and the attendance check, review actions on the alert's Task, sampling, and green
 * reports / amber extracts over the repository's alerts. Rights come from the signed-in role's activities: B0015
 * (emergency and legal override alerts), B0016 (self-claimed relationship alerts), B0011 (reports). The scope is
 * the role profile's organisation; the repository enforces it too.
 *
 * Audit: viewing an alert (red data) is recorded before it is shown; every action is recorded once the repository
 * has taken it; every report, extract and refusal before it is shown. Nothing here is stored on disk.
 */
import { randomUUID } from 'node:crypto';
import type {
  ActResult,
  AlertDetail,
  AlertRow,
  AlertType,
  Attendance,
  EncounterRead,
  ExtractView,
  QueueFilter,
  QueueView,
  ReportView,
  ReviewAction,
  ReviewState,
  SampleView,
} from '../../src-shared/ipc/channels/review';
import { Activities } from '../../src-shared/domain/rbac';
import type { AuditEntry, AuditTrail, ReviewActionCode } from '../audit/types';
import { actorOf, recordOrFail, requireUser } from '../domain/guards';
import { Refusal } from '../domain/errors';
import { ODS_CODE_SYSTEM } from '../domain/fhir-resources';
import {
  ESCALATED_TO_URL,
  LAST_CHANGED_BY_URL,
  PATIENT_TO_BE_INFORMED_URL,
  REVIEW_STATUS_SYSTEM,
  REVIEW_TASK_CODE,
  SDS_USER_ID,
  TASK_STATUS,
  taskBusinessStatus,
  type ReviewStatusCode,
  type ReviewTaskBody,
  type StoredReviewTask,
  type UserReference,
} from '../domain/review-task';
import type { SharedCareClient } from '../records/remote/shared-care-client';
import type { SourceContext } from '../records/source/types';
import type { SessionPort, SignedInUser } from '../session/port';
import {
  amberExtract,
  amberOutput,
  AMBER_COLUMNS,
  auditFactsOf,
  decidePurpose,
  greenCsv,
  greenReport,
  KeyFileError,
  PURPOSE_CODES,
  REFUSED_PURPOSES,
  REPORT_PURPOSES,
  ReportInputError,
  reportRefusalEntry,
  reportRunEntry,
  type GroupField,
  type PseudonymKey,
} from './reports/index';
import {
  alertFacts,
  eventDetail,
  eventTypeWord,
  type AlertFacts,
  type RepositoryEvent,
} from './repository/alert-event';
import type { AlertSearch, AuditRepositoryClient } from './repository/audit-client';
import { drawSample, freshSeed, type SampleSize } from './sampling/draw';

export const QUEUE_PAGE_SIZE = 25;
/** The attendance check looks this far either side of the access. */
export const ATTENDANCE_WINDOW_MS = 24 * 60 * 60_000;

export interface ReviewServiceDeps {
  session: SessionPort;
  audit: Pick<AuditTrail, 'record'>;
  /** null: this workstation has no audit repository configured (the screens say so). */
  repository: AuditRepositoryClient | null;
  sharedCare: SharedCareClient | null;
  /** The organisation's pseudonymisation key, read when an extract is made. */
  pseudonymKey: () => PseudonymKey;
  workstationId: string;
  clock: { now(): number };
}

const OVERRIDE_TYPES: readonly AlertType[] = ['emergency', 'legal'];
const LR_TYPES: readonly AlertType[] = ['self-claimed-lr'];

/** The alert types the role may review: B0015 override alerts, B0016 self-claimed relationship alerts. */
export function reviewableTypes(user: SignedInUser): AlertType[] {
  const a = user.role.activities;
  return [
    ...(a.includes(Activities.receiveOverrideAlerts) ? OVERRIDE_TYPES : []),
    ...(a.includes(Activities.receiveSelfClaimedLrAlerts) ? LR_TYPES : []),
  ];
}

function reviewer(session: SessionPort): { user: SignedInUser; types: AlertType[] } {
  const user = requireUser(session);
  const types = reviewableTypes(user);
  if (types.length === 0)
    throw new Refusal(
      'forbidden',
      'Your role does not receive privacy alerts (it needs B0015 or B0016). Ask your Registration Authority if it should.',
    );
  return { user, types };
}

function reporter(session: SessionPort): SignedInUser {
  const user = requireUser(session);
  if (!user.role.activities.includes(Activities.viewLogsAndReports))
    throw new Refusal(
      'forbidden',
      'Your role may not run audit reports or extracts (it needs B0011). Ask your Registration Authority if it should.',
    );
  return user;
}

const userRef = (user: SignedInUser): UserReference => ({
  identifier: { system: SDS_USER_ID, value: user.holder.userId },
  display: user.holder.displayName,
});
const asReviewer = (r: UserReference | undefined) =>
  r ? { userId: r.identifier.value, name: r.display } : null;

/** What a Task's extensions say: where it was escalated, whether the patient is to be told, who changed it last. */
function extensionsOf(task: ReviewTaskBody | null): {
  escalatedTo: ReviewState['escalatedTo'];
  inform: boolean;
  changedBy: UserReference | undefined;
} {
  let escalatedTo: ReviewState['escalatedTo'] = null;
  let inform = false;
  let changedBy: UserReference | undefined;
  for (const x of task?.extension ?? []) {
    if (x.url === ESCALATED_TO_URL) escalatedTo = x.valueCode;
    else if (x.url === PATIENT_TO_BE_INFORMED_URL) inform = x.valueBoolean;
    else if (x.url === LAST_CHANGED_BY_URL) changedBy = x.valueReference;
  }
  return { escalatedTo, inform, changedBy };
}

/** The review state a Task says (or a new alert's, without one). */
export function reviewState(task: StoredReviewTask | null): ReviewState {
  if (!task)
    return {
      version: null,
      status: 'new',
      owner: null,
      notes: [],
      escalatedTo: null,
      patientToBeInformed: false,
      lastChangedBy: null,
      lastChanged: null,
    };
  const { escalatedTo, inform, changedBy } = extensionsOf(task);
  return {
    version: task.meta.versionId,
    status: taskBusinessStatus(task),
    owner: asReviewer(task.owner),
    notes: (task.note ?? []).map((n) => ({
      author: asReviewer(n.authorReference) as { userId: string; name: string },
      time: n.time,
      text: n.text,
    })),
    escalatedTo,
    patientToBeInformed: inform,
    lastChangedBy: asReviewer(changedBy),
    lastChanged: task.lastModified,
  };
}

function row(f: AlertFacts, task: StoredReviewTask | undefined | null, me: SignedInUser): AlertRow {
  return {
    id: f.id,
    type: f.type,
    recorded: f.recorded,
    reasonCode: f.reasonCode,
    reasonLabel: f.reasonLabel,
    roleName: f.roleName,
    orgCode: f.orgCode,
    workstationId: f.workstationId,
    status: task ? taskBusinessStatus(task) : 'new',
    owner: asReviewer(task?.owner),
    own: f.userId === me.holder.userId,
  };
}

/** The Task an action makes from the current one (or from nothing, for an alert not yet reviewed). */
export function applyAction(
  alertId: string,
  current: StoredReviewTask | null,
  change: ReviewAction,
  user: SignedInUser,
  now: string,
): ReviewTaskBody {
  const me = userRef(user);
  let status: ReviewStatusCode = current ? taskBusinessStatus(current) : 'new';
  let owner = current?.owner;
  const notes = [...(current?.note ?? [])];
  let { escalatedTo, inform } = extensionsOf(current);
  const note = (text: string) => notes.push({ authorReference: me, time: now, text });
  switch (change.action) {
    case 'take':
      owner = me;
      if (status === 'new') status = 'open';
      break;
    case 'note':
      note(change.text);
      if (status === 'new') status = 'open';
      break;
    case 'status':
      status = change.status;
      break;
    case 'close':
      status = change.outcome === 'appropriate' ? 'closed-appropriate' : 'closed-inappropriate';
      note(change.text);
      break;
    case 'escalate':
      status = 'escalated';
      escalatedTo = change.to;
      note(change.text);
      break;
    case 'inform':
      inform = change.patientToBeInformed;
      break;
  }
  return {
    resourceType: 'Task',
    ...(current ? { id: current.id } : {}),
    status: TASK_STATUS[status],
    intent: 'order',
    code: { coding: [{ system: REVIEW_TASK_CODE, code: 'alert-review' }] },
    businessStatus: { coding: [{ system: REVIEW_STATUS_SYSTEM, code: status }] },
    focus: { reference: `AuditEvent/${alertId}` },
    ...(owner ? { owner } : {}),
    lastModified: now,
    ...(notes.length ? { note: notes } : {}),
    extension: [
      ...(escalatedTo ? [{ url: ESCALATED_TO_URL, valueCode: escalatedTo } as const] : []),
      { url: PATIENT_TO_BE_INFORMED_URL, valueBoolean: inform } as const,
      { url: LAST_CHANGED_BY_URL, valueReference: me } as const,
    ],
  };
}

const ACTION_CODES: Record<ReviewAction['action'], ReviewActionCode> = {
  take: 'take',
  note: 'note',
  status: 'status',
  close: 'close',
  escalate: 'escalate',
  inform: 'inform',
};

function notConfigured(): never {
  throw new Refusal(
    'unavailable',
    'This workstation has no audit repository configured, so alerts cannot be reviewed here. Tell your IT service desk.',
    { service: 'audit', reason: 'not-configured' },
  );
}

export interface ReviewService {
  queue(filter: QueueFilter, page: number): Promise<QueueView>;
  alert(id: string): Promise<AlertDetail>;
  act(id: string, version: string | null, change: ReviewAction): Promise<ActResult>;
  sample(req: { from: string; to: string; size: SampleSize; seed?: string | undefined }): Promise<SampleView>;
  purposes(): {
    purposes: { code: string; words: string }[];
    refused: { code: string; words: string }[];
  };
  report(req: {
    purpose: { code: string } | { text: string };
    by: GroupField[];
    from?: string | undefined;
    to?: string | undefined;
  }): Promise<ReportView>;
  extract(req: {
    purpose: { code: string } | { text: string };
    format: 'csv' | 'ndjson';
    from?: string | undefined;
    to?: string | undefined;
  }): Promise<ExtractView>;
  /** New alerts (review status new) for the signed-in reviewer, or null when she is not one. */
  newAlerts(): Promise<number | null>;
  dispose(): void;
}

export function createReviewService(deps: ReviewServiceDeps): ReviewService {
  const { session } = deps;
  let controller = new AbortController();
  const offSession = session.onChange((change) => {
    if (change === 'locked' || change === 'signed-out' || change === 'signed-in') {
      controller.abort();
      controller = new AbortController();
    }
  });
  const ctxFor = (user: SignedInUser): SourceContext => ({
    signal: controller.signal,
    user,
    correlationId: randomUUID(),
  });
  const repo = (): AuditRepositoryClient => deps.repository ?? notConfigured();
  const record = (entry: AuditEntry) => recordOrFail(deps.audit, entry);
  const actor = (user: SignedInUser) => actorOf(user, deps.workstationId);

  const search = (filter: QueueFilter, types: readonly AlertType[]): AlertSearch => {
    const wanted = filter.types ? types.filter((t) => filter.types?.includes(t)) : [...types];
    if (wanted.length === 0)
      throw new Refusal('forbidden', 'Your role does not receive alerts of the type asked for.');
    return {
      types: wanted,
      org: filter.org,
      user: filter.user,
      from: filter.from,
      to: filter.to,
    };
  };

  /** The alert and its facts, refused when it is not an alert the officer may review. */
  const loadAlert = async (id: string, user: SignedInUser, types: AlertType[], ctx: SourceContext) => {
    const found = await repo().eventWithTask(id, ctx);
    const facts = found ? alertFacts(found.event) : null;
    if (!found || !facts || !types.includes(facts.type))
      throw new Refusal('not-found', 'There is no such alert for your organisation.');
    if (facts.orgCode !== user.role.orgCode)
      throw new Refusal('not-found', 'There is no such alert for your organisation.');
    return { event: found.event, task: found.task, facts };
  };

  const attendance = async (f: AlertFacts, ctx: SourceContext): Promise<[Attendance, string | null]> => {
    if (!deps.sharedCare)
      return [{ checked: false, reason: 'No shared care record service is configured here.' }, null];
    if (!f.nhsNumber) return [{ checked: false, reason: 'The alert names no patient.' }, null];
    try {
      const patient = await deps.sharedCare.patient(f.nhsNumber, ctx);
      if (!patient)
        return [{ checked: false, reason: 'The shared care record holds no record of this patient.' }, null];
      const name = patient.patient.name?.[0];
      const display = name ? [...(name.given ?? []), name.family ?? ''].join(' ').trim() || null : null;
      const at = Date.parse(f.recorded);
      const encounters = await deps.sharedCare.encounters(
        patient.id,
        {
          from: new Date(at - ATTENDANCE_WINDOW_MS).toISOString(),
          to: new Date(at + ATTENDANCE_WINDOW_MS).toISOString(),
        },
        ctx,
      );
      const here = encounters.filter(
        (e) =>
          e.serviceProvider?.identifier?.system === ODS_CODE_SYSTEM &&
          e.serviceProvider.identifier.value === f.orgCode &&
          e.period?.start !== undefined &&
          Math.abs(Date.parse(e.period.start) - at) <= ATTENDANCE_WINDOW_MS,
      );
      return [
        {
          checked: true,
          found: here.length > 0,
          encounters: here.map((e) => ({
            start: e.period?.start ?? '',
            orgCode: e.serviceProvider?.identifier?.value ?? '',
            orgName: e.serviceProvider?.display ?? null,
            kind: e.type?.[0]?.text ?? e.class?.display ?? e.class?.code ?? 'Encounter',
          })),
        },
        display,
      ];
    } catch (err) {
      if (err instanceof Refusal && err.kind !== 'locked' && err.kind !== 'conflict')
        return [{ checked: false, reason: err.message }, null];
      throw err;
    }
  };

  const readOf = (e: RepositoryEvent): EncounterRead => ({
    id: e.id,
    recorded: e.recorded,
    type: eventTypeWord(e),
    record: eventDetail(e, 'record'),
    sections: (eventDetail(e, 'sections') ?? '').split(',').filter((s) => s !== ''),
    outcome: e.outcome ?? '0',
    workstationId: e.source.observer.identifier?.value ?? null,
  });

  const purposeOf = (
    p: { code: string } | { text: string },
    report: 'green' | 'amber',
    user: SignedInUser,
  ): (typeof PURPOSE_CODES)[number] => {
    const decision = decidePurpose('code' in p ? p.code : p.text);
    if (decision.ok) return decision.code;
    record(reportRefusalEntry(actor(user), report, decision));
    throw new Refusal('refused', decision.reason, { purpose: decision.refused });
  };

  const reportFacts = async (user: SignedInUser, from?: string, to?: string) => {
    const events = await repo().allAlertResources(
      { types: ['emergency', 'legal', 'self-claimed-lr'], from, to },
      ctxFor(user),
    );
    try {
      return { facts: auditFactsOf(events), events: events.length };
    } catch (err) {
      if (err instanceof ReportInputError)
        throw new Refusal(
          'unavailable',
          `The audit repository sent an event the report cannot use (${err.message}). Nothing was made. Tell your IT service desk.`,
          { service: 'audit', reason: 'bad-answer' },
        );
      throw err;
    }
  };

  return {
    async queue(filter, page) {
      const { user, types } = reviewer(session);
      const ctx = ctxFor(user);
      const q = search(filter, types);
      const [list, counts] = await Promise.all([
        repo().alerts(
          { ...q, status: filter.status },
          { count: QUEUE_PAGE_SIZE, offset: page * QUEUE_PAGE_SIZE },
          ctx,
        ),
        repo().countByStatus(q, ctx),
      ]);
      const rows: AlertRow[] = [];
      for (const e of list.events) {
        const f = alertFacts(e);
        if (f && f.orgCode === user.role.orgCode) rows.push(row(f, list.tasks.get(e.id), user));
      }
      return {
        alerts: rows,
        total: list.total,
        page,
        pageSize: QUEUE_PAGE_SIZE,
        counts,
        scope: [{ orgCode: user.role.orgCode, orgName: user.role.orgName }],
        types,
      };
    },

    async alert(id) {
      const { user, types } = reviewer(session);
      const ctx = ctxFor(user);
      const { event, task, facts } = await loadAlert(id, user, types, ctx);
      const [reads, [att, patientName]] = await Promise.all([
        facts.encounterId ? repo().encounterEvents(facts.encounterId, ctx) : Promise.resolve([]),
        attendance(facts, ctx),
      ]);
      // Red data, one alert at a time: recorded before it is shown.
      record({
        kind: 'review-action',
        actor: actor(user),
        action: 'alert-viewed',
        alertId: id,
        ...(facts.nhsNumber ? { patient: { nhsNumber: facts.nhsNumber } } : {}),
        parameters: { type: facts.type },
      });
      return {
        alert: row(facts, task, user),
        who: {
          userId: facts.userId,
          name: facts.userName,
          roleName: facts.roleName,
          roleCode: facts.roleCode,
          urid: facts.urid,
          orgCode: facts.orgCode,
          workstationId: facts.workstationId,
        },
        patient: { nhsNumber: facts.nhsNumber, name: patientName },
        reasonText: facts.reasonText,
        encounterId: facts.encounterId,
        reads: reads.filter((r) => r.id !== event.id).map(readOf),
        attendance: att,
        review: reviewState(task),
      };
    },

    async act(id, version, change) {
      const { user, types } = reviewer(session);
      const ctx = ctxFor(user);
      const { facts, task: current } = await loadAlert(id, user, types, ctx);
      if (facts.userId === user.holder.userId)
        throw new Refusal('forbidden', 'You cannot review an alert about your own access.');
      const conflict = (task: StoredReviewTask): ActResult => {
        const state = reviewState(task);
        const by = state.lastChangedBy?.name ?? 'Another reviewer';
        return {
          outcome: 'conflict',
          message: `${by} changed this review while you were looking at it. Nothing you did was saved: here is the review as it is now. Check it, then do it again if it still needs doing.`,
          review: state,
        };
      };
      if (current && current.meta.versionId !== version) return conflict(current);
      if (!current && version !== null)
        throw new Refusal('conflict', 'The review of this alert has gone from the audit repository.');
      const now = new Date(deps.clock.now()).toISOString();
      const body = applyAction(id, current, change, user, now);
      const written = current
        ? await repo().updateTask(
            { ...current, ...body, id: current.id, meta: current.meta },
            current.meta.versionId,
            ctx,
          )
        : await repo().createTask(body, ctx);
      if (!written.ok) return conflict(written.current);
      const state = reviewState(written.task);
      record({
        kind: 'review-action',
        actor: actor(user),
        action: ACTION_CODES[change.action],
        alertId: id,
        ...(facts.nhsNumber ? { patient: { nhsNumber: facts.nhsNumber } } : {}),
        parameters: {
          status: state.status,
          version: state.version ?? '',
          ...(change.action === 'escalate' ? { to: change.to } : {}),
          ...(change.action === 'inform'
            ? { 'patient-to-be-informed': String(change.patientToBeInformed) }
            : {}),
        },
      });
      return { outcome: 'saved', review: state };
    },

    async sample(req) {
      const { user, types } = reviewer(session);
      const ctx = ctxFor(user);
      const seed = req.seed ?? freshSeed();
      const events = await repo().allAlerts({ types, from: req.from, to: req.to }, ctx);
      const facts = new Map<string, AlertFacts>();
      for (const e of events) {
        const f = alertFacts(e);
        if (f && f.orgCode === user.role.orgCode) facts.set(f.id, f);
      }
      const drawn = drawSample([...facts.keys()], req.size, seed);
      const tasks = await Promise.all(drawn.map((id) => repo().taskFor(id, ctx)));
      record({
        kind: 'review-action',
        actor: actor(user),
        action: 'sample-drawn',
        parameters: {
          from: req.from,
          to: req.to,
          size: `${req.size.value}${req.size.kind === 'percent' ? '%' : ''}`,
          seed,
          population: String(facts.size),
          selected: drawn.join(','),
        },
      });
      return {
        seed,
        from: req.from,
        to: req.to,
        population: facts.size,
        alerts: drawn.map((id, i) => row(facts.get(id) as AlertFacts, tasks[i], user)),
      };
    },

    purposes() {
      return {
        purposes: PURPOSE_CODES.map((code) => ({ code, words: REPORT_PURPOSES[code] })),
        refused: (Object.keys(REFUSED_PURPOSES) as (keyof typeof REFUSED_PURPOSES)[]).map((code) => ({
          code,
          words: REFUSED_PURPOSES[code],
        })),
      };
    },

    async report(req) {
      const user = reporter(session);
      const purpose = purposeOf(req.purpose, 'green', user);
      const { facts, events } = await reportFacts(user, req.from, req.to);
      const report = greenReport(facts, req.by);
      const weeks = greenReport(facts, ['week', 'type']);
      const weekly = new Map<string, Record<AlertType, string>>();
      for (const r of weeks.rows) {
        const [week, type] = r.values as [string, AlertType];
        const counts = weekly.get(week) ?? { emergency: '0', legal: '0', 'self-claimed-lr': '0' };
        counts[type] = r.count;
        weekly.set(week, counts);
      }
      record(
        reportRunEntry(actor(user), {
          report: 'green',
          purpose,
          by: req.by,
          events,
          rows: report.rows.length,
        }),
      );
      return {
        by: [...report.by],
        rows: report.rows.map((r) => ({ values: [...r.values], count: r.count })),
        total: report.total,
        weekly: [...weekly.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([week, counts]) => ({ week, counts })),
        csv: greenCsv(report),
        events,
      };
    },

    async extract(req) {
      const user = reporter(session);
      const purpose = purposeOf(req.purpose, 'amber', user);
      let key: PseudonymKey;
      try {
        key = deps.pseudonymKey();
      } catch (err) {
        if (err instanceof KeyFileError)
          throw new Refusal(
            'unavailable',
            `The organisation's pseudonymisation key cannot be used (${err.message}), so no extract can be made. Tell your IT service desk.`,
            { service: 'audit', reason: 'key' },
          );
        throw err;
      }
      const { facts, events } = await reportFacts(user, req.from, req.to);
      const rows = amberExtract(facts, key);
      const text = amberOutput(rows, req.format);
      record(
        reportRunEntry(actor(user), {
          report: 'amber',
          purpose,
          format: req.format,
          events,
          rows: rows.length,
        }),
      );
      return { format: req.format, columns: [...AMBER_COLUMNS], rows: rows.length, text };
    },

    async newAlerts() {
      const user = session.current();
      if (!user || reviewableTypes(user).length === 0 || !deps.repository) return null;
      return deps.repository.countAlerts({ types: reviewableTypes(user), status: 'new' }, ctxFor(user));
    },

    dispose() {
      offSession();
      controller.abort();
    },
  };
}
