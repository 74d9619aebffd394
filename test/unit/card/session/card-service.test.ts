/**
 * The card service state machine over the embedded transport and the virtual card (no pcscd): the order of
 * lock notifications, audit-before-session, SessionPort.verifyPin, and the guards on PIN and role requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensureCa, issueCard, type CaBundle } from '../../../../src-main/card/issue/index';
import { VirtualPivCard } from '../../../../src-main/card/virtual/piv-card';
import {
  createEmbeddedTransport,
  type EmbeddedCard,
} from '../../../../src-main/card/transport/embedded-transport';
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { createCardService, type CardService } from '../../../../src-main/card/session/card-service';
import { createCardTrust } from '../../../../src-main/card/signin/trust';
import { createEventBus } from '../../../../src-main/services/event-bus';
import { createMemoryLogger } from '../../../../src-main/services/logger';
import { AuditUnavailableError, type AuditEntry } from '../../../../src-main/audit/types';
import type { SessionView } from '../../../../src-shared/domain/session';
import type { CardProfile } from '../../../../src-main/card/virtual/profile';
import { sampleRole } from '../../../support/card/sample-role';

let dir: string;
let ca: CaBundle;
let profile: CardProfile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steth-card-unit-session-'));
  ca = await ensureCa(dir);
  profile = await issueCard(ca, {
    displayName: 'Dr Unit Test',
    userId: '555000000902',
    pin: '123456',
    roles: [sampleRole('555000000902')],
  });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function rig(opts: { failAudit?: () => boolean } = {}) {
  const transport = createEmbeddedTransport();
  const events = createEventBus();
  const order: string[] = [];
  const entries: AuditEntry[] = [];
  const views: SessionView[] = [];
  events.on('sessionChanged', (v) => {
    views.push(v);
    order.push(`view:${v.state}`);
  });
  const service: CardService = createCardService({
    transport,
    trust: createCardTrust({ anchorsPem: ca.trustPems, crlsDer: [] }),
    audit: {
      record(e) {
        if (opts.failAudit?.()) throw new AuditUnavailableError('disk full');
        entries.push(e);
        order.push(`audit:${e.kind}`);
        return { seq: entries.length, uuid: randomUUID() };
      },
    },
    events,
    log: createMemoryLogger(),
    workstationId: 'WS-UNIT',
    idleLockMinutes: 15,
  });
  service.onChange((c) => order.push(`change:${c}`));
  const until = (state: SessionView['state']) =>
    new Promise<SessionView>((resolve) => {
      const off = events.on('sessionChanged', (v) => {
        if (v.state === state) {
          off();
          resolve(v);
        }
      });
    });
  return { transport, service, order, entries, views, until, events };
}

describe('card service (embedded transport)', () => {
  it('on removal: session listeners first, then the renderer view, then the audit entry — all before remove() returns', async () => {
    const r = rig();
    await r.service.start();
    const asked = r.until('pin-required');
    r.transport.insert(new VirtualPivCard(profile));
    await asked;
    await r.service.submitPin('123456');
    r.order.length = 0;
    r.transport.remove();
    expect(r.order).toEqual(['change:locked', 'view:locked', 'audit:session-locked']);
    expect(r.service.current()).toBeNull();
  });

  /** Signs in, takes the card out and puts it back, until the lock screen asks for the PIN again. */
  async function lockedWithCardBack(r: ReturnType<typeof rig>) {
    await r.service.start();
    const asked = r.until('pin-required');
    r.transport.insert(new VirtualPivCard(profile));
    await asked;
    await r.service.submitPin('123456');
    r.transport.remove();
    const asksAgain = new Promise<void>((resolve) => {
      const off = r.events.on('sessionChanged', (v) => {
        if (v.state !== 'locked' || !v.cardPresent) return;
        off();
        resolve();
      });
    });
    r.transport.insert(new VirtualPivCard(profile));
    await asksAgain;
  }

  it('on unlock the signed-in view goes out before the unlock is written, and the PIN is answered only after it is', async () => {
    const r = rig();
    await lockedWithCardBack(r);
    r.order.length = 0;
    let auditedInTheViewsTask: string[] | null = null;
    const off = r.events.on('sessionChanged', (v) => {
      if (v.state !== 'signed-in') return;
      off();
      // Runs once the task that emitted the view (and its microtasks queued so far) is done.
      queueMicrotask(() => {
        auditedInTheViewsTask = r.order.filter((x) => x.startsWith('audit:'));
      });
    });
    const back = await r.service.submitPin('123456');
    expect(back.state).toBe('signed-in');
    expect(auditedInTheViewsTask).toEqual([]);
    expect(r.order).toEqual(['change:unlocked', 'view:signed-in', 'audit:session-unlocked']);
  });

  it('a removal right after the unlock view is audited after the unlock, in the order they happened', async () => {
    const r = rig();
    await lockedWithCardBack(r);
    const mark = r.entries.length;
    const off = r.events.on('sessionChanged', (v) => {
      if (v.state !== 'signed-in') return;
      off();
      r.transport.remove();
    });
    await r.service.submitPin('123456');
    expect(r.entries.slice(mark).map((e) => e.kind)).toEqual(['session-unlocked', 'session-locked']);
    expect(r.service.current()).toBeNull();
  });

  it('opens no session when the login cannot be audited', async () => {
    let failing = true;
    const r = rig({ failAudit: () => failing });
    await r.service.start();
    const asked = r.until('pin-required');
    r.transport.insert(new VirtualPivCard(profile));
    await asked;
    await expect(r.service.submitPin('123456')).rejects.toMatchObject({ kind: 'audit-unavailable' });
    expect(r.service.current()).toBeNull();
    expect(r.service.view().state).toBe('pin-required');
    failing = false;
    expect((await r.service.submitPin('123456')).state).toBe('signed-in');
  });

  it('verifyPin checks the PIN on the session card; a non-PIN spends no try', async () => {
    const r = rig();
    await r.service.start();
    expect(await r.service.verifyPin('123456')).toEqual({ ok: false, reason: 'card-removed' });
    const card = new VirtualPivCard(profile);
    const asked = r.until('pin-required');
    r.transport.insert(card);
    await asked;
    await r.service.submitPin('123456');
    expect(await r.service.verifyPin('123456')).toEqual({ ok: true });
    expect(await r.service.verifyPin('12ab')).toEqual({ ok: false, reason: 'wrong-pin', triesLeft: 3 });
    expect(card.pinTriesLeft()).toBe(3);
    expect(await r.service.verifyPin('000000')).toEqual({ ok: false, reason: 'wrong-pin', triesLeft: 2 });
    r.transport.remove();
    expect(await r.service.verifyPin('123456')).toEqual({ ok: false, reason: 'card-removed' });
  });

  it('refuses PIN and role requests when nothing is waiting for them', async () => {
    const r = rig();
    await r.service.start();
    expect(r.service.view().state).toBe('awaiting-card');
    await expect(r.service.submitPin('123456')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(r.service.selectRole('x')).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('the user token: signed by the session card, refused while locked or signed out, signed afresh after unlock', async () => {
    const r = rig();
    await r.service.start();
    const aud = 'https://sandbox.stethoscope.invalid/shared-care/FHIR/R4';
    await expect(r.service.token(aud)).rejects.toMatchObject({ reason: 'signed-out' });
    const card = new VirtualPivCard(profile);
    let signings = 0;
    const counting: EmbeddedCard = {
      atr: () => card.atr(),
      powerOn: () => card.powerOn(),
      powerOff: () => card.powerOff(),
      reset: () => card.reset(),
      transmit: (apdu) => {
        if (apdu[1] === 0x87) signings++;
        return card.transmit(apdu);
      },
    };
    const asked = r.until('pin-required');
    r.transport.insert(counting);
    await asked;
    await r.service.submitPin('123456');
    const afterSignIn = signings;

    const token = await r.service.token(aud);
    const pemOf = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----`;
    const x5c = decodeProtectedHeader(token).x5c as string[];
    const { payload } = await jwtVerify(token, await importX509(pemOf(x5c[0] as string), 'ES256'), {
      audience: aud,
      issuer: 'WS-UNIT',
    });
    expect(payload).toMatchObject({ sub: '555000000902', urid: '555000000902-01', org: 'C81007' });
    expect(signings).toBe(afterSignIn + 1);
    expect(await r.service.token(aud)).toBe(token);
    expect(signings).toBe(afterSignIn + 1);

    // Removal locks: no token, and the cached one is gone.
    r.transport.remove();
    await expect(r.service.token(aud)).rejects.toMatchObject({
      name: 'TokenUnavailableError',
      reason: 'locked',
    });
    const back = r.until('locked');
    r.transport.insert(counting);
    await back;
    await expect(r.service.token(aud)).rejects.toMatchObject({ reason: 'locked' });
    expect((await r.service.submitPin('123456')).state).toBe('signed-in');
    const beforeAgain = signings;
    const again = await r.service.token(aud);
    expect(again).not.toBe(token);
    expect(decodeJwt(again).jti).not.toBe(decodeJwt(token).jti);
    expect(signings).toBe(beforeAgain + 1);

    await r.service.signOut();
    await expect(r.service.token(aud)).rejects.toMatchObject({ reason: 'signed-out' });
  });
});
