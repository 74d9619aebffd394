/**
 * Plugs a virtual card into vsmartcard's vpcd reader driver over TCP (the card is the client, vpcd listens).
 *
 * Wire format: each frame is a 2-byte big-endian length and a body. A 1-byte body from vpcd is a control
 * message (00 power off, 01 power on, 02 reset, 04 send ATR); any longer body is a command APDU, answered with
 * card.transmit. Closing the connection is the card leaving the reader.
 *
 * While not closed, a dropped connection (pcscd restarted) is retried every retryMs, so the card comes back
 * as a re-insertion.
 */
import { connect, type Socket } from 'node:net';
import type { CardReply, VirtualPivCard } from './piv-card';

export interface VpcdLinkOptions {
  host?: string;
  port: number;
  /** Delay between connection attempts while vpcd is not listening (default 100 ms). */
  retryMs?: number;
  /** Give up (reject, stop retrying) if the first connection is not up within this time; default: wait forever. */
  timeoutMs?: number;
  /** Aborting before the first connection rejects and stops retrying; after it, pulls the card out. */
  signal?: AbortSignal;
}

export interface VpcdLink {
  readonly host: string;
  readonly port: number;
  /** True while a connection to vpcd is open (the card is in the reader). */
  readonly connected: boolean;
  /** Resolves once the card is connected (at once if it is). */
  whenConnected(): Promise<void>;
  /** Pulls the card out: closes the connection and stops reconnecting. */
  close(): Promise<void>;
}

/** Minimal card surface the link needs (VirtualPivCard satisfies it); `reply` lets a card hold an answer back. */
export type VpcdCard = Pick<VirtualPivCard, 'atr' | 'powerOn' | 'powerOff' | 'reset' | 'transmit'> &
  Partial<Pick<VirtualPivCard, 'reply'>>;

const CTRL_OFF = 0x00;
const CTRL_ON = 0x01;
const CTRL_RESET = 0x02;
const CTRL_ATR = 0x04;
const NO_DIAGNOSIS = Buffer.from([0x6f, 0x00]);
/** A frame's length field is two bytes. */
const MAX_FRAME_BODY = 0xffff;

/** Accumulates stream bytes and yields complete frames (handles frames split or merged by TCP). */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Buffer[] = [];
    while (this.buf.length >= 2) {
      const len = this.buf.readUInt16BE(0);
      if (this.buf.length < 2 + len) break;
      frames.push(Buffer.from(this.buf.subarray(2, 2 + len)));
      this.buf = this.buf.subarray(2 + len);
    }
    return frames;
  }
}

/** Length-prefixed frame, built as one buffer so it leaves in one write. */
export function frame(body: Uint8Array): Buffer {
  if (body.length > MAX_FRAME_BODY) throw new RangeError('vpcd frame too long');
  const out = Buffer.alloc(2 + body.length);
  out.writeUInt16BE(body.length, 0);
  out.set(body, 2);
  return out;
}

/** Connects `card` to vpcd; resolves once the first connection is up. */
export function connectVpcd(card: VpcdCard, opts: VpcdLinkOptions): Promise<VpcdLink> {
  const host = opts.host ?? '127.0.0.1';
  const retryMs = opts.retryMs ?? 100;
  let socket: Socket | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let waiters: Array<() => void> = [];

  const handle = (s: Socket, body: Buffer) => {
    if (body.length === 1) {
      switch (body[0]) {
        case CTRL_OFF:
          card.powerOff();
          return;
        case CTRL_ON:
          card.powerOn();
          return;
        case CTRL_RESET:
          card.reset();
          return;
        case CTRL_ATR:
          s.write(frame(card.atr()));
          return;
        default:
          // Unknown control byte: vpcd expects no answer; ignore it rather than desynchronise the stream.
          return;
      }
    }
    let reply: CardReply;
    try {
      reply = card.reply ? card.reply(body) : { kind: 'answer', response: card.transmit(body) };
    } catch {
      // A card fault must not take the link down: answer "no precise diagnosis" as a card would.
      reply = { kind: 'answer', response: NO_DIAGNOSIS };
    }
    if (reply.kind === 'silence') return;
    // An answer too long for a frame cannot be sent; a card would answer "no precise diagnosis".
    const whole = reply.response.length <= MAX_FRAME_BODY ? frame(reply.response) : frame(NO_DIAGNOSIS);
    s.write(reply.kind === 'half-frame' ? whole.subarray(0, 2 + ((whole.length - 2) >> 1)) : whole);
  };

  const attempt = () => {
    retryTimer = null;
    if (closed) return;
    const s = connect({ host, port: opts.port });
    s.setNoDelay(true);
    const reader = new FrameReader();
    let opened = false;
    s.on('connect', () => {
      opened = true;
      socket = s;
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    });
    s.on('data', (chunk: Buffer) => {
      for (const body of reader.push(chunk)) handle(s, body);
    });
    s.on('error', () => {
      // 'close' follows and decides about retrying.
    });
    s.on('close', () => {
      if (socket === s) socket = null;
      if (opened) card.powerOff();
      if (!closed) retryTimer = setTimeout(attempt, retryMs);
    });
  };

  const link: VpcdLink = {
    host,
    port: opts.port,
    get connected() {
      return socket !== null;
    },
    whenConnected: () => (socket ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    close: async () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const s = socket;
      socket = null;
      if (s && !s.destroyed) {
        await new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          s.end();
          // A peer that never acknowledges the FIN must not hold the caller.
          setTimeout(() => s.destroy(), 500).unref();
        });
      }
      card.powerOff();
    },
  };

  const timeoutMs = opts.timeoutMs;
  const signal = opts.signal;
  return new Promise<VpcdLink>((resolve, reject) => {
    const giveUp = (err: Error) => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void link.close();
      reject(err);
    };
    const onAbort = () => giveUp(new Error('vpcd connection aborted'));
    const timer =
      timeoutMs === undefined
        ? null
        : setTimeout(
            () =>
              giveUp(
                new Error(
                  `vpcd at ${host}:${opts.port} did not accept the card within ${timeoutMs} ms (is pcscd with vpcd running?)`,
                ),
              ),
            timeoutMs,
          );
    if (signal?.aborted) return giveUp(new Error('vpcd connection aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    void link.whenConnected().then(() => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal) signal.addEventListener('abort', () => void link.close(), { once: true });
      if (!closed) resolve(link);
    });
    attempt();
  });
}
