/**
 * Card swap back to a user's own locked session (shared workstations), through real pcscd + vpcd and the whole
 * workstation in the browser host (demo mode's services, the SQLite audit log, the built renderer in chromium).
 * Two clinicians, A and B, are signed in and locked; each run takes the other's card out and puts this user's in,
 * the PIN supplied the moment the lock screen asks for it (as a quick hand would), until the page marks that
 * user's workspace on screen ('workspace-shown', after main's resumed session and its encounter.current answer).
 * - total: from the card going in (vpcd connecting) to the workspace on screen;
 * - app share: from pcscd reporting the card to the workspace on screen, less the time spent waiting on the card
 *   itself up to the signed-in view (each connect and APDU exchange, timed around the transport); the tokens the
 *   card signs after it run beside the page's drawing and are not taken out.
 * Page and main times are compared as epoch milliseconds (timeOrigin + now), same machine.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { PrivatePcscd } from '../native/pcscd/private-pcscd';
import { issueCard, type CaBundle } from '../src-main/card/issue/index';
import type { CardProfile } from '../src-main/card/virtual/profile';
import { VirtualPivCard } from '../src-main/card/virtual/piv-card';
import { connectVpcd, type VpcdLink } from '../src-main/card/virtual/vpcd-link';
import type { CardConnection, CardTransport } from '../src-main/card/transport/types';
import { parseConfig } from '../src-main/config/load';
import { createMemoryLogger } from '../src-main/services/logger';
import { buildWorkstation, type Workstation } from '../src-main/services/workstation';
import { startBrowserHost } from '../src-main/host/browser-host';
import type { SessionView } from '../src-shared/domain/session';
import { percentile, round, type BenchContext, type BenchRow } from './types';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rendererRoot = join(root, 'out/renderer');
const PIN = '123456';
const epoch = (perfNow: number) => performance.timeOrigin + perfNow;
const nowEpoch = () => epoch(performance.now());

/** Times every wait on the card (connect, transmit) and when pcscd reported each insertion. */
function observed(inner: CardTransport) {
  const io: { start: number; ms: number }[] = [];
  const inserted: number[] = [];
  inner.onEvent((e) => {
    if (e.type === 'card-inserted') inserted.push(epoch(e.at));
  });
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      io.push({ start: epoch(t), ms: performance.now() - t });
    }
  };
  const transport: CardTransport = {
    kind: inner.kind,
    start: () => inner.start(),
    readers: () => inner.readers(),
    available: () => inner.available(),
    onEvent: (l) => inner.onEvent(l),
    close: () => inner.close(),
    async connect(reader) {
      const c = await timed(() => inner.connect(reader));
      const conn: CardConnection = {
        reader: c.reader,
        atr: c.atr,
        eventCounter: c.eventCounter,
        transmit: (apdu) => timed(() => c.transmit(apdu)),
        close: () => c.close(),
      };
      return conn;
    },
  };
  return { transport, io, inserted };
}

/** Epoch time of the newest `name` mark made after `after` (epoch ms). */
async function markAfter(page: Page, name: string, after: number): Promise<number> {
  const handle = await page.waitForFunction(
    ([n, t]) => {
      const m = performance.getEntriesByName(n as string, 'mark').at(-1);
      if (!m) return null;
      const at = performance.timeOrigin + m.startTime;
      return at > (t as number) ? at : null;
    },
    [name, after] as const,
    { timeout: 10_000 },
  );
  return (await handle.jsonValue()) as number;
}

