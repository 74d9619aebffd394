/**
 * vpcd framing: frames split and merged arbitrarily by TCP come out whole and in order. And the link itself,
 * against a loopback stand-in for vpcd: answers, a card's stall faults, and an answer too long for a frame.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connectVpcd, FrameReader, frame, type VpcdCard } from '../../../../src-main/card/virtual/vpcd-link';
import type { CardReply } from '../../../../src-main/card/virtual/piv-card';

describe('vpcd frames', () => {
  it('prefixes the big-endian length', () => {
    expect(frame(Buffer.from([0x04])).toString('hex')).toBe('000104');
    expect(frame(Buffer.alloc(300)).subarray(0, 2).toString('hex')).toBe('012c');
  });

  it('reassembles any split of a stream of frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 400 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b) => frame(b)));
          const reader = new FrameReader();
          const out: Buffer[] = [];
          let i = 0;
          let k = 0;
          while (i < stream.length) {
            const n = cuts[k++ % cuts.length] as number;
            out.push(...reader.push(stream.subarray(i, i + n)));
            i += n;
          }
          expect(out.map((b) => b.toString('hex'))).toEqual(
            bodies.map((b) => Buffer.from(b).toString('hex')),
          );
        },
      ),
    );
  });

  it('holds back an incomplete frame', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from([0x00, 0x03, 0xaa]))).toEqual([]);
    expect(reader.push(Buffer.from([0xbb, 0xcc, 0x00]))).toEqual([Buffer.from([0xaa, 0xbb, 0xcc])]);
  });
});

/** A stand-in for vpcd on an ephemeral loopback port: sends APDU frames to the card, collects what comes back. */
async function fakeVpcd(): Promise<{ server: Server; port: number; card: Promise<Socket> }> {
  let accept: (s: Socket) => void = () => undefined;
  const card = new Promise<Socket>((r) => (accept = r));
  const server = createServer((s) => accept(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, card };
}

function stubCard(reply: (apdu: Uint8Array) => CardReply): VpcdCard {
  return {
    atr: () => Buffer.from('3b00', 'hex'),
    powerOn: () => undefined,
    powerOff: () => undefined,
    reset: () => undefined,
    transmit: () => Buffer.from('9000', 'hex'),
    reply,
  };
}

/** Sends one APDU frame and collects the bytes that come back within `ms`. */
async function exchange(s: Socket, apdu: Buffer, ms: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const onData = (d: Buffer) => chunks.push(d);
  s.on('data', onData);
  s.write(frame(apdu));
  await new Promise((r) => setTimeout(r, ms));
  s.off('data', onData);
  return Buffer.concat(chunks);
}

describe('the vpcd link', () => {
  const apdu = Buffer.from('00CB3FFF055C035FC10200', 'hex');

  it('sends the answer, nothing for a stalled card, and half a frame for the half-frame fault', async () => {
    const vpcd = await fakeVpcd();
    let mode: CardReply['kind'] = 'answer';
    const body = Buffer.from('53020102' + '9000', 'hex');
    const link = await connectVpcd(
      stubCard(() => (mode === 'silence' ? { kind: 'silence' } : { kind: mode, response: body })),
      { port: vpcd.port, timeoutMs: 2000 },
    );
    try {
      const s = await vpcd.card;
      expect(await exchange(s, apdu, 100)).toEqual(frame(body));
      mode = 'silence';
      expect((await exchange(s, apdu, 200)).length).toBe(0);
      mode = 'half-frame';
      const half = await exchange(s, apdu, 200);
      expect(half).toEqual(frame(body).subarray(0, 2 + (body.length >> 1)));
    } finally {
      await link.close();
      vpcd.server.close();
    }
  });

  it('answers 6F00 instead of crashing when an answer is too long for a frame', async () => {
    const vpcd = await fakeVpcd();
    const link = await connectVpcd(
      stubCard(() => ({ kind: 'answer', response: Buffer.alloc(70_000, 0x41) })),
      { port: vpcd.port, timeoutMs: 2000 },
    );
    try {
      const s = await vpcd.card;
      expect(await exchange(s, apdu, 100)).toEqual(frame(Buffer.from('6f00', 'hex')));
      expect(link.connected).toBe(true);
    } finally {
      await link.close();
      vpcd.server.close();
    }
  });
});
