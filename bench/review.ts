/**
 * Privacy officer review benchmarks against the test services over HTTPS (mutual TLS, kept-alive connections):
 * an audit repository of 20,000 AuditEvents of organisation C81007 over 12 weeks (logins and logouts, permission
 * to view, record reads, and 2,000 emergency / legal / self-claimed relationship alerts; 600 of the alerts with
 * five reads under their encounter id; 300 with a review Task in one of the statuses), and a small shared care
 * population for the attendance check (some alerts with an Encounter at C81007 beside the access). The officer's
 * side is the real review service over the real audit repository and shared care clients, with a durable audit
 * trail (SQLite, synchronous=FULL): viewing an alert records an entry before it is shown. Each row is our share
 * (the client's whole time minus the services' own time for the same requests, from Server-Timing as the server
 * reports it) beside the server's own time (peer, p95) in the same run:
 * - the queue's first page: 25 newest alerts with their Tasks and the counts by status in one request, in parallel (≤ 20 ms);
 * - one alert: the event, the reads under its encounter id, its Task and the attendance check (≤ 20 ms);
 * - a green report over the 2,000 alerts by organisation, month and type (all pages of alerts; ≤ 500 ms).
 * User tokens are signed once per service before timing (the workstation caches them per audience). The services
 * run in this process, so our share also holds their HTTPS work outside Server-Timing (reading the request, the
 * peer certificate, writing the answer) and garbage collection over their heap; the log line after each row says
 * how much of the wall time the process had a CPU for (other work on the machine stretches the figures).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { buildAuditEvent } from '../src-main/audit/events/build';
import type { AuditActor, AuditEntry, RecordKind } from '../src-main/audit/types';
import { openAuditTrail } from '../src-main/audit/log/trail';
import { ODS_CODE_SYSTEM, NHS_NUMBER_SYSTEM } from '../src-main/domain/fhir-resources';
import type { StoredReviewTask } from '../src-main/domain/review-task';
import { createServiceClient } from '../src-main/records/remote/service-client';
import { createSharedCareClient } from '../src-main/records/remote/shared-care-client';
import type { SourceContext } from '../src-main/records/source/types';
import { PseudonymKey } from '../src-main/review/reports/index';
import { createAuditRepositoryClient } from '../src-main/review/repository/audit-client';
import { applyAction, createReviewService, type ReviewService } from '../src-main/review/review-service';
import { sharedPatientId } from '../src-main/sandbox/population/shared-care';
import type { SignedInUser, UserTokenPort } from '../src-main/session/port';
import type { ReviewAction } from '../src-shared/ipc/channels/review';
import { FakeSession } from '../test/support/records/fakes';
import { clientTransport, startTestSandbox, USERS, type TestSandbox } from '../test/support/sandbox/harness';
import { percentile, round, type BenchContext, type BenchRow } from './types';

const PORT = 46695;
const ORG = 'C81007';
const EVENTS = 20_000;
const ALERTS = 2_000;
/** Alerts with reads under their encounter id, and reads each. */
const WITH_READS = 600;
const READS_EACH = 5;
const TASKS = 300;
const WEEKS = 12;

/** A small seeded PRNG (mulberry32), so every run builds the same mix of events (only the UUIDs differ). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLINICIANS: { userId: string; name: string; roleCode: string }[] = [
  { userId: '555000100001', name: 'Dr Amara Okafor', roleCode: 'R8000' },
  { userId: '555000100002', name: 'Dr Ben Hartley', roleCode: 'R8000' },
  { userId: '555000100003', name: 'Nurse Carys Evans', roleCode: 'R8001' },
  { userId: '555000100004', name: 'Dev Patel', roleCode: 'R8003' },
  { userId: '555000100005', name: 'Erin Walsh', roleCode: 'R8008' },
  { userId: '555000100006', name: 'Dr Farah Qureshi', roleCode: 'R8000' },
  { userId: '555000100007', name: 'Nurse Gareth Lloyd', roleCode: 'R8001' },
  { userId: '555000100008', name: 'Dr Hana Novak', roleCode: 'R8000' },
];
const WORKSTATIONS = ['WS-C81007-01', 'WS-C81007-02', 'WS-C81007-03', 'WS-C81007-04', 'WS-C81007-05'];
const SECTIONS = ['medications', 'allergies', 'problems', 'immunisations', 'investigations'];
const EMERGENCY_WORDS = [
  'Collapsed at reception, unable to consent',
  'Found unresponsive on a home visit',
  'Acute confusion, no next of kin present',
  'Anaphylaxis in clinic',
];
const LEGAL_WORDS = ['Court order received', 'Police request under statute', 'Safeguarding referral'];
const LR_WORDS = ['Covering for a colleague', 'Referred by phone from the ward', 'Locum session'];

export interface Alert {
  id: string;
  at: number;
  nhsNumber: string;
  /** It has READS_EACH reads under its encounter id. */
  reads: boolean;
}

