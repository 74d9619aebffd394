/**
 * Records benchmarks on a 100,000-patient synthetic population:
 * - generating it with the CLI (`stethoscope demo-data`, a child process), target ≤ 60 s;
 * - patient search by NHS number (p95 ≤ 0.5 ms) and by name + date of birth (p95 ≤ 2 ms), through the service;
 * - permission recorded → SCR view assembled, filtered and audited durably (p95 ≤ 3 ms), with the real SQLite
 *   audit trail (src-main/audit/log, synchronous=FULL), one encounter per patient;
 * - resident memory of this process with the population open.
 */
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openAuditTrail } from '../src-main/audit/log/trail';
import { DEFAULT_POLICY } from '../src-main/policy/policy-file';
import { createRecordHandlers } from '../src-main/services/record-handlers';
import { openSqliteRecordSource } from '../src-main/records/source/sqlite/source';
import type { SessionChange, SessionPort, SignedInUser } from '../src-main/session/port';
import { percentile, round, type BenchArea, type BenchRow } from './types';
import { remoteRows } from './records-remote';
import { Refusal } from '../src-main/domain/errors';

const PATIENTS = 100_000;
const SAMPLES = 2000;

/** A signed-in GP practice user; the bench measures records, not the card. */
function benchSession(): SessionPort & { emit(c: SessionChange): void } {
  const listeners = new Set<(c: SessionChange, u: SignedInUser | null, sessionId: string) => void>();
  const user: SignedInUser = {
    sessionId: 'bench-session',
    holder: { displayName: 'Bench User', userId: '555000000777' },
    role: {
      urid: '555000000777-01',
      orgCode: 'C81007',
      orgName: 'Example Surgery',
      orgType: 'gp-practice',
      roleCode: 'R8000',
      roleName: 'Clinical Practitioner Access Role',
      activities: ['B0370', 'B0168', 'B0020'],
    },
  };
  return {
    current: () => user,
    verifyPin: async () => ({ ok: true }),
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    emit: (c) => listeners.forEach((l) => l(c, user, user.sessionId)),
  };
}

/** Times each call, awaited (the record source is asynchronous). */
async function timeEach<T>(inputs: readonly T[], fn: (x: T) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (const x of inputs) {
    const t0 = performance.now();
    await fn(x);
    out.push(performance.now() - t0);
  }
  return out;
}

const row = (name: string, unit: string, samples: number[], target: number): BenchRow => ({
  area: 'records',
  name,
  unit,
  p50: round(percentile(samples, 50)),
  p95: round(percentile(samples, 95)),
  target,
});

