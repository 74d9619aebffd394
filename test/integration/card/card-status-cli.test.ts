/**
 * `stethoscope card status` as a user runs it (bin/stethoscope.mjs in a child process) against a private pcscd:
 * JSON about the card, exit 0 only for a trusted card, and with --pin-stdin the full sign-in verdict.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCardStack, type CardStack } from './support/stack';
import { eventLog, type EventLog } from './support/events';
import type { CardTransport, TransportEvent } from '../../../src-main/card/transport/types';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { VirtualPivCard } from '../../../src-main/card/virtual/piv-card';
import { connectVpcd } from '../../../src-main/card/virtual/vpcd-link';
import { watchedCard } from '../../support/card/watched-card';
import { createMemoryLogger } from '../../../src-main/services/logger';

const bin = fileURLToPath(new URL('../../../bin/stethoscope.mjs', import.meta.url));
/** A short exchange deadline for the stall test (the default is 5 s). */
const DEADLINE_ARGS = ['--exchange-timeout-ms', '1000'];
let stack: CardStack;
let trustArgs: string[];
/** Our own view of the reader, so the CLI only runs once pcscd has seen the card. */
let watcher: CardTransport;
let seen: EventLog<TransportEvent>;

async function insert(profile: CardProfile) {
  const mark = seen.mark();
  const inserted = await stack.insert(profile, 0);
  await seen.next((e) => e.type === 'card-inserted', 10_000, mark);
  return inserted;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
  /** Wall time from spawn to exit. */
  ms: number;
  /** performance.now() at exit. */
  endedAt: number;
  /** Killed after `killAfterMs` because it had not exited. */
  killed: boolean;
}

function run(args: string[], stdin = '', killAfterMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'card', 'status', ...args], {
      env: { ...process.env, PCSCLITE_CSOCK_NAME: stack.pcscd.socketPath },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let killed = false;
    const killer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      const endedAt = performance.now();
      const ms = endedAt - started;
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        // Left empty: the assertions on json then fail with the raw output in stdout.
      }
      resolve({ code, stdout, stderr, json, ms, endedAt, killed });
    });
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  stack = await startCardStack('cli', 40069, 1);
  trustArgs = ['--trust', join(stack.ca.dir, 'root.pem'), '--trust', join(stack.ca.dir, 'card-ca.pem')];
  const { createPcscTransport } = await import('../../../src-main/card/transport/pcsc-transport');
  watcher = createPcscTransport({ log: createMemoryLogger() });
  seen = eventLog<TransportEvent>((e) => e.type);
  watcher.onEvent((e) => seen.push(e));
  await watcher.start();
});
afterEach(async () => {
  const present = watcher.readers()[0]?.cardPresent === true;
  const mark = seen.mark();
  await stack.remove(0);
  if (present) await seen.next((e) => e.type === 'card-removed', 10_000, mark);
});
afterAll(async () => {
  await watcher?.close();
  await stack?.stop();
});

describe('stethoscope card status', () => {
  it('prints identity, certificate, chain verdict, roles and tries left; exit 0 for a trusted card', async () => {
    const profile = await stack.issue();
    await insert(profile);
    const r = await run(trustArgs);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({
      reader: stack.pcscd.readerNames[0],
      card: { guid: profile.cardGuid, hasCareRoles: true },
      certificate: { subject: expect.stringContaining(profile.holder.displayName) },
      chain: { ok: true },
      holder: { userId: profile.holder.userId },
      roles: [{ roleCode: 'R8000' }],
      pin: { state: 'not-verified', triesLeft: 3 },
    });
  });

  it('with the PIN on stdin runs the whole sign-in; a wrong PIN exits 1 with tries left', async () => {
    const profile = await stack.issue();
    const { card } = await insert(profile);
    const ok = await run([...trustArgs, '--pin-stdin'], '123456\n');
    expect(ok.code).toBe(0);
    expect(ok.json['signIn']).toEqual({ ok: true, pinVerified: true, challengeVerified: true });
    const bad = await run([...trustArgs, '--pin-stdin'], '000000\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual(['stethoscope card status: wrong PIN, 2 tries left']);
    expect(card.pinTriesLeft()).toBe(2);
  });

  it('refuses a card from another CA, sends it no PIN, exits 1 with a one-line reason', async () => {
    const profile = await stack.issue({}, await stack.otherCa());
    const { card } = await insert(profile);
    const r = await run([...trustArgs, '--pin-stdin'], '123456');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({
      chain: { ok: false, reason: 'untrusted-issuer' },
      signIn: { ok: false, attempted: false },
    });
    expect(r.stderr).toBe(
      'stethoscope card status: untrusted-issuer: This card was not issued by an authority this workstation trusts. Take it out and contact your Registration Authority or your local smartcard administrator.\n',
    );
    expect(card.pinTriesLeft()).toBe(3);
  });

  it('without --trust the card cannot be trusted: exit 1', async () => {
    await insert(await stack.issue());
    const r = await run([]);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ chain: { ok: false, reason: 'not-checked' } });
    expect(r.stderr).toMatch(/no trust anchor/);
  });

  it('a card that never answers: exit 1 within the deadline with a reason, and the next card is read', async () => {
    // The card goes silent at its first GET DATA; the command must end well within 3 s of that.
    let stalledAt = 0;
    const stalling = watchedCard(new VirtualPivCard(await stack.issue(), { stall: 'get-data' }), (apdu) => {
      if (apdu[1] === 0xcb && stalledAt === 0) stalledAt = performance.now();
    });
    const mark = seen.mark();
    const link = await connectVpcd(stalling, { port: stack.pcscd.vpcdPorts[0]!, timeoutMs: 5000 });
    await seen.next((e) => e.type === 'card-inserted', 10_000, mark);
    let r: Run;
    try {
      r = await run([...trustArgs, ...DEADLINE_ARGS], '', 20_000);
    } finally {
      await link.close();
    }
    expect(r.killed, `still running after 20 s; stderr: ${r.stderr}`).toBe(false);
    expect(r.code).toBe(1);
    expect(stalledAt).toBeGreaterThan(0);
    expect(r.endedAt - stalledAt).toBeLessThan(3000);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^stethoscope card status: card-unreadable: The card did not answer within 1 second/,
      ),
    ]);
    expect(r.json).toMatchObject({ verdict: { ok: false, reason: 'card-unreadable' } });

    // The stalled card has left; the next card in the same reader is read as usual.
    await insert(await stack.issue());
    const next = await run(trustArgs);
    expect(next.code, next.stderr).toBe(0);
  });

  it('reports an empty reader and an unknown reader name', async () => {
    const empty = await run(trustArgs);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no card in any reader/);
    const unknown = await run([...trustArgs, '--reader', 'No Such Reader']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no reader named "No Such Reader"/);
  });
});