function nextView(ws: Workstation, match: (v: SessionView) => boolean, what: string): Promise<SessionView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`bench: no ${what} within 10 s`));
    }, 10_000);
    const off = ws.events.on('sessionChanged', (v) => {
      if (!match(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}

export async function measureSwitch(
  ctx: BenchContext,
  ca: CaBundle,
  pcscd: PrivatePcscd,
  runs: number,
): Promise<BenchRow[]> {
  if (!existsSync(join(rendererRoot, 'index.html')))
    throw new Error(
      `the renderer is not built (${rendererRoot}/index.html missing): run npx electron-vite build`,
    );
  const dataDir = mkdtempSync(join(ctx.tmp, 'switch-data-'));
  let obs: ReturnType<typeof observed> | null = null;
  const ws = await buildWorkstation(
    parseConfig({
      mode: 'demo',
      dataDir,
      records: { demoPatients: 20 },
      card: { transport: 'pcsc', trustAnchors: [join(ca.dir, 'trust.pem')], idleLockMinutes: 60 },
    }),
    {
      host: 'browser-host',
      logger: createMemoryLogger(),
      wrapCardTransport: (t) => (obs = observed(t)).transport,
    },
  );
  const host = await startBrowserHost({
    workstation: ws,
    rendererRoot,
    userDataDir: mkdtempSync(join(ctx.tmp, 'switch-profile-')),
  });
  const port = pcscd.vpcdPorts[0] as number;
  const role = (userId: string) => ({
    urid: `${userId}-01`,
    orgCode: 'C81007',
    orgName: 'Example Surgery',
    orgType: 'gp-practice' as const,
    roleCode: 'R8000',
    roleName: 'Clinical Practitioner Access Role',
    activities: ['B0370', 'B0168', 'B0020'],
  });
  const cards: CardProfile[] = [];
  for (const [name, userId] of [
    ['Dr Switch Alpha', '555000000711'],
    ['Dr Switch Beta', '555000000712'],
  ] as const)
    cards.push(await issueCard(ca, { displayName: name, userId, pin: PIN, roles: [role(userId)] }));
  let link: VpcdLink | null = null;
  const pull = async () => {
    if (!link) return;
    const out = nextView(ws, (v) => v.state === 'locked' && !v.cardPresent, 'lock after removal');
    await link.close();
    link = null;
    await out;
  };
  // The PIN goes in the moment main asks for it for this card.
  const supplyPinFor = (userId: string) => {
    const off = ws.events.on('sessionChanged', (v) => {
      const asks =
        (v.state === 'locked' && v.cardPresent) || (v.state === 'pin-required' && !v.lastAttemptFailed);
      if (!asks || v.holder.userId !== userId) return;
      off();
      void ws.dispatcher.dispatch('session.submitPin', { pin: PIN });
    });
    return off;
  };
  const total: number[] = [];
  const app: number[] = [];
  // Where the app share goes: main up to the lock screen asking for the PIN, main from the PIN to the signed-in
  // view (card I/O taken out), and the page from the signed-in view to the workspace on screen.
  const parts = {
    toPinAsk: [] as number[],
    pinToSignedIn: [] as number[],
    signedInToPage: [] as number[],
    pageToScreen: [] as number[],
  };
  let asked = 0;
  let signedIn = 0;
  ws.events.on('sessionChanged', (v) => {
    if (v.state === 'locked' && v.cardPresent) asked = nowEpoch();
    if (v.state === 'signed-in') signedIn = nowEpoch();
  });
  try {
    // Both sign in once (not counted), each leaving a locked session on the search screen.
    for (const c of cards) {
      await pull();
      const off = supplyPinFor(c.holder.userId);
      const t = nowEpoch();
      link = await connectVpcd(new VirtualPivCard(c), { port, timeoutMs: 5000 });
      await markAfter(host.page, 'workspace-shown', t);
      off();
    }
    for (let i = 0; i < runs + 2; i++) {
      const c = cards[i % 2] as CardProfile;
      await pull();
      const o = obs as ReturnType<typeof observed> | null;
      if (!o) throw new Error('bench: the card transport was not observed');
      const off = supplyPinFor(c.holder.userId);
      const t0 = nowEpoch();
      const seen = o.inserted.length;
      link = await connectVpcd(new VirtualPivCard(c), { port, timeoutMs: 5000 });
      const shown = await markAfter(host.page, 'workspace-shown', t0);
      off();
      const user = ws.session.current();
      if (user?.holder.userId !== c.holder.userId)
        throw new Error(`bench: the workspace shown is not ${c.holder.displayName}'s`);
      const reported = o.inserted[seen];
      if (reported === undefined) throw new Error('bench: pcscd did not report the card');
      const heard = (await markAfter(host.page, 'signed-in-heard', t0)) as number;
      // Card I/O is taken out only up to the signed-in view: after it, the card signs the record services' tokens
      // while the page draws, and that work runs beside the critical path, not on it.
      const io = (from: number, to: number) =>
        o.io.filter((x) => x.start >= from && x.start <= to).reduce((s, x) => s + x.ms, 0);
      if (i < 2) continue; // warm-up, both directions
      total.push(shown - t0);
      app.push(shown - reported - io(reported, signedIn));
      parts.toPinAsk.push(asked - reported - io(reported, asked));
      parts.pinToSignedIn.push(signedIn - asked - io(asked, signedIn));
      parts.signedInToPage.push(heard - signedIn);
      parts.pageToScreen.push(shown - heard);
    }
    ctx.log(`switch totals (ms): ${total.map((x) => round(x, 1)).join(', ')}`);
    ctx.log(`switch app shares (ms): ${app.map((x) => round(x, 2)).join(', ')}`);
    const med = (xs: number[]) => round(percentile(xs, 50), 2);
    ctx.log(
      `switch app share, median ms: to the PIN ask ${med(parts.toPinAsk)}; PIN to signed-in ${med(parts.pinToSignedIn)}; ` +
        `signed-in view to the page hearing it ${med(parts.signedInToPage)}; from there to the workspace ${med(parts.pageToScreen)}`,
    );
  } finally {
    await (link as VpcdLink | null)?.close();
    await host.close();
    await ws.close();
  }
  const row = (name: string, xs: number[], target: number): BenchRow => ({
    area: 'card',
    name,
    unit: 'ms',
    p50: round(percentile(xs, 50), 2),
    p95: round(percentile(xs, 95), 2),
    target,
  });
  return [
    row(
      'switch back to own locked session, card in → workspace on screen (PIN supplied, quickack) total',
      total,
      1000,
    ),
    row(
      'switch back to own locked session, after pcscd reports the card, less card I/O (quickack) app share',
      app,
      10,
    ),
  ];
}
