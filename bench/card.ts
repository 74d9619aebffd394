/**
 * Card benchmarks over a real private pcscd + vpcd + virtual card, inside the running card service:
 * - sign-in latency, from the service learning the card is present to the session being open (PIN supplied at
 *   once, every trust check and a fresh challenge included), for cards seen the first time and seen before
 *   (verdict cache by certificate hash), beside the OpenSC PKCS#11 peer (same pcscd, same card, same process);
 * - removal → lock, from the moment the card leaves (vpcd link closed) and the app's own share after pcscd
 *   reports the removal;
 * - a card swap back to a user's own locked session, to that user's workspace on screen (card-switch.ts).
 * Run with and without TCP quick ACKs on the loopback routes (vpcd's two-write frames otherwise wait for the
 * delayed ACK, about 40 ms per APDU); the routes are read first and restored exactly, also on failure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { startPrivatePcscd, type PrivatePcscd } from '../native/pcscd/private-pcscd';
import { ensureCa, issueCard, type CaBundle } from '../src-main/card/issue/index';
import { VirtualPivCard } from '../src-main/card/virtual/piv-card';
import type { CardProfile } from '../src-main/card/virtual/profile';
import { connectVpcd, type VpcdLink } from '../src-main/card/virtual/vpcd-link';
import { createCardService, type CardService } from '../src-main/card/session/card-service';
import { createCardTrust } from '../src-main/card/signin/trust';
import type { CardTransport, TransportEvent } from '../src-main/card/transport/types';
import { createEventBus } from '../src-main/services/event-bus';
import { createMemoryLogger } from '../src-main/services/logger';
import type { SessionView } from '../src-shared/domain/session';
import type { AuditEntry } from '../src-main/audit/types';
import { measureOpenscPeer } from './card-peer-opensc';
import { measureSwitch } from './card-switch';
import { percentile, round, type BenchArea, type BenchRow } from './types';

const VPCD_PORT = 40077;
const PIN = '123456';
/** A sign-in round (insert, sign in, pull, lock, sign out) takes about half a second; far more means a hang. */
const ROUND_DEADLINE_MS = 30_000;
const PEER_DEADLINE_MS = 120_000;

/**
 * Fails instead of waiting for ever: a wedged pcscd or vpcd must end the bench with an error (the routes are
 * restored in run's finally), not leave it idle with quick ACKs still switched on.
 */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: ${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

// --- loopback quick ACK -----------------------------------------------------------------------------------

const LOOPBACK_DESTS = ['127.0.0.1', '127.0.0.0/8'];

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

/** The current `ip route show table local` lines for the loopback destinations we touch. */
function readLoopbackRoutes(): Map<string, string> {
  const routes = new Map<string, string>();
  for (const line of ip(['route', 'show', 'table', 'local']).split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'local' && LOOPBACK_DESTS.includes(words[1] ?? ''))
      routes.set(words[1] as string, line.trim());
  }
  return routes;
}

function enableQuickack(saved: Map<string, string>): void {
  for (const dest of LOOPBACK_DESTS) {
    const line = saved.get(dest);
    if (!line) throw new Error(`no local route for ${dest} to add quickack to`);
    const words = line.split(/\s+/).filter((w, i, all) => w !== 'quickack' && all[i - 1] !== 'quickack');
    ip(['route', 'replace', ...words, 'table', 'local', 'quickack', '1']);
  }
}

function restoreRoutes(saved: Map<string, string>): void {
  for (const [, line] of saved) ip(['route', 'replace', ...line.split(/\s+/), 'table', 'local']);
}

// --- the running card service ------------------------------------------------------------------------------

/** A session view and when it was published (performance.now(), taken in the event listener). */
interface TimedView {
  view: SessionView;
  at: number;
}

interface Rig {
  log: ReturnType<typeof createMemoryLogger>;
  service: CardService;
  transport: CardTransport;
  views: SessionView[];
  next(match: (v: SessionView) => boolean, ms?: number): Promise<TimedView>;
  nextTransport(match: (e: TransportEvent) => boolean, ms?: number): Promise<TransportEvent>;
  close(): Promise<void>;
}

