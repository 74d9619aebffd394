/**
 * Live mode end to end on real parts: the whole workstation with a card in a private pcscd (vpcd), signing in,
 * then finding the patient in PDS, permission to view, and the Summary Care Record and the detailed record from
 * the test services over HTTPS with mutual TLS, each request carrying a token the card signed after the PIN.
 * Pulling the card drops the tokens: nothing more is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src-main/config/load';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import type { RecordView } from '../../../src-shared/domain/records';
import type { SessionView } from '../../../src-shared/domain/session';
import { startCardStack, type CardStack } from '../card/support/stack';
import { eventLog, type EventLog } from '../card/support/events';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox/harness';
import { issueCard } from '../../../src-main/card/issue/index';
import type { CardProfile } from '../../../src-main/card/virtual/profile';
import { DEMO_CARDS } from '../../../src-main/card/demo/catalogue';

const PATIENT = '9990000018'; // registered at C81007, the test GP's practice
let stack: CardStack;
let t: TestSandbox;
let ws: Workstation;
let views: EventLog<SessionView>;

beforeAll(async () => {
  stack = await startCardStack('live-records', 40091, 1);
  t = await startTestSandbox(46614);
  const tls = { caFile: t.pki.caFile, certFile: t.pki.client.certFile, keyFile: t.pki.client.keyFile };
  const config = parseConfig({
    mode: 'live',
    dataDir: mkdtempSync(join(stack.tmp, 'live-data-')),
    workstation: { id: 'WS-C81007-09' },
    card: { transport: 'pcsc', trustAnchors: [join(t.ca.dir, 'trust.pem')] },
    records: {
      services: {
        demographics: { baseUrl: t.sandbox.baseUrls.demographics, ...tls },
        scr: { baseUrl: t.sandbox.baseUrls.scr, ...tls },
        sharedCare: { baseUrl: t.sandbox.baseUrls.sharedCare, ...tls },
      },
    },
  });
  ws = await buildWorkstation(config, { host: 'browser-host', logger: createMemoryLogger() });
  views = eventLog<SessionView>((v) => v.state);
  ws.events.on('sessionChanged', (v) => views.push(v));
}, 90_000);
afterAll(async () => {
  await ws?.close();
  await t?.close();
  await stack?.stop();
});

/** Ends the session (the card is pulled) and signs in with another card. */
async function signOutAndIn(card: CardProfile, pin: string): Promise<void> {
  const out = views.mark();
  await ws.dispatcher.dispatch('session.signOut', {});
  await stack.remove();
  await views.next((v) => v.state === 'awaiting-card' || v.state === 'card-refused', 20_000, out);
  await new Promise((r) => setTimeout(r, 300));
  const from = views.mark();
  await stack.insert(card);
  const seen = await views.next(
    (v) => v.state === 'pin-required' || v.state === 'card-refused',
    20_000,
    from,
  );
  expect(seen.state, JSON.stringify(seen)).toBe('pin-required');
  const r = await ws.dispatcher.dispatch('session.submitPin', { pin });
  expect(r.ok, JSON.stringify(r)).toBe(true);
  await views.next((v) => v.state === 'signed-in', 20_000, from);
}

