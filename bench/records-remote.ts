/**
 * Remote record benchmarks against the test services over HTTPS (mutual TLS, kept-alive connections), each row
 * our share (the client's whole time minus the services' own time for the same requests, from Server-Timing as
 * the server reports it) beside the server's own time in the same run:
 * - PDS read by NHS number (target: our share p95 ≤ 2 ms);
 * - permission given -> SCR view: DocumentReference and Bundle (two round trips), the bundle read into the typed
 *   view, filtered, and a durable audit event (SQLite, synchronous=FULL) (target ≤ 10 ms), for a patient with a
 *   long GP summary added to the sandbox here (`longScrPatient`: a searchset of about 50 KB, its sections' narrative
 *   and the coded resources);
 * - the shared care record for one patient: the patient, then eight searches in parallel: the seven types of the
 *   spec (section 6) and Procedure, which the shared care record also holds (target ≤ 10 ms);
 * - parsing alone of a 1 MB SCR bundle (target ≤ 20 ms).
 * User tokens are signed once per service before timing (the workstation caches them per audience). The services
 * run in this process, one request at a time on its event loop: the Server-Timing intervals of parallel requests
 * do not overlap (their union equals their sum), so adding them up counts no server time twice; the server's HTTPS
 * work outside Server-Timing (TLS, reading and writing the request) stays in our share.
 */
import { join } from 'node:path';
import { openAuditTrail } from '../src-main/audit/log/trail';
import { createPdsClient } from '../src-main/records/remote/pds-client';
import { createServiceClient } from '../src-main/records/remote/service-client';
import { remoteSourceOver } from '../src-main/records/remote/live-source';
import { sharedPatientId } from '../src-main/sandbox/population/shared-care';
import { scrIdentifier } from '../src-main/sandbox/population/scr';
import { NHS_NUMBER_SYSTEM } from '../src-main/domain/fhir-resources';
import { scrDocumentFromBundle } from '../src-main/records/scr/read-bundle';
import { scrDocumentView } from '../src-main/records/view/render';
import type { SourceContext } from '../src-main/records/source/types';
import type { ServiceName } from '../src-main/sandbox/http/service';
import { clientTransport, startTestSandbox, USERS } from '../test/support/sandbox/harness';
import { NHS, scrBundle, scrTable, xhtml } from '../test/support/records/scr-fixtures';
import { itemBuilder } from '../src-main/records/demo-data/builders';
import { DEFAULT_DEMO_ORGANISATIONS } from '../src-main/records/demo-data/orgs';
import type { GeneratedPatient } from '../src-main/records/demo-data/population-types';
import { nhsCheckDigit } from '../src-shared/domain/nhs-number';
import { percentile, round, type BenchContext, type BenchRow } from './types';

const PORT = 46690;
const RUNS = 300;
const WARM = 30;

function ctx(): SourceContext {
  const u = USERS.gp;
  return {
    signal: new AbortController().signal,
    user: { sessionId: 'bench', holder: { displayName: u.name, userId: u.userId }, role: u.role },
    correlationId: '5f0c2a8e-1d3b-4c7a-9e2f-0a1b2c3d4e5f',
  };
}

/** A searchset of about `bytes` of SCR narrative (one big medication table). */
function bigBundle(bytes: number): string {
  const row = [
    '12-May-2020',
    'Synthetic medication 10mg tablets',
    'One to be taken each day',
    '28 tablet',
    '01-Nov-2026',
  ];
  const rows: string[][] = [];
  let size = 0;
  while (size < bytes) {
    rows.push(row);
    size += 160;
  }
  const b = scrBundle({
    sections: [
      {
        code: 'RepeatMedsHeader',
        title: 'Repeat Medications',
        div: scrTable('repeat', ['Start', 'Medication', 'Dosage', 'Quantity', 'Last issued'], rows),
      },
      {
        code: 'AllergiesHeader',
        title: 'Allergies and Adverse Reactions',
        div: xhtml('<p>No known allergies.</p>'),
      },
    ],
  });
  return JSON.stringify(b);
}

