/**
 * The PC/SC transport over a real private pcscd + vpcd with virtual cards: two readers, insert/remove events,
 * PIV reads with response chaining over T=1, a card pulled in the middle of a command, a swap hidden from a
 * stalled app (caught by the event counter), and recovery after pcscd restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startCardStack, type CardStack } from './support/stack';
import { eventLog, type EventLog } from './support/events';
import { startCardHost, stallUntilFileExists, type CardHost } from './support/card-host-client';
import type { CardTransport, TransportEvent } from '../../../src-main/card/transport/types';
import { CardRemovedError } from '../../../src-main/card/transport/types';
import { cardCapabilities } from '../../../src-main/card/piv/atr';
import { PivClient } from '../../../src-main/card/piv/client';
import { VirtualPivCard } from '../../../src-main/card/virtual/piv-card';
import { connectVpcd, type VpcdLink } from '../../../src-main/card/virtual/vpcd-link';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { isCertificateRead, watchedCard } from '../../support/card/watched-card';
import type { CardProfile } from '../../../src-main/card/virtual/profile';

let stack: CardStack;
let transport: CardTransport;
let log: EventLog<TransportEvent>;
let profileA: CardProfile;
let profileB: CardProfile;

const describeEvent = (e: TransportEvent) =>
  e.type === 'card-inserted' || e.type === 'card-removed'
    ? `${e.type}@${e.reader}#${e.eventCounter}`
    : e.type;

beforeAll(async () => {
  stack = await startCardStack('transport', 40063, 2);
  const { createPcscTransport } = await import('../../../src-main/card/transport/pcsc-transport');
  transport = createPcscTransport({
    log: createMemoryLogger(),
    backoff: { initialMs: 50, maxMs: 400, factor: 2 },
  });
  log = eventLog(describeEvent);
  transport.onEvent((e) => log.push(e));
  await transport.start();
  profileA = await stack.issue();
  profileB = await stack.issue();
});

afterAll(async () => {
  await transport?.close();
  await stack?.stop();
});

const inserted = (reader: string) => (e: TransportEvent) => e.type === 'card-inserted' && e.reader === reader;
const removed = (reader: string) => (e: TransportEvent) => e.type === 'card-removed' && e.reader === reader;

describe('pcsc transport', () => {
  it('discovers both vpcd readers, empty', () => {
    const names = transport.readers().map((r) => r.name);
    expect(names).toEqual(stack.pcscd.readerNames);
    expect(transport.readers().every((r) => !r.cardPresent)).toBe(true);
    expect(transport.available()).toBe(true);
  });

  it('reports insertion with the ATR, reads PIV objects with chaining, and reports removal', async () => {
    const reader = stack.pcscd.readerNames[0]!;
    const mark = log.mark();
    await stack.insert(profileA, 0);
    const ins = await log.next(inserted(reader), 10_000, mark);
    expect(ins.type === 'card-inserted' && ins.atr.toString('hex')).toBe(profileA.atr);
    const conn = await transport.connect(reader);
    const piv = new PivClient((a) => conn.transmit(a));
    await piv.selectPiv();
    expect((await piv.readChuid()).guidHex).toBe(profileA.cardGuid);
    expect((await piv.readAuthCertificate()).toString('base64')).toBe(profileA.authCertDer);
    const mark2 = log.mark();
    await stack.remove(0);
    const rem = await log.next(removed(reader), 10_000, mark2);
    expect(rem.type === 'card-removed' && ins.type === 'card-inserted' && rem.eventCounter).not.toBe(
      ins.type === 'card-inserted' ? ins.eventCounter : -1,
    );
    await expect(piv.selectPiv()).rejects.toThrow(CardRemovedError);
  });

  it('reads each PIV object in one extended-length answer when the ATR announces it, through real pcscd', async () => {
    const reader = stack.pcscd.readerNames[0]!;
    const sent: Buffer[] = [];
    const recording = watchedCard(new VirtualPivCard(profileA), (apdu) => sent.push(apdu));
    const mark = log.mark();
    const link = await connectVpcd(recording, { port: stack.pcscd.vpcdPorts[0]!, timeoutMs: 5000 });
    try {
      const ins = await log.next(inserted(reader), 10_000, mark);
      if (ins.type !== 'card-inserted') throw new Error('expected an insertion');
      expect(cardCapabilities(ins.atr).extendedLength).toBe(true);
      const conn = await transport.connect(reader);
      const piv = new PivClient((a) => conn.transmit(a), cardCapabilities(conn.atr));
      await piv.selectPiv();
      sent.length = 0;
      expect((await piv.readChuid()).guidHex).toBe(profileA.cardGuid);
      expect((await piv.readAuthCertificate()).toString('base64')).toBe(profileA.authCertDer);
      expect((await piv.readCareRoles())?.toString('base64')).toBe(profileA.rolesCmsDer);
      // Three GET DATA commands in the extended form (Lc 00 00 05), and no GET RESPONSE at all.
      expect(sent.map((a) => a.subarray(0, 7).toString('hex'))).toEqual(Array(3).fill('00cb3fff000005'));
    } finally {
      await link.close();
      await log.next(removed(reader), 10_000, mark);
    }
  });

  it('treats a card pulled in the middle of a command as removed, not as a bad answer', async () => {
    const reader = stack.pcscd.readerNames[0]!;
    let link: VpcdLink | null = null;
    // The card leaves while answering GET DATA for the certificate.
    const leaving = watchedCard(new VirtualPivCard(profileA), (apdu) => {
      if (isCertificateRead(apdu)) void link?.close();
    });
    const mark = log.mark();
    link = await connectVpcd(leaving, { port: stack.pcscd.vpcdPorts[0]!, timeoutMs: 5000 });
    await log.next(inserted(reader), 10_000, mark);
    const conn = await transport.connect(reader);
    const piv = new PivClient((a) => conn.transmit(a));
    await piv.selectPiv();
    await piv.readChuid();
    await expect(piv.readAuthCertificate()).rejects.toThrow(CardRemovedError);
    await log.next(removed(reader), 10_000, mark);
  });

  it('handles two readers independently', async () => {
    const [r0, r1] = stack.pcscd.readerNames as [string, string];
    const mark = log.mark();
    await stack.insert(profileA, 0);
    await stack.insert(profileB, 1);
    await log.next(inserted(r0), 10_000, mark);
    await log.next(inserted(r1), 10_000, mark);
    const c0 = await transport.connect(r0);
    const c1 = await transport.connect(r1);
    const p0 = new PivClient((a) => c0.transmit(a));
    await p0.selectPiv();
    const g0 = (await p0.readChuid()).guidHex;
    const p1 = new PivClient((a) => c1.transmit(a));
    await p1.selectPiv();
    expect(g0).toBe(profileA.cardGuid);
    expect((await p1.readChuid()).guidHex).toBe(profileB.cardGuid);
    const mark2 = log.mark();
    await stack.remove(0);
    await log.next(removed(r0), 10_000, mark2);
    // The other reader's card is untouched.
    await p1.selectPiv();
    expect(transport.readers().find((r) => r.name === r1)?.cardPresent).toBe(true);
    await stack.remove(1);
    await log.next(removed(r1), 10_000, mark2);
  });

  it('catches a swap that happened while the app was stalled, by the event counter', async () => {
    const reader = stack.pcscd.readerNames[0]!;
    const host: CardHost = await startCardHost(stack.pcscd.socketPath);
    try {
      const fileA = join(stack.tmp, 'a.json');
      const fileB = join(stack.tmp, 'b.json');
      writeFileSync(fileA, JSON.stringify(profileA));
      writeFileSync(fileB, JSON.stringify(profileB));
      const mark = log.mark();
      await host.send({ cmd: 'insert', port: stack.pcscd.vpcdPorts[0], profileFile: fileA });
      const first = await log.next(inserted(reader), 10_000, mark);
      const mark2 = log.mark();
      const done = join(stack.tmp, 'swap-done');
      host.post({ cmd: 'swap', port: stack.pcscd.vpcdPorts[0], reader, profileFile: fileB, doneFile: done });
      stallUntilFileExists(done, 15_000);
      // Back in the event loop: the binding delivers only the latest status (present, counter moved by 2).
      const gone = await log.next(removed(reader), 10_000, mark2);
      const again = await log.next(inserted(reader), 10_000, mark2);
      const c0 = first.type === 'card-inserted' ? first.eventCounter : -1;
      expect(gone.type === 'card-removed' && gone.eventCounter).toBe(c0 + 2);
      expect(again.type === 'card-inserted' && again.eventCounter).toBe(c0 + 2);
      const between = log.seen
        .slice(mark2)
        .filter((e) => e.type === 'card-inserted' || e.type === 'card-removed');
      expect(between.map(describeEvent)).toEqual([
        `card-removed@${reader}#${c0 + 2}`,
        `card-inserted@${reader}#${c0 + 2}`,
      ]);
      const mark3 = log.mark();
      await host.send({ cmd: 'remove', port: stack.pcscd.vpcdPorts[0] });
      await log.next(removed(reader), 10_000, mark3);
    } finally {
      await host.stop();
    }
  });

  it('recovers when pcscd restarts: removal first, unavailable, then readers and the card again', async () => {
    const reader = stack.pcscd.readerNames[0]!;
    const mark = log.mark();
    await stack.insert(profileA, 0);
    await log.next(inserted(reader), 10_000, mark);
    const mark2 = log.mark();
    await stack.pcscd.restart();
    await log.next(removed(reader), 10_000, mark2);
    await log.next((e) => e.type === 'unavailable', 10_000, mark2);
    await log.next((e) => e.type === 'available', 15_000, mark2);
    // The vpcd link reconnects by itself once the new vpcd listens: the card comes back as an insertion.
    await log.next(inserted(reader), 15_000, mark2);
    expect(transport.readers().map((r) => r.name)).toEqual(stack.pcscd.readerNames);
    const conn = await transport.connect(reader);
    const piv = new PivClient((a) => conn.transmit(a));
    await piv.selectPiv();
    expect((await piv.readChuid()).guidHex).toBe(profileA.cardGuid);
    await stack.remove(0);
  });
});