/** The 20,000 events, oldest first, and the alerts among them. */
function repositoryEvents(patients: readonly string[], end: number): { events: unknown[]; alerts: Alert[] } {
  const rand = rng(0x5e7a);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const start = end - WEEKS * 7 * 86_400_000;
  const when = () => start + Math.floor(rand() * (end - start - 3_600_000));
  const made: { at: number; entry: AuditEntry; uuid: string }[] = [];
  const add = (at: number, entry: AuditEntry, uuid: string = randomUUID()) => made.push({ at, entry, uuid });
  const actorOf = (u: (typeof CLINICIANS)[number], workstationId: string): AuditActor => ({
    userId: u.userId,
    displayName: u.name,
    urid: `${u.userId}-01`,
    roleCode: u.roleCode,
    orgCode: ORG,
    workstationId,
  });
  const read = (
    at: number,
    actor: AuditActor,
    nhsNumber: string,
    purpose: 'TREAT' | 'ETREAT',
    encounterId: string,
  ) => {
    const record = pick<RecordKind>(['scr-core', 'scr-core', 'scr-additional', 'mig']);
    add(at, {
      kind: 'record-read',
      actor,
      patient: { nhsNumber },
      record,
      sections: SECTIONS.filter(() => rand() < 0.7),
      purpose,
      encounterId,
    });
  };

  const alerts: Alert[] = [];
  let withReads = 0;
  for (let i = 0; i < ALERTS; i++) {
    const actor = actorOf(pick(CLINICIANS), pick(WORKSTATIONS));
    const at = when();
    const nhsNumber = pick(patients);
    const encounterId = randomUUID();
    const r = rand();
    const entry: AuditEntry =
      r < 0.7
        ? {
            kind: 'emergency-override',
            actor,
            patient: { nhsNumber },
            reasonCode: rand() < 0.8 ? 5 : 4,
            reasonText: pick(EMERGENCY_WORDS),
            encounterId,
          }
        : r < 0.85
          ? {
              kind: 'legal-override',
              actor,
              patient: { nhsNumber },
              reasonCode: pick([1, 2, 3, 6] as const),
              reasonText: pick(LEGAL_WORDS),
              encounterId,
            }
          : {
              kind: 'lr-self-claim',
              actor,
              patient: { nhsNumber },
              reason: pick(['treating-now', 'referred-informally', 'other']),
              reasonText: pick(LR_WORDS),
              encounterId,
            };
    const id = randomUUID();
    add(at, entry, id);
    const reads = i % Math.floor(ALERTS / WITH_READS) === 0 && withReads < WITH_READS;
    if (reads) {
      withReads++;
      const purpose = entry.kind === 'emergency-override' ? 'ETREAT' : 'TREAT';
      for (let k = 1; k <= READS_EACH; k++) read(at + k * 60_000, actor, nhsNumber, purpose, encounterId);
    }
    alerts.push({ id, at, nhsNumber, reads });
  }
  // Everyday work: sign-ins and sign-outs, permission to view followed by reads under its encounter.
  while (made.length < EVENTS) {
    const actor = actorOf(pick(CLINICIANS), pick(WORKSTATIONS));
    const at = when();
    const r = rand();
    if (r < 0.3) {
      add(at, { kind: 'login', actor, outcome: 'success' });
      if (made.length < EVENTS) add(Math.min(at + 4 * 3_600_000, end), { kind: 'logout', actor });
    } else {
      const nhsNumber = pick(patients);
      const encounterId = randomUUID();
      const given = rand() < 0.95;
      add(at, {
        kind: 'ptv',
        actor,
        patient: { nhsNumber },
        decision: given ? 'given' : 'refused',
        encounterId,
      });
      if (given)
        for (let k = 1, n = 2 + Math.floor(rand() * 2); k <= n && made.length < EVENTS; k++)
          read(at + k * 45_000, actor, nhsNumber, 'TREAT', encounterId);
    }
  }
  made.sort((a, b) => a.at - b.at);
  const events = made.map((m) =>
    buildAuditEvent(m.entry, {
      uuid: m.uuid,
      recorded: new Date(m.at).toISOString(),
      machineName: m.entry.actor.workstationId.toLowerCase(),
    }),
  );
  return { events, alerts };
}

export interface ReviewFixture {
  t: TestSandbox;
  service: ReviewService;
  alerts: Alert[];
  close(): Promise<void>;
}

