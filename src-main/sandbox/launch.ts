/**
 * Everything `stethoscope sandbox --out DIR` sets up, in DIR:
 *   pki/          the TLS CA, the services' server certificate and the workstation's client certificate
 *   card-ca/      a card CA (root, card CA, role authority; trust.pem is what the workstation trusts), named
 *                 "Stethoscope Sandbox": live mode never trusts demo mode's "Stethoscope Demo" CA
 *   card-ca-untrusted/  a second card CA, for the card the workstation must refuse
 *   cards/<id>.json     the demo clinicians' card profiles (src-main/card/demo/catalogue.ts), issued afresh at
 *                       each start: `stethoscope card emulate --profile DIR/cards/gp.json`
 *   live.json     a workstation configuration for live mode against these services
 *   pseudonym.key the pseudonymisation key live.json names for amber extracts (0600)
 *   workstation/  the data folder live.json names (the workstation's audit log and key)
 * then loads the population and serves the four services over mutual TLS until closed.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_CARDS } from '../card/demo/catalogue';
import { ensureCa, issueCard } from '../card/issue/index';
import { createTrustStore } from '../card/verify/trust-store';
import { writeCardProfile } from '../card/virtual/profile';
import type { PopulationOptions } from '../records/demo-data/population';
import type { ServiceName } from './http/service';
import { startSandboxServer, type RequestReport } from './https-server';
import { ensureSandboxPki } from './pki';
import { createSandbox, type Sandbox } from './sandbox';

/** The organisation the sandbox's card CA names (live mode refuses demo mode's). */
export const SANDBOX_CA_ORGANISATION = 'Stethoscope Sandbox';

export interface LaunchOptions {
  out: string;
  host: string;
  port: number;
  population: PopulationOptions;
  workstationId: string;
  onRequest?: (r: RequestReport) => void;
  onError?: (e: unknown, where: { service: ServiceName; method: string; path: string }) => void;
}

export interface LaunchedSandbox {
  sandbox: Sandbox;
  origin: string;
  configFile: string;
  cards: { id: string; label: string; file: string; untrusted: boolean }[];
  close(): Promise<void>;
}

/** The shape written to live.json (records.services per service: baseUrl, caFile, certFile, keyFile). */
export function liveConfig(o: {
  dataDir: string;
  workstationId: string;
  trustAnchor: string;
  baseUrls: Readonly<Record<ServiceName, string>>;
  tls: { caFile: string; certFile: string; keyFile: string };
  /** The organisation's pseudonymisation key for amber extracts. */
  pseudonymKeyFile: string;
}) {
  const service = (s: ServiceName) => ({ baseUrl: o.baseUrls[s], ...o.tls });
  return {
    mode: 'live',
    dataDir: o.dataDir,
    workstation: { id: o.workstationId },
    card: { transport: 'pcsc', trustAnchors: [o.trustAnchor] },
    records: {
      services: {
        demographics: service('demographics'),
        scr: service('scr'),
        sharedCare: service('sharedCare'),
      },
    },
    audit: { fhir: service('audit') },
    // The privacy officer reviews alerts in the same repository the workstation delivers to.
    review: { repository: service('audit'), pseudonymKeyFile: o.pseudonymKeyFile },
  };
}

export async function launchSandbox(o: LaunchOptions): Promise<LaunchedSandbox> {
  const pki = await ensureSandboxPki(join(o.out, 'pki'), o.workstationId);
  // Not named like demo mode's CA ("Stethoscope Demo"), which live mode refuses to trust.
  const cardCa = await ensureCa(join(o.out, 'card-ca'), { organisation: SANDBOX_CA_ORGANISATION });
  let untrusted: Awaited<ReturnType<typeof ensureCa>> | null = null;
  const cards: LaunchedSandbox['cards'] = [];
  for (const spec of DEMO_CARDS) {
    const issuer = spec.untrusted
      ? (untrusted ??= await ensureCa(join(o.out, 'card-ca-untrusted'), {
          organisation: 'Stethoscope Elsewhere',
        }))
      : cardCa;
    const profile = await issueCard(issuer, {
      displayName: spec.displayName,
      userId: spec.userId,
      pin: spec.pin,
      roles: spec.roles,
      validDays: 365,
      rolesValidDays: 28,
    });
    const file = join(o.out, 'cards', `${spec.id}.json`);
    await writeCardProfile(file, profile);
    cards.push({ id: spec.id, label: spec.label, file, untrusted: spec.untrusted === true });
  }

  const origin = `https://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`;
  const sandbox = await createSandbox({
    origin,
    population: o.population,
    cardTrust: createTrustStore({ anchorsPem: cardCa.trustPems }),
    ...(o.onError ? { onError: o.onError } : {}),
  });
  const server = await startSandboxServer(sandbox, {
    host: o.host,
    port: o.port,
    key: await readFile(pki.server.keyFile),
    cert: await readFile(pki.server.certFile),
    clientCa: await readFile(pki.caFile),
    ...(o.onRequest ? { onRequest: o.onRequest } : {}),
  });

  const configFile = join(o.out, 'live.json');
  const pseudonymKeyFile = join(o.out, 'pseudonym.key');
  if (!existsSync(pseudonymKeyFile))
    await writeFile(pseudonymKeyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const config = liveConfig({
    pseudonymKeyFile,
    dataDir: join(o.out, 'workstation'),
    workstationId: o.workstationId,
    trustAnchor: join(cardCa.dir, 'trust.pem'),
    baseUrls: sandbox.baseUrls,
    tls: { caFile: pki.caFile, certFile: pki.client.certFile, keyFile: pki.client.keyFile },
  });
  await writeFile(configFile, JSON.stringify(config, null, 2) + '\n');
  return { sandbox, origin, configFile, cards, close: () => server.close() };
}
