/**
 * Attack: a live-looking configuration file without "mode" ran as demo mode, minted a demo CA in the data folder,
 * and a card issued from that CA signed in over real pcscd as a GP. Demo mode now exists only without a config
 * file or when the file says so, and live mode refuses demo material, the embedded card and a missing trust anchor
 * or workstation id. Real parts: a private pcscd with vpcd, the whole workstation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../../src-main/config/load';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { ensureCa, issueCard, loadCa } from '../../../src-main/card/issue/index';
import type { SessionView } from '../../../src-shared/domain/session';
import { GP_ROLE, startCardStack, type CardStack } from '../card/support/stack';
import { eventLog } from '../card/support/events';

let stack: CardStack;
let liveRootPem: string;

beforeAll(async () => {
  stack = await startCardStack('secure-config', 40081, 1);
  // The organisation's real clinician-card root (here: a test CA that is not a demo CA).
  const real = await ensureCa(join(stack.tmp, 'real-ca'), { organisation: 'Test Clinician Cards' });
  liveRootPem = join(real.dir, 'trust.pem');
});
afterAll(async () => {
  await stack?.stop();
});

/** records.services for a live file (nothing is called at start: the addresses need not answer). */
const services = () => {
  const one = (path: string) => ({ baseUrl: `https://127.0.0.1:9${path}`, caFile: liveRootPem });
  return {
    services: {
      demographics: one('/personal-demographics/FHIR/R4'),
      scr: one('/summary-care-record/FHIR/R4'),
      sharedCare: one('/shared-care/FHIR/R4'),
    },
  };
};

function configFile(dir: string, value: unknown): string {
  const f = join(dir, 'stethoscope.json');
  writeFileSync(f, JSON.stringify(value));
  return f;
}

/** Builds the workstation from the file, as the app does; null with the reason when it refuses to start. */
async function start(file: string): Promise<{ ws: Workstation | null; refused: string | null }> {
  try {
    const ws = await buildWorkstation(loadConfigFile(file), {
      host: 'browser-host',
      logger: createMemoryLogger(),
    });
    return { ws, refused: null };
  } catch (err) {
    return { ws: null, refused: (err as Error).message };
  }
}

