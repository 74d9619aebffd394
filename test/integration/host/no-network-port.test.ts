/**
 * The browser host opens no network port: with the UI up, no process of ours (this Node process, Chromium and its
 * helpers) holds a listening TCP socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import { startBrowserHost, type BrowserHost } from '../../../src-main/host/browser-host';
import { parseConfig } from '../../../src-main/config/load';

const root = join(import.meta.dirname, '../../..');

/** Inodes of TCP sockets in LISTEN state (st 0A) in this network namespace. */
function listeningInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** This process and all its descendants. */
function ourPids(): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const stack = [process.pid];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

function socketInodesOf(pid: number): string[] {
  const out: string[] = [];
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.push(m[1]!);
    } catch {
      // fd closed meanwhile
    }
  }
  return out;
}

describe('browser host', () => {
  let ws: Workstation;
  let host: BrowserHost;
  const dataDir = mkdtempSync(join(tmpdir(), 'steth-noport-'));
  const profile = mkdtempSync(join(tmpdir(), 'steth-noport-profile-'));

  beforeAll(async () => {
    if (!existsSync(join(root, 'out/renderer/index.html')))
      throw new Error('renderer not built: run npm run build first');
    ws = await buildWorkstation(parseConfig({ mode: 'demo', dataDir }), { host: 'browser-host' });
    host = await startBrowserHost({
      workstation: ws,
      rendererRoot: join(root, 'out/renderer'),
      userDataDir: profile,
    });
    await host.page.locator('main').first().waitFor();
  });
  afterAll(async () => {
    await host?.close();
    await ws?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('shows the UI while no process of ours listens on TCP', () => {
    const pids = ourPids();
    expect(pids.length).toBeGreaterThan(1); // Chromium is among our descendants
    const listening = listeningInodes();
    const ours = pids.flatMap((p) =>
      socketInodesOf(p)
        .filter((i) => listening.has(i))
        .map((i) => `${p}:${i}`),
    );
    expect(ours).toEqual([]);
  });
});
