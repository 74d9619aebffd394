/**
 * A TCP connection handed to TLS through a plain Duplex, so we see what the TCP layer itself reports. Node's TLS
 * socket, when it owns the TCP handle, reports a reset that arrives after our own FIN as an ordinary end; for
 * "the server closed cleanly after reading the batch" we must tell a FIN from a reset (RST), so we watch the
 * raw socket and keep its first error.
 */
import net from 'node:net';
import { Duplex } from 'node:stream';

export interface ObservedTcp {
  /** Give this to tls.connect({ socket }). */
  readonly duplex: Duplex;
  /** The first error the TCP socket reported (ECONNRESET, ECONNREFUSED, …), or null. */
  error(): Error | null;
  /** True once the peer's FIN arrived (an orderly end of its stream). */
  ended(): boolean;
  destroy(): void;
}

export function connectObservedTcp(host: string, port: number): ObservedTcp {
  const raw = net.connect({ host, port });
  raw.setNoDelay(true);
  let firstError: Error | null = null;
  let gotFin = false;
  // Hand the TLS layer's writes to the socket in bulk and only wait when the socket's buffer is full.
  const flushed = (cb: (err?: Error | null) => void, ok: boolean) => {
    if (ok) cb();
    else raw.once('drain', () => cb());
  };
  const duplex = new Duplex({
    highWaterMark: 1 << 20,
    read() {
      raw.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      flushed(cb, raw.write(chunk));
    },
    writev(chunks, cb) {
      raw.cork();
      let ok = true;
      for (const c of chunks) ok = raw.write(c.chunk as Buffer);
      raw.uncork();
      flushed(cb, ok);
    },
    final(cb) {
      // The socket may already be finished (the peer reset it); final must not fail for that.
      if (!raw.writableEnded) raw.end();
      cb();
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  raw.on('data', (d: Buffer) => {
    if (!duplex.push(d)) raw.pause();
  });
  raw.on('end', () => {
    gotFin = true;
    duplex.push(null);
  });
  raw.on('error', (e) => {
    firstError ??= e;
    duplex.destroy(e);
  });
  raw.on('close', () => {
    if (!duplex.destroyed) duplex.destroy();
  });
  return {
    duplex,
    error: () => firstError,
    ended: () => gotFin,
    destroy: () => raw.destroy(),
  };
}