/** The sandbox with its repository filled and the officer's review service over it (also for profiling). */
export async function reviewFixture(bench: BenchContext): Promise<ReviewFixture> {
  // A few patients in the shared care record (the fixed demo patients and some generated ones).
  const t = await startTestSandbox(PORT, { patients: 40, seed: 'bench-review' });
  const http = clientTransport(t, { timeoutMs: 10_000 });
  const session = new FakeSession();
  const u = USERS.officer;
  const officer: SignedInUser = {
    sessionId: 'bench-officer',
    holder: { displayName: u.name, userId: u.userId },
    role: { ...u.role, activities: [...u.role.activities] },
  };
  session.user = officer;
  const audit = openAuditTrail({
    file: join(bench.tmp, 'review-audit.sqlite'),
    workstationId: 'WS-PO-01',
    keyFile: join(bench.tmp, 'review-key.pem'),
    transports: [],
  });
  const close = async () => {
    audit.close();
    http.close();
    await t.close();
  };
  try {
    const tokens = new Map<string, string>();
    for (const s of ['audit', 'sharedCare'] as const)
      tokens.set(t.sandbox.baseUrls[s], await t.token('officer', s, { lifetime: 600 }));
    const tokenPort: UserTokenPort = { token: async (audience) => tokens.get(audience)! };
    const client = (service: 'audit' | 'sharedCare') =>
      createServiceClient({
        service,
        baseUrl: t.sandbox.baseUrls[service],
        transport: http.send,
        tokens: tokenPort,
        timeoutMs: 10_000,
      });
    const repository = createAuditRepositoryClient(client('audit'));
    const service = createReviewService({
      session,
      audit,
      repository,
      sharedCare: createSharedCareClient(client('sharedCare')),
      pseudonymKey: () => PseudonymKey.fromBytes(Buffer.alloc(32, 7)),
      workstationId: 'WS-PO-01',
      clock: { now: () => Date.now() },
    });

    // The repository: every event stored directly (the audit index observes the repository's writes).
    const built = performance.now();
    const shared = t.sandbox.stores.sharedCare.repo;
    const patients: string[] = [];
    for (const id of shared.idsOf('Patient')) {
      const p = shared.currentOf('Patient', id) as { identifier?: { system?: string; value?: string }[] };
      const nhs = p.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value;
      if (nhs) patients.push(nhs);
    }
    const end = Date.now() - 3_600_000;
    const { events, alerts } = repositoryEvents(patients, end);
    const repo = t.sandbox.stores.audit.repo;
    for (const e of events) repo.adoptVersion(e as never);

    // Attendances: every other alert with reads has an Encounter at the practice half an hour before it.
    const withReads = alerts.filter((a) => a.reads);
    for (const [i, a] of withReads.entries()) {
      if (i % 2 !== 0) continue;
      await shared.createResource({
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'AMB', display: 'ambulatory' },
        type: [{ text: 'GP appointment' }],
        subject: { reference: `Patient/${sharedPatientId(a.nhsNumber)}` },
        period: { start: new Date(a.at - 1_800_000).toISOString() },
        serviceProvider: { identifier: { system: ODS_CODE_SYSTEM, value: ORG }, display: 'Example Surgery' },
      } as never);
    }

    // Review Tasks for 300 alerts, through the repository (its checks and If-Match): a third of the newest page,
    // the rest spread over the period, in various statuses.
    const rand = rng(0x7a5c);
    const newestFirst = [...alerts].sort((a, b) => b.at - a.at);
    const chosen = new Set<Alert>();
    for (let i = 0; i < 25; i += 3) chosen.add(newestFirst[i] as Alert);
    while (chosen.size < TASKS) chosen.add(alerts[Math.floor(rand() * alerts.length)] as Alert);
    const ctx: SourceContext = {
      signal: new AbortController().signal,
      user: officer,
      correlationId: randomUUID(),
    };
    const plans: ReviewAction[][] = [
      [{ action: 'take' }],
      [{ action: 'take' }, { action: 'status', status: 'under-investigation' }],
      [{ action: 'take' }, { action: 'escalate', to: 'caldicott-guardian', text: 'No attendance found.' }],
      [
        { action: 'take' },
        { action: 'note', text: 'Asked the practice for the attendance record.' },
        { action: 'close', outcome: 'appropriate', text: 'Attendance confirmed by phone.' },
      ],
      [{ action: 'close', outcome: 'inappropriate', text: 'Access not justified.' }],
    ];
    let n = 0;
    /** One step of a review, written as the review service writes it (create once, then If-Match). */
    const write = async (id: string, task: StoredReviewTask | null, change: ReviewAction) => {
      const body = applyAction(id, task, change, officer, new Date().toISOString());
      const w = task
        ? await repository.updateTask(
            { ...task, ...body, id: task.id, meta: task.meta },
            task.meta.versionId,
            ctx,
          )
        : await repository.createTask(body, ctx);
      if (!w.ok) throw new Error(`bench: the Task of ${id} was not written`);
      return w.task;
    };
    for (const a of chosen) {
      let task: StoredReviewTask | null = null;
      for (const change of plans[n++ % plans.length] as ReviewAction[])
        task = await write(a.id, task, change);
    }
    bench.log(
      `repository: ${events.length} events, ${alerts.length} alerts (${withReads.length} with ${READS_EACH} reads), ${chosen.size} Tasks, ${patients.length} patients, built in ${Math.round(performance.now() - built)} ms`,
    );
    const done = async () => {
      service.dispose();
      await close();
    };
    return { t, service, alerts, close: done };
  } catch (err) {
    await close();
    throw err;
  }
}