/** The first valid NHS number from 999 000 900 on: in the 999 test range, clear of the fixed and random patients. */
function benchNhsNumber(): string {
  for (let k = 900; k < 1000; k++) {
    const nine = `999000${k}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
  throw new Error('no NHS number left');
}

/**
 * An invented patient with a long GP summary (many repeat and past medications, problems, procedures,
 * immunisations, allergies), so the SCR bundle the service answers is just over 50 KB (KiB), mostly section narrative.
 */
function longScrPatient(nhs: string): GeneratedPatient {
  const b = itemBuilder(nhs);
  const day = (i: number) => new Date(Date.UTC(2004, 0, 1) + i * 41 * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < 64; i++)
    b.medication(
      `Synthetic medication ${i + 1} ${5 * (1 + (i % 8))}mg tablets`,
      i % 3 === 0 ? 'One tablet twice a day with food' : 'One tablet once a day',
      day(i),
      i % 4 === 0 ? 'completed' : 'active',
    );
  for (let i = 0; i < 12; i++)
    b.allergy(
      `Synthetic allergen ${i + 1}`,
      'Urticaria and swelling of the lips',
      'medication',
      'high',
      day(i),
    );
  for (let i = 0; i < 64; i++) b.problem(`Synthetic long-term condition ${i + 1}`, day(i), i % 5 === 0);
  for (let i = 0; i < 30; i++) b.procedure(`Synthetic procedure ${i + 1}`, day(i + 10));
  for (let i = 0; i < 30; i++) b.immunisation(`Synthetic vaccination ${i + 1}`, day(i + 20));
  return {
    nhs,
    family: 'Quillfeather',
    given: ['Rosalind'],
    prefix: 'Mrs',
    birthDate: '1948-09-17',
    gender: 'female',
    addressLine: '9 Tannery Walk, Ashby Moor',
    postcode: 'AM1 7RB',
    gpCode: DEFAULT_DEMO_ORGANISATIONS.practice.code,
    items: b.items,
    relations: b.relations,
    preferences: { scr: 'core-and-additional', sensitive: 'excluded', mig: 'share' },
  };
}

export async function remoteRows(bench: BenchContext): Promise<BenchRow[]> {
  const t = await startTestSandbox(PORT);
  const rows: BenchRow[] = [];
  const transports: ReturnType<typeof clientTransport>[] = [];
  try {
    const tokens = new Map<string, string>();
    for (const s of ['demographics', 'scr', 'sharedCare'] as ServiceName[])
      tokens.set(t.sandbox.baseUrls[s], await t.token('gp', s, { lifetime: 600 }));
    const transport = () => {
      const tr = clientTransport(t, { timeoutMs: 10_000 });
      transports.push(tr);
      return tr.send;
    };
    const source = remoteSourceOver(
      Object.fromEntries(
        (['demographics', 'scr', 'sharedCare'] as const).map((s) => [
          s,
          { baseUrl: t.sandbox.baseUrls[s], timeoutMs: 10_000, transport: transport() },
        ]),
      ) as Parameters<typeof remoteSourceOver>[0],
      { token: async (audience) => tokens.get(audience)! },
    );
    const audit = openAuditTrail({
      file: join(bench.tmp, 'remote-audit.sqlite'),
      workstationId: 'WS-BENCH',
      keyFile: join(bench.tmp, 'remote-key.pem'),
      transports: [],
    });

    /** Runs fn RUNS times after warming up; our share and the server's own time per run. */
    const measure = async (fn: () => Promise<unknown>) => {
      const ours: number[] = [];
      const server: number[] = [];
      for (let i = 0; i < WARM + RUNS; i++) {
        const from = t.requests.length;
        const t0 = performance.now();
        await fn();
        const total = performance.now() - t0;
        const app = t.requests.slice(from).reduce((n, r) => n + r.appMs, 0);
        if (i >= WARM) {
          ours.push(Math.max(0, total - app));
          server.push(app);
        }
      }
      return { ours, server };
    };
    const remoteRow = (name: string, m: { ours: number[]; server: number[] }, target: number): BenchRow => ({
      area: 'records',
      name,
      unit: 'ms',
      p50: round(percentile(m.ours, 50)),
      p95: round(percentile(m.ours, 95)),
      target,
      peer: round(percentile(m.server, 95)),
      ratio: round(percentile(m.ours, 95) / Math.max(percentile(m.server, 95), 0.001), 2),
    });

    // PDS read alone (the client's PDS call, not getPatient, which also asks the shared care record).
    const pds = createPdsClient(
      createServiceClient({
        service: 'demographics',
        baseUrl: t.sandbox.baseUrls.demographics,
        timeoutMs: 10_000,
        transport: transport(),
        tokens: { token: async (audience) => tokens.get(audience)! },
      }),
    );
    rows.push(
      remoteRow(
        'PDS read by NHS number over HTTPS, kept alive: our share (peer = server p95)',
        await measure(() => pds.read('9990000018', ctx())),
        2,
      ),
    );

    const prefs = { scr: 'core-and-additional', sensitive: 'excluded', mig: 'share' } as const;
    const longScr = benchNhsNumber();
    await t.sandbox.addPatient(longScrPatient(longScr));
    const patient = (await source.getPatient(longScr, ctx()))!;
    // The bundle's size as the service sends it (the second round trip's body).
    const bundleReply = await t.call(
      'scr',
      `/Bundle?composition.identifier=${encodeURIComponent(scrIdentifier(longScr))}&composition.subject:Patient.identifier=${encodeURIComponent(`${NHS_NUMBER_SYSTEM}|${longScr}`)}`,
    );
    if (bundleReply.status !== 200) throw new Error(`SCR bundle: ${bundleReply.status}`);
    const bundleKb = Math.round(Buffer.byteLength(bundleReply.text) / 1024);
    const scr = await measure(async () => {
      const doc = await source.getScr(longScr, ctx());
      const view = scrDocumentView(
        doc,
        patient,
        { basis: 'permission', expiresAt: '2026-12-02T00:00:00Z' },
        prefs,
        true,
      );
      audit.record({
        kind: 'record-read',
        actor: { userId: USERS.gp.userId, orgCode: 'C81007', workstationId: 'WS-BENCH' },
        patient: { nhsNumber: longScr },
        record: 'scr-additional',
        sections: view.sections.map((s) => s.key),
        purpose: 'TREAT',
      });
    });
    rows.push(
      remoteRow(
        `permission -> SCR view (2 round trips, parse of a ${bundleKb} KB narrative bundle, filter, durable audit): our share`,
        scr,
        10,
      ),
    );

    // A patient with a long record: 500 more Observations in the shared care record.
    const longRecord = '9990000018';
    const repo = t.sandbox.stores.sharedCare.repo;
    for (let i = 0; i < 500; i++) {
      await repo.createResource({
        resourceType: 'Observation',
        status: 'final',
        code: {
          coding: [{ system: 'http://snomed.info/sct', code: '271649006' }],
          text: `Blood pressure ${i + 1}`,
        },
        subject: {
          reference: `Patient/${sharedPatientId(longRecord)}`,
          identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: longRecord },
        },
        effectiveDateTime: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString(),
        valueString: `${110 + (i % 40)}/${70 + (i % 20)} mmHg`,
      } as never);
    }
    const shared = await measure(() => source.getItems(longRecord, ctx()));
    const items = (await source.getItems(longRecord, ctx())).length;
    rows.push(
      remoteRow(
        `shared care record (patient, then the spec's 7 searches + Procedure in parallel, ${items} resources): our share`,
        shared,
        10,
      ),
    );

    const big = bigBundle(1024 * 1024);
    const parse: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      scrDocumentFromBundle(JSON.parse(big), { nhsNumber: NHS.ffion });
      if (i >= 5) parse.push(performance.now() - t0);
    }
    rows.push({
      area: 'records',
      name: `parse alone: SCR bundle of ${round(big.length / 1048576, 2)} MB (JSON and narrative)`,
      unit: 'ms',
      p50: round(percentile(parse, 50)),
      p95: round(percentile(parse, 95)),
      target: 20,
    });
    audit.close();
    source.close();
  } finally {
    for (const tr of transports) tr.close();
    await t.close();
  }
  bench.log(`remote rows: ${rows.length}`);
  return rows;
}
