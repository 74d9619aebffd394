/**
 * The demo reader through the whole workstation (dispatcher, embedded transport, real audit log): the demo card
 * set is issued into dataDir, cards are inserted and removed over the demo.* channels, and sign-in, refusal,
 * lock, unlock and role choice behave as with a real reader. Outside demo mode the demo channels are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import { parseConfig } from '../../../src-main/config/load';
import { createMemoryLogger } from '../../../src-main/services/logger';
import type { SessionView } from '../../../src-shared/domain/session';
import type { DemoReaderState } from '../../../src-shared/ipc/channels/demo';
import { eventLog, type EventLog } from './support/events';
import { ensureCa } from '../../../src-main/card/issue/index';

let dir: string;
let ws: Workstation;
let views: EventLog<SessionView>;

async function call<T>(channel: string, payload: unknown = {}): Promise<T> {
  const r = await ws.dispatcher.dispatch(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-card-demo-'));
  ws = await buildWorkstation(parseConfig({ mode: 'demo', dataDir: dir, records: { demoPatients: 20 } }), {
    host: 'browser-host',
    logger: createMemoryLogger(),
  });
  views = eventLog<SessionView>((v) => v.state);
  ws.events.on('sessionChanged', (v) => views.push(v));
});
afterAll(async () => {
  await ws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('demo reader in the workstation', () => {
  it('issues the demo card set into dataDir and lists it with PINs', async () => {
    const state = await call<DemoReaderState>('demo.state');
    expect(state.inserted).toBeNull();
    expect(state.cards.map((c) => c.id)).toEqual([
      'gp',
      'ooh-doctor',
      'paramedic',
      'privacy-officer',
      'receptionist',
      'two-roles',
      'untrusted',
    ]);
    expect(state.cards.every((c) => /^\d{6,8}$/.test(c.pin))).toBe(true);
    expect(existsSync(join(dir, 'ca', 'root.pem'))).toBe(true);
    expect(existsSync(join(dir, 'demo-cards', 'gp.json'))).toBe(true);
    expect(await call<SessionView>('session.get')).toMatchObject({ state: 'awaiting-card' });
  });

  it('refuses the card from another CA without asking for a PIN', async () => {
    const mark = views.mark();
    expect((await call<DemoReaderState>('demo.insert', { cardId: 'untrusted' })).inserted).toBe('untrusted');
    const v = await views.next((x) => x.state === 'card-refused', 10_000, mark);
    expect(v).toMatchObject({ reason: 'untrusted-issuer' });
    expect(views.seen.slice(mark).some((x) => x.state === 'pin-required')).toBe(false);
    await call('demo.remove');
  });

  it('signs the GP in, locks at once on removal, and unlocks the same session on re-insertion + PIN', async () => {
    const state = await call<DemoReaderState>('demo.state');
    const pin = state.cards.find((c) => c.id === 'gp')!.pin;
    const mark = views.mark();
    await call('demo.insert', { cardId: 'gp' });
    await views.next((x) => x.state === 'pin-required', 10_000, mark);
    expect(await call('session.submitPin', { pin: '000000' })).toMatchObject({
      state: 'pin-required',
      triesLeft: 2,
    });
    expect(await call('session.submitPin', { pin })).toMatchObject({
      state: 'signed-in',
      role: { roleCode: 'R8000', orgType: 'gp-practice' },
    });
    const user = ws.session.current()!;
    expect(user.role.activities).toEqual(['B0370', 'B0168', 'B0020']);
    await call('demo.remove');
    // Synchronous: the lock is in place by the time demo.remove answers.
    expect(await call<SessionView>('session.get')).toMatchObject({
      state: 'locked',
      reason: 'card-removed',
      cardPresent: false,
    });
    expect(ws.session.current()).toBeNull();
    const mark2 = views.mark();
    await call('demo.insert', { cardId: 'gp' });
    await views.next((x) => x.state === 'locked' && x.cardPresent, 10_000, mark2);
    expect(await call('session.submitPin', { pin })).toMatchObject({ state: 'signed-in' });
    expect(ws.session.current()?.sessionId).toBe(user.sessionId);
    expect((await ws.session.verifyPin(pin)).ok).toBe(true);
  });

  it('another card ends the session; two role profiles ask for a choice', async () => {
    const before = ws.session.current()!;
    const pin = (await call<DemoReaderState>('demo.state')).cards.find((c) => c.id === 'two-roles')!.pin;
    const mark = views.mark();
    await call('demo.insert', { cardId: 'two-roles' });
    await views.next((x) => x.state === 'pin-required', 10_000, mark);
    const choice = await call<SessionView>('session.submitPin', { pin });
    expect(choice.state).toBe('role-select');
    const roles = choice.state === 'role-select' ? choice.roles : [];
    expect(roles.map((r) => r.orgType)).toEqual(['gp-practice', 'out-of-hours']);
    const signed = await call<SessionView>('session.selectRole', { urid: roles[1]!.urid });
    expect(signed).toMatchObject({ state: 'signed-in', role: { orgType: 'out-of-hours' } });
    expect(ws.session.current()?.sessionId).not.toBe(before.sessionId);
    await call('session.signOut');
    await call('demo.remove');
    expect(ws.session.current()).toBeNull();
  });

  it('refuses an unknown demo card', async () => {
    const r = await ws.dispatcher.dispatch('demo.insert', { cardId: 'nobody' });
    expect(r.ok === false && r.error.code).toBe('not-found');
  });
});

describe('outside demo mode', () => {
  it('refuses the demo channels as unavailable', async () => {
    const liveDir = mkdtempSync(join(tmpdir(), 'steth-h2-live-'));
    const liveCa = await ensureCa(join(liveDir, 'live-ca'), { organisation: 'Test Clinician Cards' });
    // Live mode names its record services (nothing is called at start: the addresses need not answer).
    const caFile = join(liveCa.dir, 'trust.pem');
    const service = (path: string) => ({ baseUrl: `https://127.0.0.1:9${path}`, caFile });
    const config = parseConfig({
      mode: 'live',
      dataDir: join(liveDir, 'data'),
      workstation: { id: 'WS-LIVE-01' },
      card: { transport: 'pcsc', trustAnchors: [caFile] },
      records: {
        services: { demographics: service('/pds'), scr: service('/scr'), sharedCare: service('/shared') },
      },
    });
    const live = await buildWorkstation(config, { host: 'browser-host', logger: createMemoryLogger() });
    try {
      for (const [channel, payload] of [
        ['demo.state', {}],
        ['demo.insert', { cardId: 'gp' }],
        ['demo.remove', {}],
      ] as const) {
        const r = await live.dispatcher.dispatch(channel, payload);
        expect(r.ok === false && r.error.code).toBe('unavailable');
      }
    } finally {
      await live.close();
      rmSync(liveDir, { recursive: true, force: true });
    }
  });
});