async function startRig(ca: CaBundle): Promise<Rig> {
  const { createPcscTransport } = await import('../src-main/card/transport/pcsc-transport');
  const log = createMemoryLogger();
  const transport = createPcscTransport({ log });
  const events = createEventBus();
  const views: SessionView[] = [];
  const viewWaiters = new Set<(v: TimedView) => void>();
  const tWaiters = new Set<(e: TransportEvent) => void>();
  // The service publishes each view synchronously, in the same turn as the change (a lock: in the turn that handles
  // the transport's removal event), so the time taken here is when the view went out.
  events.on('sessionChanged', (v) => {
    const at = performance.now();
    views.push(v);
    for (const w of [...viewWaiters]) w({ view: v, at });
  });
  transport.onEvent((e) => {
    for (const w of [...tWaiters]) w(e);
  });
  const entries: AuditEntry[] = [];
  const service = createCardService({
    transport,
    trust: createCardTrust({ anchorsPem: ca.trustPems, crlsDer: [] }),
    // In memory: the audit log's own write cost is measured by the audit benchmark.
    audit: {
      record: (e) => {
        entries.push(e);
        return { seq: entries.length, uuid: randomUUID() };
      },
    },
    events,
    log,
    workstationId: 'WS-BENCH',
    idleLockMinutes: 60,
  });
  await service.start();
  const waitOn = <T>(set: Set<(x: T) => void>, match: (x: T) => boolean, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const w = (x: T) => {
        if (!match(x)) return;
        set.delete(w);
        clearTimeout(timer);
        resolve(x);
      };
      const timer = setTimeout(() => {
        set.delete(w);
        reject(new Error(`bench: no ${what} within ${ms} ms`));
      }, ms);
      set.add(w);
    });
  return {
    log,
    service,
    transport,
    views,
    next: (match, ms = 10_000) => waitOn(viewWaiters, (t) => match(t.view), ms, 'session view'),
    nextTransport: (match, ms = 10_000) => waitOn(tWaiters, match, ms, 'reader event'),
    async close() {
      await service.close();
      await transport.close();
    },
  };
}

interface Samples {
  first: number[];
  seen: number[];
  removalToLock: number[];
  appShare: number[];
}

/** One sign-in: insert, and from the app seeing the card to signed-in; then removal → lock; then sign out. */
async function signInOnce(
  rig: Rig,
  pcscd: PrivatePcscd,
  profile: CardProfile,
  samples: { signIn: number[]; removal: number[]; app: number[] },
) {
  const present = rig.nextTransport((e) => e.type === 'card-inserted');
  const pinAsked = rig.next((v) => v.state === 'pin-required' || v.state === 'card-refused', 20_000);
  const link: VpcdLink = await connectVpcd(new VirtualPivCard(profile), {
    port: pcscd.vpcdPorts[0] as number,
    timeoutMs: 5000,
  });
  const seenAt = (await present) as Extract<TransportEvent, { type: 'card-inserted' }>;
  const asked = (await pinAsked).view;
  if (asked.state !== 'pin-required') throw new Error(`bench: card refused (${JSON.stringify(asked)})`);
  const v = await rig.service.submitPin(PIN);
  const openAt = performance.now();
  if (v.state !== 'signed-in') throw new Error(`bench: sign-in did not complete (${v.state})`);
  samples.signIn.push(openAt - seenAt.at);

  const lockedView = rig.next((x) => x.state === 'locked', 10_000);
  const removal = rig.nextTransport((e) => e.type === 'card-removed', 10_000);
  const leftAt = performance.now();
  await link.close();
  const locked = await lockedView;
  const removed = (await removal) as Extract<TransportEvent, { type: 'card-removed' }>;
  samples.removal.push(locked.at - leftAt);
  // The app's share: from the transport learning of the removal to the locked view going out.
  samples.app.push(locked.at - removed.at);
  await rig.service.signOut();
}

async function measureOurs(
  ca: CaBundle,
  pcscd: PrivatePcscd,
  iterations: number,
  log: (l: string) => void,
): Promise<Samples> {
  const rig = await startRig(ca);
  const out: Samples = { first: [], seen: [], removalToLock: [], appShare: [] };
  try {
    const roles = [
      {
        urid: '555000000700-01',
        orgCode: 'C81007',
        orgName: 'Example Surgery',
        orgType: 'gp-practice' as const,
        roleCode: 'R8000',
        roleName: 'Clinical Practitioner Access Role',
        activities: ['B0370', 'B0168'],
      },
    ];
    const fresh: CardProfile[] = [];
    for (let i = 0; i < iterations + 1; i++) {
      fresh.push(
        await issueCard(ca, { displayName: `Dr Bench ${i}`, userId: '555000000700', pin: PIN, roles }),
      );
    }
    const signInRound = (
      profile: CardProfile,
      into: { signIn: number[]; removal: number[]; app: number[] },
    ) => within(ROUND_DEADLINE_MS, 'a sign-in round', signInOnce(rig, pcscd, profile, into));
    // Warm-up (module loading, first pkijs use) is not counted.
    await signInRound(fresh[0] as CardProfile, { signIn: [], removal: [], app: [] });
    for (let i = 1; i <= iterations; i++) {
      await signInRound(fresh[i] as CardProfile, {
        signIn: out.first,
        removal: out.removalToLock,
        app: out.appShare,
      });
    }
    const again = fresh[1] as CardProfile;
    for (let i = 0; i < iterations; i++) {
      await signInRound(again, {
        signIn: out.seen,
        removal: out.removalToLock,
        app: out.appShare,
      });
    }
    log(`ours: ${iterations} first-time and ${iterations} seen-before sign-ins`);
    // Where the time goes (from the service's debug log): connect, read + verify, PIN + challenge.
    const field = (msg: string, key: string) =>
      rig.log.lines
        .filter((l) => l.msg === msg)
        .map((l) => Number(l.fields?.[key]))
        .filter((n) => Number.isFinite(n));
    const med = (xs: number[]) => round(percentile(xs, 50), 2);
    const split = (xs: number[]) =>
      `first ${med(xs.slice(1, iterations + 1))} / seen ${med(xs.slice(iterations + 1))}`;
    log(
      `median ms: connect ${split(field('card: vetted', 'connectMs'))}; read+verify ${split(field('card: vetted', 'vetMs'))}; ` +
        `PIN+challenge ${split(field('card: proved', 'proveMs'))}`,
    );
  } finally {
    await rig.close();
  }
  return out;
}