describe('a config file decides nothing by default', () => {
  it('a file without "mode" is refused; no card from a locally minted CA signs in over pcscd', async () => {
    const dataDir = mkdtempSync(join(stack.tmp, 'attack-'));
    const file = configFile(dataDir, { dataDir, card: { transport: 'pcsc', trustAnchors: [liveRootPem] } });
    const { ws, refused } = await start(file);
    let signedIn: SessionView | null = null;
    if (ws) {
      // The attack, as it was run: issue a GP card from the CA the workstation minted in its data folder.
      try {
        const views = eventLog<SessionView>((v) => v.state);
        ws.events.on('sessionChanged', (v) => views.push(v));
        const minted = await loadCa(join(dataDir, 'ca'));
        const card = await issueCard(minted, {
          displayName: 'Dr Mallory Forge',
          userId: '555000000666',
          pin: '424242',
          roles: [{ ...GP_ROLE, urid: '555000000666-01' }],
        });
        await stack.insert(card);
        await views.next((v) => v.state === 'pin-required' || v.state === 'card-refused', 15_000);
        const r = await ws.dispatcher.dispatch('session.submitPin', { pin: '424242' });
        if (r.ok && (r.value as SessionView).state === 'signed-in') signedIn = r.value as SessionView;
      } finally {
        await stack.remove();
        await ws.close();
      }
    }
    expect(signedIn).toBeNull();
    expect(refused).toMatch(/must state "mode"/);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('live mode refuses to start beside demo material in its data folder', async () => {
    const dataDir = mkdtempSync(join(stack.tmp, 'live-beside-demo-'));
    // A data folder a demo run once used: its demo CA is still there.
    await ensureCa(join(dataDir, 'ca'));
    const file = configFile(dataDir, {
      mode: 'live',
      dataDir,
      workstation: { id: 'WS-C81007-04' },
      card: { transport: 'pcsc', trustAnchors: [liveRootPem] },
      records: services(),
    });
    const { ws, refused } = await start(file);
    await ws?.close();
    expect(ws).toBeNull();
    expect(refused).toMatch(/holds demo material/);
    expect(refused).toContain(join(dataDir, 'ca'));
  });

  it('live mode never trusts a demo CA, wherever its certificate is kept', async () => {
    const dataDir = mkdtempSync(join(stack.tmp, 'live-demo-anchor-'));
    const elsewhere = mkdtempSync(join(stack.tmp, 'copied-demo-ca-'));
    const demoCa = await ensureCa(join(elsewhere, 'ca'));
    const file = configFile(dataDir, {
      mode: 'live',
      dataDir,
      workstation: { id: 'WS-C81007-04' },
      card: { transport: 'pcsc', trustAnchors: [join(demoCa.dir, 'trust.pem')] },
      records: services(),
    });
    const { ws, refused } = await start(file);
    await ws?.close();
    expect(ws).toBeNull();
    expect(refused).toMatch(/demo certificate authority, which live mode never trusts/);
  });

  it('live mode refuses the embedded card, a missing trust anchor, a missing workstation id and missing or plain-HTTP record services, with the field', async () => {
    const dataDir = mkdtempSync(join(stack.tmp, 'live-fields-'));
    const cases: [unknown, RegExp][] = [
      [
        {
          mode: 'live',
          dataDir,
          workstation: { id: 'WS-1' },
          card: { transport: 'embedded', trustAnchors: [liveRootPem] },
        },
        /transport must be "pcsc"[\s\S]*card\.transport/,
      ],
      [
        { mode: 'live', dataDir, workstation: { id: 'WS-1' }, card: { transport: 'pcsc' } },
        /at least one trust anchor[\s\S]*card\.trustAnchors/,
      ],
      [
        { mode: 'live', dataDir, workstation: { id: 'WS-1' }, card: { transport: 'pcsc', trustAnchors: [] } },
        /at least one trust anchor[\s\S]*card\.trustAnchors/,
      ],
      [
        {
          mode: 'live',
          dataDir,
          card: { transport: 'pcsc', trustAnchors: [liveRootPem] },
          records: services(),
        },
        /workstation's own id[\s\S]*workstation/,
      ],
      [
        {
          mode: 'live',
          dataDir,
          workstation: { id: 'WS-1' },
          card: { transport: 'pcsc', trustAnchors: [liveRootPem] },
        },
        /live mode needs records\.services[\s\S]*→ at records/,
      ],
      [
        {
          mode: 'live',
          dataDir,
          workstation: { id: 'WS-1' },
          card: { transport: 'pcsc', trustAnchors: [liveRootPem] },
          records: {
            services: {
              ...services().services,
              scr: { baseUrl: 'http://127.0.0.1:9/scr', caFile: liveRootPem },
            },
          },
        },
        /over HTTPS[\s\S]*records\.services\.scr\.baseUrl/,
      ],
    ];
    for (const [value, reason] of cases) {
      const { ws, refused } = await start(configFile(dataDir, value));
      await ws?.close();
      expect(ws).toBeNull();
      expect(refused).toMatch(reason);
    }
  });

  it('a private key readable by others stops the workstation, as ssh refuses such keys', async () => {
    const dataDir = mkdtempSync(join(stack.tmp, 'live-key-'));
    const keyDir = mkdtempSync(join(stack.tmp, 'keys-'));
    const keyFile = join(keyDir, 'workstation-key.pem');
    writeFileSync(keyFile, 'not read: the mode is checked first', { mode: 0o644 });
    const file = configFile(dataDir, {
      mode: 'live',
      dataDir,
      workstation: { id: 'WS-1', keyFile },
      card: { transport: 'pcsc', trustAnchors: [liveRootPem] },
      records: services(),
    });
    const { ws, refused } = await start(file);
    await ws?.close();
    expect(ws).toBeNull();
    expect(refused).toMatch(/permissions 0644, so others can read it[\s\S]*workstation\.keyFile/);
  });

  it('a live workstation that starts keeps its data folder 0700 and its databases 0600', async () => {
    const parent = mkdtempSync(join(stack.tmp, 'live-ok-'));
    const dataDir = join(parent, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    const file = configFile(parent, {
      mode: 'live',
      dataDir,
      workstation: { id: 'WS-C81007-04' },
      card: { transport: 'pcsc', trustAnchors: [liveRootPem] },
      records: services(),
    });
    const { ws, refused } = await start(file);
    expect(refused).toBeNull();
    await ws?.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'audit.sqlite')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'workstation-key.pem')).mode & 0o777).toBe(0o600);
  });
});
