/**
 * A running sandbox for integration tests: the real services over HTTPS with mutual TLS on a fixed loopback port,
 * a test TLS PKI, a card CA with cards for a GP, a receptionist, three privacy officers (two of one organisation)
 * and a card from a foreign CA,
 * and a client that sends the NHS headers and a card-signed token for the user asked for.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import { ensureCa, issueCard, type CaBundle } from '../../../src-main/card/issue/index';
import { createTrustStore } from '../../../src-main/card/verify/trust-store';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import type { ServiceName } from '../../../src-main/sandbox/http/service';
import {
  startSandboxServer,
  type RequestReport,
  type SandboxServer,
} from '../../../src-main/sandbox/https-server';
import { createSandbox, type Sandbox } from '../../../src-main/sandbox/sandbox';
import { createTestPki, type TestPki } from '../audit-shipping/pki';
import { createHttpsTransport } from '../../../src-main/net/https-transport';
import { makeToken, type TokenOptions } from './tokens';

const role = (
  userId: string,
  orgCode: string,
  roleCode: string,
  activities: string[],
  orgType: RoleProfile['orgType'] = 'gp-practice',
): RoleProfile => ({
  urid: `${userId}-01`,
  orgCode,
  orgName: `Organisation ${orgCode}`,
  orgType,
  roleCode,
  roleName: `Role ${roleCode}`,
  activities,
});

export const USERS = {
  gp: {
    name: 'Dr Test Gp',
    userId: '555000000301',
    role: role('555000000301', 'C81007', 'R8000', ['B0370', 'B0168', 'B0020']),
  },
  receptionist: {
    name: 'Test Reception',
    userId: '555000000302',
    role: role('555000000302', 'C81007', 'R8010', ['B0020']),
  },
  officer: {
    name: 'Test Officer',
    userId: '555000000303',
    role: role('555000000303', 'C81007', 'R0001', ['B0015', 'B0016', 'B0011']),
  },
  /** A second privacy officer of the same organisation (two reviewers of one alert). */
  deputyOfficer: {
    name: 'Deputy Officer',
    userId: '555000000306',
    role: role('555000000306', 'C81007', 'R0001', ['B0015', 'B0016', 'B0011']),
  },
  otherOfficer: {
    name: 'Other Officer',
    userId: '555000000304',
    role: role('555000000304', 'RX9', 'R0001', ['B0015', 'B0016', 'B0011'], 'ambulance'),
  },
  foreign: {
    name: 'Dr Foreign',
    userId: '555000000305',
    role: role('555000000305', 'C81007', 'R8000', ['B0370']),
  },
} as const;
export type UserKey = keyof typeof USERS;

/** The workstation's HTTPS transport to the sandbox: its client certificate, the sandbox's CA (close it after). */
export function clientTransport(
  t: Pick<TestSandbox, 'pki'>,
  o: { timeoutMs?: number; maxBytes?: number } = {},
) {
  return createHttpsTransport({
    ca: readFileSync(t.pki.caFile),
    cert: readFileSync(t.pki.client.certFile),
    key: readFileSync(t.pki.client.keyFile),
    connectTimeoutMs: 2000,
    timeoutMs: o.timeoutMs ?? 5000,
    maxBytes: o.maxBytes ?? 10 * 1024 * 1024,
  });
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: () => unknown;
  ms: number;
  /** The request went over a connection kept alive from an earlier one. */
  reused: boolean;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  user?: UserKey | null;
  body?: unknown;
  headers?: Record<string, string>;
  token?: string;
  /** Drop these NHS headers. */
  without?: string[];
}

export interface TestSandbox {
  sandbox: Sandbox;
  server: SandboxServer;
  pki: TestPki;
  ca: CaBundle;
  foreignCa: CaBundle;
  cards: Record<UserKey, CardProfile>;
  requests: RequestReport[];
  agent: https.Agent;
  token(user: UserKey, service: ServiceName, o?: Partial<TokenOptions>): Promise<string>;
  call(service: ServiceName, path: string, o?: CallOptions): Promise<Reply>;
  raw(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
    agent?: https.Agent,
  ): Promise<Reply>;
  close(): Promise<void>;
}

