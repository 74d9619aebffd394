/**
 * The private pcscd launcher and the vpcd link, observed with an independent client (opensc-tool): two readers
 * from one vpcd entry, insertion and removal, and a pcscd restart that brings the card back on the same socket.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivatePcscd, type PrivatePcscd } from '../../../native/pcscd/private-pcscd';
import { ensureCa, issueCard } from '../../../src-main/card/issue/index';
import { VirtualPivCard } from '../../../src-main/card/virtual/piv-card';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { connectVpcd, type VpcdLink } from '../../../src-main/card/virtual/vpcd-link';

const PORT = 40061; // two slots: 40061 and 40062

let dir: string;
let pcscd: PrivatePcscd | undefined;
let profile: CardProfile;
const links: VpcdLink[] = [];

function readers(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'opensc-tool',
      ['--list-readers'],
      { env: { ...process.env, PCSCLITE_CSOCK_NAME: pcscd?.socketPath ?? '' } },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new Error('opensc-tool not found (apt-get install opensc)'));
        else resolve(stdout + stderr);
      },
    );
  });
}

/** Card-present flags per reader index, as opensc-tool prints them. */
async function presence(): Promise<boolean[]> {
  const out = await readers();
  return [...out.matchAll(/^\s*(\d+)\s+(Yes|No)\s/gm)].map((m) => m[2] === 'Yes');
}

/** Polls the outside daemon until the presence flags match, with a deadline. */
async function waitPresence(want: boolean[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: boolean[] = [];
  while (Date.now() < deadline) {
    last = await presence();
    if (JSON.stringify(last) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`reader presence ${JSON.stringify(last)}, wanted ${JSON.stringify(want)}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steth-card-pcscd-'));
  const ca = await ensureCa(join(dir, 'ca'));
  profile = await issueCard(ca, {
    displayName: 'Dr Two Readers',
    userId: '555000000222',
    pin: '123456',
    roles: [],
  });
  pcscd = await startPrivatePcscd({ dir: join(dir, 'pcscd'), port: PORT, readers: 2 });
});

afterAll(async () => {
  for (const l of links) await l.close();
  await pcscd?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('private pcscd + vpcd', () => {
  it('exposes two readers on consecutive vpcd ports, socket in DIR', async () => {
    expect(pcscd?.vpcdPorts).toEqual([PORT, PORT + 1]);
    expect(existsSync(pcscd?.socketPath ?? '')).toBe(true);
    expect(pcscd?.readerNames).toEqual(['Stethoscope Virtual PCD 00 00', 'Stethoscope Virtual PCD 00 01']);
    const out = await readers();
    for (const name of pcscd?.readerNames ?? []) expect(out).toContain(name);
    await waitPresence([false, false]);
  });

  it('a card on the second port shows in the second reader; close() removes it', async () => {
    const link = await connectVpcd(new VirtualPivCard(profile), { port: PORT + 1, timeoutMs: 5_000 });
    links.push(link);
    await waitPresence([false, true]);
    await link.close();
    await waitPresence([false, false]);
  });

  it('after a pcscd restart the same socket serves and the card comes back by itself', async () => {
    const link = await connectVpcd(new VirtualPivCard(profile), {
      port: PORT,
      timeoutMs: 5_000,
      retryMs: 50,
    });
    links.push(link);
    await waitPresence([true, false]);
    const socket = pcscd?.socketPath;
    await pcscd?.restart();
    expect(pcscd?.socketPath).toBe(socket);
    await link.whenConnected();
    await waitPresence([true, false]);
    await link.close();
  });
});
