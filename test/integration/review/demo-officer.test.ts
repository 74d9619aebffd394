/**
 * Demo mode: the demo's own overrides reach the demo privacy officer's queue. The workstation delivers its audit
 * events with the FHIR transport to the in-process audit repository (the same requests as live mode, no socket),
 * which also holds twelve weeks of seeded history; the officer reads the queue through the review channels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_CARDS } from '../../../src-main/card/demo/catalogue';
import { parseConfig } from '../../../src-main/config/load';
import { demoPatient } from '../../../src-main/records/demo-data/fixed-patients';
import { createLogger } from '../../../src-main/services/logger';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import type { AlertDetail, QueueView } from '../../../src-shared/ipc/channels/review';
import { demoCardTokens, FakeSession } from '../../support/records/fakes';

const dir = mkdtempSync(join(tmpdir(), 'steth-demo-officer-'));
const session = new FakeSession();
let ws: Workstation;

beforeAll(async () => {
  ws = await buildWorkstation(parseConfig({ mode: 'demo', dataDir: dir, records: { demoPatients: 20 } }), {
    host: 'browser-host',
    session,
    tokens: demoCardTokens(dir, session),
    logger: createLogger('warn'),
  });
}, 60_000);
afterAll(async () => {
  await ws?.close();
  rmSync(dir, { recursive: true, force: true });
});

function as(cardId: string) {
  const card = DEMO_CARDS.find((c) => c.id === cardId);
  if (!card) throw new Error(cardId);
  session.user = {
    sessionId: `s-${cardId}`,
    holder: { userId: card.userId, displayName: card.displayName },
    role: card.roles[0] as NonNullable<typeof session.user>['role'],
  };
  session.emit('signed-in');
}

it('an override made in the demo lands on the demo privacy officer’s queue, newest first, over the seeded history', async () => {
  const nhsNumber = demoPatient('core-only').nhsNumber;
  as('gp');
  for (const [channel, req] of [
    ['encounter.open', { nhsNumber }],
    [
      'ptv.record',
      { choice: 'emergency', nhsNumber, reason: 'medical-emergency', text: 'Demo: collapsed', pin: '123456' },
    ],
    ['record.scr', { nhsNumber }],
  ] as const) {
    const r = await ws.dispatcher.dispatch(channel, req as never);
    expect(r.ok, `${channel} ${JSON.stringify(r)}`).toBe(true);
  }
  as('privacy-officer');
  let view: QueueView | undefined;
  const until = Date.now() + 20_000;
  for (;;) {
    const r = await ws.dispatcher.dispatch('review.queue', { filter: {}, page: 0 });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const v = r.ok ? (r.value as QueueView) : null;
    if (v?.alerts[0]?.workstationId === 'WS-DEMO-01') {
      view = v;
      break;
    }
    if (Date.now() > until) throw new Error(`the override did not arrive: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  if (!view) throw new Error('unreachable');
  expect(view.alerts[0]).toMatchObject({ type: 'emergency', status: 'new', own: false });
  // The seeded history: older alerts of the practice, some already closed by a colleague.
  expect(view.total).toBeGreaterThan(5);
  expect(view.counts['closed-appropriate'] + view.counts['closed-inappropriate']).toBeGreaterThan(0);
  const detail = await ws.dispatcher.dispatch('review.alert', { id: view.alerts[0]?.id ?? '' });
  expect(detail.ok, JSON.stringify(detail)).toBe(true);
  const d = (detail.ok ? detail.value : null) as AlertDetail | null;
  expect(d?.reasonText).toBe('Demo: collapsed');
  expect(d?.patient.nhsNumber).toBe(nhsNumber);
  expect(d?.reads.some((x) => x.type === 'record-read')).toBe(true);
  expect(d?.attendance.checked).toBe(true);
  // The clinician's role has no review screens.
  as('gp');
  const refused = await ws.dispatcher.dispatch('review.queue', { filter: {}, page: 0 });
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const report = await ws.dispatcher.dispatch('review.report', {
    purpose: { code: 'direct-care-audit' },
    by: ['type'],
  });
  expect(report).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});