export function request(
  agent: https.Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const payload = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    const req = https.request(
      url,
      {
        method: init.method ?? 'GET',
        agent,
        headers: { ...init.headers, ...(payload ? { 'content-length': payload.length } : {}) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('error', reject);
        res.on('end', () => {
          if (!res.complete) {
            reject(new Error('the reply was cut short'));
            return;
          }
          const text = Buffer.concat(parts).toString('utf8');
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          resolve({
            status: res.statusCode ?? 0,
            headers,
            text,
            json: () => JSON.parse(text) as unknown,
            ms: performance.now() - started,
            reused: req.reusedSocket,
          });
        });
        res.on('aborted', () => reject(new Error('the reply was aborted')));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function startTestSandbox(
  port: number,
  population: { patients: number; seed: string } | false = { patients: 200, seed: 'demo' },
): Promise<TestSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'steth-sandbox-'));
  const pki = await createTestPki(join(dir, 'pki'));
  // Not demo mode's CA name ("Stethoscope Demo"), which a live workstation refuses to trust.
  const ca = await ensureCa(join(dir, 'card-ca'), { organisation: 'Test Clinician Cards' });
  const foreignCa = await ensureCa(join(dir, 'foreign-ca'));
  const cards = {} as Record<UserKey, CardProfile>;
  for (const [key, u] of Object.entries(USERS) as [UserKey, (typeof USERS)[UserKey]][]) {
    cards[key] = await issueCard(key === 'foreign' ? foreignCa : ca, {
      displayName: u.name,
      userId: u.userId,
      pin: '123456',
      roles: [u.role],
    });
  }
  const sandbox = await createSandbox({
    origin: `https://127.0.0.1:${port}`,
    population,
    cardTrust: createTrustStore({ anchorsPem: ca.trustPems }),
  });
  const requests: RequestReport[] = [];
  const server = await startSandboxServer(sandbox, {
    port,
    key: readFileSync(pki.server.keyFile),
    cert: readFileSync(pki.server.certFile),
    clientCa: readFileSync(pki.caFile),
    onRequest: (r) => requests.push(r),
  });
  const agent = new https.Agent({
    keepAlive: true,
    ca: readFileSync(pki.caFile),
    cert: readFileSync(pki.client.certFile),
    key: readFileSync(pki.client.keyFile),
  });
  const tokenCache = new Map<string, string>();
  const token = async (user: UserKey, service: ServiceName, o: Partial<TokenOptions> = {}) => {
    const plain = Object.keys(o).length === 0;
    const key = `${user} ${service}`;
    if (plain && tokenCache.has(key)) return tokenCache.get(key) as string;
    const t = await makeToken(cards[user], user === 'foreign' ? foreignCa : ca, {
      audience: sandbox.baseUrls[service],
      role: USERS[user].role,
      ...o,
    });
    if (plain) tokenCache.set(key, t);
    return t;
  };
  return {
    sandbox,
    server,
    pki,
    ca,
    foreignCa,
    cards,
    requests,
    agent,
    token,
    raw: (url, init, a = agent) => request(a, url, init),
    async call(service, path, o = {}) {
      const user = o.user === undefined ? 'gp' : o.user;
      const headers: Record<string, string> = {
        'x-request-id': randomUUID(),
        'x-correlation-id': randomUUID(),
        ...(user ? { 'nhsd-session-urid': USERS[user].role.urid } : {}),
        ...(user || o.token
          ? { authorization: `Bearer ${o.token ?? (await token(user as UserKey, service))}` }
          : {}),
        ...(o.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
        ...o.headers,
      };
      for (const h of o.without ?? []) delete headers[h];
      return request(agent, `${sandbox.baseUrls[service]}${path}`, {
        method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      });
    },
    async close() {
      agent.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
