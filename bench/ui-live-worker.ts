/**
 * The live half of the `ui` benchmark, in its own process (bench/ui.ts starts it): libpcsclite reads
 * PCSCLITE_CSOCK_NAME once per process, and the card area may already have pointed it at its own pcscd.
 *
 * The workstation runs in live mode from the live.json `stethoscope sandbox --out DIR` wrote (its record services
 * and audit repository over mutual TLS on loopback, in the sandbox's own process), with the sandbox's GP card in a
 * private pcscd + vpcd reader, and the UI in Chromium through the browser host. It runs the same permission
 * journeys as demo mode (bench/ui.ts `permissionJourneys`) and prints their samples as one JSON line on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivatePcscd } from '../native/pcscd/private-pcscd';
import { readCardProfile } from '../src-main/card/virtual/profile';
import { VirtualPivCard } from '../src-main/card/virtual/piv-card';
import { connectVpcd, type VpcdLink } from '../src-main/card/virtual/vpcd-link';
import { loadConfigFile } from '../src-main/config/load';
import { startBrowserHost } from '../src-main/host/browser-host';
import { buildWorkstation } from '../src-main/services/workstation';
import { permissionJourneys, rendererRoot, type JourneyOptions } from './ui';

export interface LiveWorkerInput {
  configFile: string;
  cardFile: string;
  pin: string;
  vpcdPort: number;
  journey: Omit<JourneyOptions, 'log'>;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as LiveWorkerInput;
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const tmp = mkdtempSync(join(tmpdir(), 'steth-bench-ui-live-'));
  const pcscd = await startPrivatePcscd({ dir: join(tmp, 'pcscd'), port: input.vpcdPort, readers: 1 });
  try {
    process.env['PCSCLITE_CSOCK_NAME'] = pcscd.socketPath;
    const profile = await readCardProfile(input.cardFile);
    const ws = await buildWorkstation(loadConfigFile(input.configFile), { host: 'browser-host' });
    let link: VpcdLink | null = null;
    try {
      const host = await startBrowserHost({
        workstation: ws,
        rendererRoot,
        userDataDir: join(tmp, 'profile'),
      });
      try {
        const samples = await permissionJourneys(
          {
            page: host.page,
            ws,
            pin: input.pin,
            async insert() {
              link = await connectVpcd(new VirtualPivCard(profile), {
                port: pcscd.vpcdPorts[0] as number,
                timeoutMs: 5000,
              });
            },
            async remove() {
              const l = link;
              link = null;
              await l?.close();
            },
          },
          { ...input.journey, log },
        );
        process.stdout.write(`${JSON.stringify(samples)}\n`);
      } finally {
        await host.close();
      }
    } finally {
      await (link as VpcdLink | null)?.close().catch(() => undefined);
      await ws.close();
    }
  } finally {
    await pcscd.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `ui live worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