export default async function review(bench: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { t, service, alerts, close } = await reviewFixture(bench);
  const withReads = alerts.filter((a) => a.reads);
  try {
    /** Runs fn `runs` times after warming up; our share and the server's own time per run. */
    const measure = async (what: string, warm: number, runs: number, fn: (i: number) => Promise<unknown>) => {
      const ours: number[] = [];
      const server: number[] = [];
      let cpu = process.cpuUsage();
      let wall = 0;
      for (let i = 0; i < warm + runs; i++) {
        if (i === warm) {
          cpu = process.cpuUsage();
          wall = performance.now();
        }
        const from = t.requests.length;
        const t0 = performance.now();
        await fn(i);
        const total = performance.now() - t0;
        const app = t.requests.slice(from).reduce((s, r) => s + r.appMs, 0);
        if (i >= warm) {
          ours.push(Math.max(0, total - app));
          server.push(app);
        }
      }
      // How much of the wall time this process had a CPU for: well under 100% means other work on the machine
      // stretched the figures.
      const used = process.cpuUsage(cpu);
      const share = (used.user + used.system) / 1000 / (performance.now() - wall);
      bench.log(`${what}: ${runs} runs, this process on a CPU ${Math.round(share * 100)}% of the wall time`);
      return { ours, server };
    };
    const row = (name: string, m: { ours: number[]; server: number[] }, target: number): BenchRow => ({
      area: 'review',
      name,
      unit: 'ms',
      p50: round(percentile(m.ours, 50)),
      p95: round(percentile(m.ours, 95)),
      target,
      peer: round(percentile(m.server, 95)),
      ratio: round(percentile(m.ours, 95) / Math.max(percentile(m.server, 95), 0.001), 2),
    });

    // Checked once before timing: the figures are of the work asked for, not of an empty answer.
    const first = await service.queue({}, 0);
    if (first.alerts.length !== 25 || first.total !== alerts.length)
      throw new Error(`bench: the queue showed ${first.alerts.length} of ${first.total} alerts`);
    const withTasks = first.alerts.filter((r) => r.status !== 'new').length;
    const sampleAlerts = withReads.filter((_, i) => i % 3 === 0).slice(0, 100);
    const one = await service.alert(sampleAlerts[0]!.id);
    if (one.reads.length !== READS_EACH || !one.attendance.checked || !one.attendance.found)
      throw new Error(
        `bench: the alert showed ${one.reads.length} reads, attendance ${JSON.stringify(one.attendance)}`,
      );
    const report = await service.report({
      purpose: { code: 'direct-care-audit' },
      by: ['org', 'month', 'type'],
    });
    if (report.events !== alerts.length) throw new Error(`bench: the report counted ${report.events} alerts`);

    rows.push(
      row(
        `queue first page (our share): 25 newest of ${alerts.length} alerts (${withTasks} with Tasks) + counts by status ($review-counts), in parallel`,
        await measure('queue', 20, 200, () => service.queue({}, 0)),
        20,
      ),
    );
    rows.push(
      row(
        `alert detail with reads and attendance (our share): event, ${READS_EACH} reads, Task, shared care Patient + Encounter search; ${sampleAlerts.length} alerts, durable audit`,
        await measure('alert', 20, 200, (i) => service.alert(sampleAlerts[i % sampleAlerts.length]!.id)),
        20,
      ),
    );
    rows.push(
      row(
        `green report over ${alerts.length} alerts (our share): all pages, by org, month, type (+ weekly)`,
        await measure('report', 3, 20, () =>
          service.report({ purpose: { code: 'direct-care-audit' }, by: ['org', 'month', 'type'] }),
        ),
        500,
      ),
    );
  } finally {
    await close();
  }
  bench.log(`review rows: ${rows.length}`);
  return rows;
}