async function measurePeer(ca: CaBundle, pcscd: PrivatePcscd, iterations: number): Promise<number[]> {
  const profile = await issueCard(ca, {
    displayName: 'Dr Peer Bench',
    userId: '555000000701',
    pin: PIN,
    roles: [],
  });
  // OpenSC only lists the token once pcscd has seen the card: watch for that with our own transport.
  const { createPcscTransport } = await import('../src-main/card/transport/pcsc-transport');
  const watcher = createPcscTransport({ log: createMemoryLogger() });
  await watcher.start();
  const present = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench: pcscd did not see the peer card')), 10_000);
    watcher.onEvent((e) => {
      if (e.type === 'card-inserted') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const link = await connectVpcd(new VirtualPivCard(profile), {
    port: pcscd.vpcdPorts[0] as number,
    timeoutMs: 5000,
  });
  try {
    await present;
    await watcher.close();
    return await within(
      PEER_DEADLINE_MS,
      'the OpenSC peer',
      measureOpenscPeer({ socketPath: pcscd.socketPath, pin: PIN, iterations }),
    );
  } finally {
    await watcher.close();
    await link.close();
  }
}

function rows(label: string, ours: Samples, peer: number[]): BenchRow[] {
  const ms = (xs: number[], p: number) => round(percentile(xs, p), 2);
  const peer50 = ms(peer, 50);
  const seen50 = ms(ours.seen, 50);
  return [
    {
      area: 'card',
      name: `sign-in, card seen the first time (${label})`,
      unit: 'ms',
      p50: ms(ours.first, 50),
      p95: ms(ours.first, 95),
      target: 20,
    },
    {
      area: 'card',
      name: `sign-in, card seen before (${label})`,
      unit: 'ms',
      p50: seen50,
      p95: ms(ours.seen, 95),
      target: 20,
      peer: peer50,
      ratio: round(seen50 / peer50, 3),
    },
    {
      area: 'card',
      name: `OpenSC PKCS#11 peer sign-in (${label})`,
      unit: 'ms',
      p50: peer50,
      p95: ms(peer, 95),
    },
    {
      area: 'card',
      name: `removal → lock, from the card leaving (${label})`,
      unit: 'ms',
      p50: ms(ours.removalToLock, 50),
      p95: ms(ours.removalToLock, 95),
    },
    {
      area: 'card',
      name: `removal → lock, app share after pcscd reports it (${label})`,
      unit: 'ms',
      p50: round(percentile(ours.appShare, 50), 3),
      p95: round(percentile(ours.appShare, 95), 3),
      target: 5,
    },
  ];
}

const run: BenchArea = async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'steth-card-bench-'));
  const saved = readLoopbackRoutes();
  const restoreOnSignal = () => {
    restoreRoutes(saved);
    process.exit(130);
  };
  process.once('SIGINT', restoreOnSignal);
  process.once('SIGTERM', restoreOnSignal);
  let pcscd: PrivatePcscd | null = null;
  const out: BenchRow[] = [];
  try {
    pcscd = await startPrivatePcscd({ dir: join(dir, 'pcscd'), port: VPCD_PORT, readers: 1 });
    const current = process.env['PCSCLITE_CSOCK_NAME'];
    if (current && current !== pcscd.socketPath)
      throw new Error(`PCSCLITE_CSOCK_NAME already set to ${current}`);
    process.env['PCSCLITE_CSOCK_NAME'] = pcscd.socketPath;
    const ca = await ensureCa(join(dir, 'ca'));
    ctx.log(`loopback routes before: ${[...saved.values()].join(' | ')}`);

    enableQuickack(saved);
    try {
      ctx.log('quickack on');
      const peer = await measurePeer(ca, pcscd, 30);
      const ours = await measureOurs(ca, pcscd, 30, ctx.log);
      out.push(...rows('quickack', ours, peer));
      out.push(...(await measureSwitch(ctx, ca, pcscd, 20)));
    } finally {
      restoreRoutes(saved);
    }
    ctx.log('quickack off (routes restored)');
    const peer = await measurePeer(ca, pcscd, 8);
    const ours = await measureOurs(ca, pcscd, 8, ctx.log);
    out.push(...rows('no quickack', ours, peer));
  } finally {
    restoreRoutes(saved);
    process.off('SIGINT', restoreOnSignal);
    process.off('SIGTERM', restoreOnSignal);
    const after = readLoopbackRoutes();
    if ([...saved].some(([k, v]) => after.get(k) !== v))
      ctx.log(`WARNING: loopback routes differ after restore: ${[...after.values()].join(' | ')}`);
    await pcscd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
};
export default run;