const run: BenchArea = async (ctx) => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const file = join(ctx.tmp, 'records.sqlite');
  const rows: BenchRow[] = [];

  ctx.log(`generating ${PATIENTS} patients with the CLI`);
  const t0 = performance.now();
  const gen = spawnSync(
    process.execPath,
    [
      join(root, 'bin/stethoscope.mjs'),
      'demo-data',
      '--patients',
      String(PATIENTS),
      '--out',
      file,
      '--seed',
      'bench',
    ],
    {
      encoding: 'utf8',
    },
  );
  const genSeconds = (performance.now() - t0) / 1000;
  if (gen.status !== 0) throw new Error(`demo-data failed: ${gen.stderr}`);
  rows.push({
    area: 'records',
    name: `generate ${PATIENTS} patients (CLI, incl. start-up)`,
    unit: 's',
    value: round(genSeconds, 2),
    target: 60,
  });

  // Sample real patients to look up (a separate read-only connection, closed before timing).
  const probe = new Database(file, { readonly: true });
  const sample = probe
    .prepare('SELECT nhs, family, given, birth_date FROM patient ORDER BY random() LIMIT ?')
    .all(SAMPLES) as { nhs: string; family: string; given: string; birth_date: string }[];
  // The bench user works at the demo practice: its registered patients give it a legitimate relationship.
  const registered = probe
    .prepare("SELECT nhs FROM patient WHERE gp_code = 'C81007' ORDER BY random() LIMIT 1000")
    .all() as { nhs: string }[];
  probe.close();

  const source = openSqliteRecordSource(file);
  const audit = openAuditTrail({
    file: join(ctx.tmp, 'audit.sqlite'),
    keyFile: join(ctx.tmp, 'ws-key.pem'),
    workstationId: 'WS-BENCH',
    transports: ['atna', 'fhir'],
  });
  const session = benchSession();
  const service = createRecordHandlers({
    source,
    policy: DEFAULT_POLICY,
    session,
    audit,
    clock: { now: () => Date.now() },
    config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS-BENCH' } },
  });
  const h = service.handlers;
  try {
    // Warm up statement caches and the page cache as a working session would.
    for (const p of sample.slice(0, 200))
      await h['patients.search']({ kind: 'nhs-number', nhsNumber: p.nhs });

    const byNhs = await timeEach(sample, async (p) => {
      const r = (await h['patients.search']({ kind: 'nhs-number', nhsNumber: p.nhs })) as {
        results: unknown[];
      };
      if (r.results.length !== 1) throw new Error('search by NHS number missed');
    });
    rows.push(row('search by NHS number (validated, summary)', 'ms', byNhs, 0.5));

    const byName = await timeEach(sample, async (p) => {
      const given = (JSON.parse(p.given) as string[])[0]!.slice(0, 3);
      const r = (await h['patients.search']({
        kind: 'demographics',
        family: p.family,
        given,
        birthDate: p.birth_date,
      })) as { results: unknown[] };
      if (r.results.length < 1) throw new Error('search by name + DOB missed');
    });
    rows.push(row('search by family + given prefix + DOB', 'ms', byName, 2));

    // One encounter per patient: open (not timed: the user picks the patient), PTV given, then the SCR view.
    const views = registered;
    const whole: number[] = [];
    const viewOnly: number[] = [];
    let released = 0;
    for (const p of views) {
      await h['encounter.open']({ nhsNumber: p.nhs });
      const t0 = performance.now();
      await h['ptv.record']({ choice: 'given', nhsNumber: p.nhs });
      const t1 = performance.now();
      try {
        await h['record.scr']({ nhsNumber: p.nhs });
        released++;
      } catch (err) {
        // Opted-out patients (about 6%) have no SCR: that refusal is a legitimate outcome and is timed too.
        if (!(err instanceof Refusal && err.kind === 'refused')) throw err;
      }
      const t2 = performance.now();
      whole.push(t2 - t0);
      viewOnly.push(t2 - t1);
    }
    ctx.log(`${released}/${views.length} SCR views released (the rest opted out)`);
    rows.push(
      row('PTV recorded -> SCR view assembled, filtered, audited durably (real audit log)', 'ms', whole, 3),
    );
    rows.push(row('SCR view alone (read, filter, 1 durable audit write)', 'ms', viewOnly, 3));

    // The same flow with the audit kept in memory: what records itself costs, apart from the durable write.
    const kept: unknown[] = [];
    const inMemory = createRecordHandlers({
      source,
      policy: DEFAULT_POLICY,
      session,
      audit: { record: (e) => (kept.push(e), { seq: kept.length, uuid: String(kept.length) }) },
      clock: { now: () => Date.now() },
      config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS-BENCH' } },
    });
    const mem: number[] = [];
    for (const p of views) {
      await inMemory.handlers['encounter.open']({ nhsNumber: p.nhs });
      const t0 = performance.now();
      await inMemory.handlers['ptv.record']({ choice: 'given', nhsNumber: p.nhs });
      try {
        await inMemory.handlers['record.scr']({ nhsNumber: p.nhs });
      } catch (err) {
        if (!(err instanceof Refusal && err.kind === 'refused')) throw err;
      }
      mem.push(performance.now() - t0);
    }
    inMemory.close();
    rows.push(row('PTV recorded -> SCR view, audit kept in memory (records cost only)', 'ms', mem, 3));

    rows.push({
      area: 'records',
      name: `RSS with ${PATIENTS} patients open`,
      unit: 'MB',
      value: round(process.memoryUsage().rss / 1048576, 1),
    });
  } finally {
    service.close();
    audit.close();
    source.close();
  }
  // The remote services over HTTPS (bench/records-remote.ts).
  rows.push(...(await remoteRows(ctx)));
  return rows;
};
export default run;
