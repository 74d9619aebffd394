/**
 * `stethoscope sandbox --out DIR` as a user runs it: the real command in a child process starts, writes the PKI,
 * the card CA, the demo cards and a live configuration that parses, answers over mutual TLS with the files that
 * configuration names and a token signed by one of its cards, refuses a client without a certificate, and stops
 * cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO_CARDS } from '../../../src-main/card/demo/catalogue';
import { loadCa } from '../../../src-main/card/issue/ca';
import { readCardProfile } from '../../../src-main/card/virtual/profile';
import { parseConfig } from '../../../src-main/config/load';
import { startupProblems } from '../../../src-main/config/startup-checks';
import { request } from '../../support/sandbox/harness';
import { makeToken } from '../../support/sandbox/tokens';

const PORT = 46607;
const BIN = fileURLToPath(new URL('../../../bin/stethoscope.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'steth-sandbox-cli-'));
let child: ChildProcess | null = null;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    c.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** records.services as the workstation will read it (the shape the lead's config schema takes). */
const Service = z.strictObject({
  baseUrl: z.url(),
  caFile: z.string().min(1),
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
});
const LiveShape = z.object({
  mode: z.literal('live'),
  records: z.object({
    services: z.strictObject({ demographics: Service, scr: Service, sharedCare: Service }),
  }),
  audit: z.object({ fhir: Service }),
  card: z.object({ transport: z.literal('pcsc'), trustAnchors: z.array(z.string()).min(1) }),
});

function lines(c: ChildProcess): {
  next: (pred: (l: Record<string, unknown>) => boolean, ms: number) => Promise<Record<string, unknown>>;
} {
  let buffer = '';
  const seen: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  c.stdout?.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line.trim()) seen.push(JSON.parse(line) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    }
  });
  return {
    next: (pred, ms) =>
      new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`no such line within ${ms} ms: ${JSON.stringify(seen)}`)),
          ms,
        );
        const check = () => {
          const found = seen.find(pred);
          if (found) {
            clearTimeout(timer);
            res(found);
          } else waiters.push(check);
        };
        check();
      }),
  };
}

describe('stethoscope sandbox', () => {
  it('starts, writes a live config that parses, answers over mutual TLS, and stops cleanly on SIGTERM', async () => {
    const stderr: string[] = [];
    child = spawn(
      process.execPath,
      [BIN, 'sandbox', '--out', dir, '--port', String(PORT), '--patients', '20'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const out = lines(child);
    const ready = await out
      .next((l) => l['event'] === 'ready', 90_000)
      .catch((e: Error) => {
        throw new Error(`${e.message}\nstderr: ${stderr.join('')}`);
      });
    expect(ready).toMatchObject({
      origin: `https://127.0.0.1:${PORT}`,
      services: { demographics: `https://127.0.0.1:${PORT}/personal-demographics/FHIR/R4` },
      config: join(dir, 'live.json'),
      patients: 20,
    });
    for (const f of [
      'pki/ca.pem',
      'pki/client.pem',
      'pki/client.key.pem',
      'card-ca/trust.pem',
      ...DEMO_CARDS.map((c) => `cards/${c.id}.json`),
    ])
      expect(existsSync(join(dir, f)), f).toBe(true);

    const json = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as { records: object };
    const live = LiveShape.parse(json);
    const config = parseConfig(json, 'live.json');
    expect(config).toMatchObject({
      mode: 'live',
      workstation: { id: 'WS-SANDBOX-01' },
      card: { transport: 'pcsc' },
    });
    expect(config.audit.fhir?.baseUrl).toBe(`https://127.0.0.1:${PORT}/audit/FHIR/R4`);
    // Live mode would start on it: no demo CA among the trust anchors, no demo material, keys owner-only.
    expect(startupProblems(config)).toEqual([]);

    const pds = live.records.services.demographics;
    const agent = new https.Agent({
      ca: readFileSync(pds.caFile),
      cert: readFileSync(pds.certFile as string),
      key: readFileSync(pds.keyFile as string),
    });
    const spec = DEMO_CARDS.find((c) => c.id === 'gp');
    const role = spec?.roles[0];
    if (!spec || !role) throw new Error('no gp demo card');
    const token = await makeToken(
      await readCardProfile(join(dir, 'cards', 'gp.json')),
      await loadCa(join(dir, 'card-ca')),
      {
        audience: pds.baseUrl,
        role,
      },
    );
    const headers = {
      authorization: `Bearer ${token}`,
      'nhsd-session-urid': role.urid,
      'x-request-id': randomUUID(),
      'x-correlation-id': randomUUID(),
    };
    const r = await request(agent, `${pds.baseUrl}/Patient/9990000018`, { headers });
    expect(r.status).toBe(200);
    expect((r.json() as Patient).name?.[0]?.family).toBe('Brackley');
    agent.destroy();
    const anonymous = new https.Agent({ ca: readFileSync(pds.caFile) });
    await expect(request(anonymous, `${pds.baseUrl}/Patient/9990000018`, { headers })).rejects.toThrow(
      /certificate|alert|socket hang up|ECONNRESET/i,
    );
    anonymous.destroy();

    // stethoscope services check on the written config: every service answers, TLS verified both ways.
    const check = await runCli(['services', 'check', '--config', join(dir, 'live.json')]);
    expect(check.code, check.stderr).toBe(0);
    const rows = check.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r['service'])).toEqual(['demographics', 'scr', 'sharedCare', 'audit']);
    for (const r of rows) {
      expect(r).toMatchObject({
        reachable: true,
        tlsVerified: true,
        status: 200,
        fhirVersion: '4.0.1',
        error: null,
      });
      expect(typeof r['roundTripMs']).toBe('number');
    }
    // Without the workstation's client certificate the services refuse the channel; a dead port does not answer.
    const broken = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8')) as {
      records: { services: Record<string, Record<string, unknown>> };
    };
    delete broken.records.services['scr']!['certFile'];
    delete broken.records.services['scr']!['keyFile'];
    broken.records.services['sharedCare']!['baseUrl'] = 'https://127.0.0.1:9/shared-care/FHIR/R4';
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const bad = await runCli(['services', 'check', '--config', join(dir, 'broken.json')]);
    expect(bad.code).toBe(1);
    const byName = Object.fromEntries(
      bad.stdout
        .trim()
        .split('\n')
        .map((l) => {
          const r = JSON.parse(l) as Record<string, unknown>;
          return [r['service'] as string, r];
        }),
    );
    expect(byName['demographics']).toMatchObject({ reachable: true });
    expect(byName['scr']).toMatchObject({ reachable: false, tlsVerified: false });
    expect(byName['sharedCare']).toMatchObject({
      reachable: false,
      error: 'the connection was refused or dropped',
    });

    const exited = new Promise<number | null>((res) => child?.once('exit', (code) => res(code)));
    child.kill('SIGTERM');
    expect(await out.next((l) => l['event'] === 'stopped', 30_000)).toEqual({
      event: 'stopped',
      signal: 'SIGTERM',
    });
    expect(await exited).toBe(0);
  });
});