describe('live mode against the record services', () => {
  it('GP: signs in with the card, finds the patient in PDS, records permission and reads the SCR and GP record', async () => {
    await stack.insert(t.cards.gp);
    await views.next((v) => v.state === 'pin-required', 20_000);
    const signIn = await ws.dispatcher.dispatch('session.submitPin', { pin: '123456' });
    expect(signIn.ok).toBe(true);
    await views.next((v) => v.state === 'signed-in', 20_000);

    const found = await ws.dispatcher.dispatch('patients.search', { kind: 'nhs-number', nhsNumber: PATIENT });
    expect(found).toMatchObject({
      ok: true,
      value: { results: [{ nhsNumber: PATIENT, family: 'Brackley' }] },
    });
    const open = await ws.dispatcher.dispatch('encounter.open', { nhsNumber: PATIENT });
    expect(open).toMatchObject({ ok: true, value: { relationship: 'registered' } });
    expect((await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: PATIENT })).ok).toBe(
      true,
    );

    const scr = await ws.dispatcher.dispatch('record.scr', { nhsNumber: PATIENT });
    expect(scr.ok, JSON.stringify(scr)).toBe(true);
    const view = (scr as { value: RecordView }).value;
    expect(view.origin?.service).toBe('Summary Care Record service');
    expect(view.sections[0]?.key).toBe('allergies');
    expect(view.sections.every((s) => s.narrative !== undefined)).toBe(true);
    expect(JSON.stringify(view)).not.toMatch(/<[a-z]/i);

    const mig = await ws.dispatcher.dispatch('record.mig', { nhsNumber: PATIENT });
    expect(mig.ok, JSON.stringify(mig)).toBe(true);
    expect((mig as { value: RecordView }).value.sections.some((s) => s.entries.length > 0)).toBe(true);

    // Every request reached the services with the user's token (none was refused).
    const mine = t.requests.filter((r) => r.service !== 'audit');
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.filter((r) => r.status === 401 || r.status === 403)).toEqual([]);
  }, 60_000);

  it('out-of-hours doctor: a treated patient, permission, the SCR with Additional Information and the MIG record', async () => {
    await signOutAndIn(
      await issueCard(t.ca, {
        displayName: 'Dr Test Ooh',
        userId: '555000000402',
        pin: '135790',
        roles: [{ ...DEMO_CARDS.find((c) => c.id === 'ooh-doctor')!.roles[0]!, urid: '555000000402-01' }],
      }),
      '135790',
    );
    const patient = '9990000085'; // treated by the out-of-hours service, registered elsewhere
    const open = await ws.dispatcher.dispatch('encounter.open', { nhsNumber: patient });
    expect(open, JSON.stringify(open)).toMatchObject({
      ok: true,
      value: { relationship: 'treating' },
    });
    expect((await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: patient })).ok).toBe(
      true,
    );
    const scr = await ws.dispatcher.dispatch('record.scr', { nhsNumber: patient });
    expect(scr.ok, JSON.stringify(scr)).toBe(true);
    expect((scr as { value: RecordView }).value.sections.some((s) => !s.core)).toBe(true);
    const mig = await ws.dispatcher.dispatch('record.mig', { nhsNumber: patient });
    expect(mig.ok, JSON.stringify(mig)).toBe(true);
    expect(JSON.stringify(mig)).toContain('Electrocardiogram');
  }, 60_000);

  it('paramedic: no relationship, self-claimed, then emergency access to the SCR', async () => {
    await signOutAndIn(
      await issueCard(t.ca, {
        displayName: 'Test Paramedic',
        userId: '555000000403',
        pin: '864200',
        roles: [{ ...DEMO_CARDS.find((c) => c.id === 'paramedic')!.roles[0]!, urid: '555000000403-01' }],
      }),
      '864200',
    );
    const patient = '9990000093'; // registered nowhere the ambulance service knows
    expect(await ws.dispatcher.dispatch('encounter.open', { nhsNumber: patient })).toMatchObject({
      ok: true,
      value: { relationship: 'none' },
    });
    const claim = await ws.dispatcher.dispatch('encounter.claimRelationship', {
      nhsNumber: patient,
      reason: 'treating-now',
      text: 'Attending a 999 call: patient found collapsed at home.',
    });
    expect(claim).toMatchObject({ ok: true, value: { relationship: 'self-claimed' } });
    const override = await ws.dispatcher.dispatch('ptv.record', {
      choice: 'emergency',
      nhsNumber: patient,
      reason: 'medical-emergency',
      text: 'Unconscious after a collapse, no relatives present.',
      pin: '864200',
    });
    expect(override).toMatchObject({ ok: true, value: { state: 'granted', basis: 'emergency' } });
    const scr = await ws.dispatcher.dispatch('record.scr', { nhsNumber: patient });
    expect(scr.ok, JSON.stringify(scr)).toBe(true);
    expect((scr as { value: RecordView }).value.access.basis).toBe('emergency');
    // Back to the GP for the tests after this one.
    await signOutAndIn(t.cards.gp, '123456');
  }, 60_000);

  it('an emergency access alert reaches the SCR service exactly once, after the service was down', async () => {
    const patient = '9990000026';
    // Alerts of the journeys before this one are delivered first, so what follows is this alert alone.
    const drained = Date.now() + 30_000;
    while (ws.outbox.depth('scr').count > 0 && Date.now() < drained)
      await new Promise((r) => setTimeout(r, 100));
    expect(ws.outbox.depth('scr').count).toBe(0);
    const idsBefore = new Set(t.sandbox.stores.scr.repo.idsOf('AuditEvent'));
    const mark = t.requests.length;
    t.sandbox.faults.set('scr', {
      kind: 'status',
      status: 503,
      times: Infinity,
      match: { method: 'POST', path: '/AuditEvent' },
    });
    expect((await ws.dispatcher.dispatch('encounter.open', { nhsNumber: patient })).ok).toBe(true);
    const override = await ws.dispatcher.dispatch('ptv.record', {
      choice: 'emergency',
      nhsNumber: patient,
      reason: 'medical-emergency',
      text: 'Unconscious on arrival; no one to ask.',
      pin: '123456',
    });
    expect(override.ok, JSON.stringify(override)).toBe(true);
    const posts = () =>
      t.requests
        .slice(mark)
        .filter((r) => r.service === 'scr' && r.method === 'POST' && r.path === '/AuditEvent');
    // The service refuses while it is down; the alert stays queued.
    const deadline = Date.now() + 20_000;
    while (!posts().some((r) => r.status === 503) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(posts().some((r) => r.status === 503)).toBe(true);
    // Back up: the next retry delivers it, once.
    t.sandbox.faults.clear();
    const until = Date.now() + 60_000;
    while (!posts().some((r) => r.status === 201) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1500));
    // Alerts of the journeys before may still be on their way when it goes down: count from the outage on.
    const fromOutage = posts().slice(posts().findIndex((r) => r.status === 503));
    const delivered = fromOutage.filter((r) => r.status === 201 || r.status === 200);
    expect(delivered, JSON.stringify(posts())).toHaveLength(1);
    const repo = t.sandbox.stores.scr.repo;
    const ids = repo
      .idsOf('AuditEvent')
      .filter(
        (id) => !idsBefore.has(id) && JSON.stringify(repo.currentOf('AuditEvent', id)).includes(patient),
      );
    expect(ids).toHaveLength(1);
    expect(repo.versionsOf('AuditEvent', ids[0]!)).toHaveLength(1);
    expect(repo.currentOf('AuditEvent', ids[0]!)).toMatchObject({
      type: { system: 'https://fhir.nhs.uk/CodeSystem/SCR-AlertType', code: '2' },
      subtype: [{ system: 'https://fhir.nhs.uk/CodeSystem/SCR-AlertReason', code: '5' }],
      entity: [{ what: { identifier: { value: patient } } }],
    });
  }, 90_000);

  it('pulling the card while the SCR is on its way drops the answer; locked, nothing more is read', async () => {
    const patient = '9990000069';
    const opened = await ws.dispatcher.dispatch('encounter.open', { nhsNumber: patient });
    expect(opened.ok, JSON.stringify(opened)).toBe(true);
    expect((await ws.dispatcher.dispatch('ptv.record', { choice: 'given', nhsNumber: patient })).ok).toBe(
      true,
    );
    t.sandbox.faults.set('scr', { kind: 'slow', ms: 1500, match: { method: 'GET', path: '/Bundle' } });
    const pending = ws.dispatcher.dispatch('record.scr', { nhsNumber: patient });
    await new Promise((r) => setTimeout(r, 300));
    await stack.remove();
    const r = await pending;
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toMatch(/allergies|narrative/i);
    await views.next((v) => v.state !== 'signed-in', 20_000);
    // Locked: nothing more is read.
    const before = t.requests.length;
    expect((await ws.dispatcher.dispatch('record.scr', { nhsNumber: patient })).ok).toBe(false);
    expect(t.requests.length).toBe(before);
  }, 60_000);
});
