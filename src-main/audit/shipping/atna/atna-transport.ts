/**
 * The ATNA transport (IHE ITI-20): RFC 5424 messages over RFC 5425 TLS with mutual authentication.
 *
 * TCP syslog has no application acknowledgement, and a socket write callback only means the bytes reached our
 * kernel: with TLS 1.3 a server that refuses our client certificate does so after we have "written", and a cut
 * link loses whatever sat in buffers. So each batch travels on its own connection and counts as sent only when,
 * after we close our side (close_notify + FIN), the server closes its side cleanly: TCP is ordered, so the server
 * has read every byte of the batch first (watched at the TCP layer, see observed-tcp.ts). A server that closes with
 * our data unread sends a reset instead; any
 * reset, early close, timeout or TLS error leaves the whole batch unconfirmed and it is sent again later
 * (at-least-once; the receiver can drop repeats by the event UUID in the structured data).
 *
 * A clean close alone is not enough: a server that refuses our client certificate checks it after the handshake
 * (rsyslog does) and may swallow what we sent before closing, which looks the same. So after the handshake we
 * send nothing for a short acceptance window (a few handshake times): a server that refuses us closes within it,
 * and the batch was never exposed.
 *
 * The batch's frames are then made a write-sized chunk at a time as the socket drains (FrameChunks), so neither
 * the 15 MB of frames of a full batch nor TLS's encrypted copy of them sit in memory at once; with two batches in
 * flight, the other connection carries data during this one's window.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { OutboxItem } from '../../types';
import type { Rejection, SendOutcome, Transport } from '../transport';
import {
  frameParts,
  syslogHeader,
  writeFrame,
  type FrameParts,
  type SyslogHeaderInfo,
} from './syslog-message';
import { readHeaderFieldsFromBytes } from '../audit-event-fields';
import { describeSocketError } from '../tls-errors';
import { connectObservedTcp } from './observed-tcp';

export interface AtnaTransportOptions {
  host: string;
  port: number;
  /** Checked against the server certificate; defaults to host. */
  serverName?: string;
  ca: Buffer | string;
  cert: Buffer | string;
  key: Buffer | string;
  /** HOSTNAME in every message: the workstation id. */
  workstationId: string;
  connectTimeoutMs?: number;
  /** A connection that makes no progress for this long is abandoned and its batch retried. */
  idleTimeoutMs?: number;
  /** Bounds of the post-handshake acceptance window (ms); within them it is 2 handshake times. */
  acceptanceWindowMs?: { min: number; max: number };
}

/** Reads the PEM files named in the configuration. */
export function atnaOptionsFromFiles(c: {
  host: string;
  port: number;
  serverName?: string | undefined;
  caFile: string;
  certFile: string;
  keyFile: string;
  workstationId: string;
}): AtnaTransportOptions {
  return {
    host: c.host,
    port: c.port,
    ...(c.serverName ? { serverName: c.serverName } : {}),
    ca: readFileSync(c.caFile),
    cert: readFileSync(c.certFile),
    key: readFileSync(c.keyFile),
    workstationId: c.workstationId,
  };
}

/** Frames are coalesced into writes of about this size (fewer TLS records and syscalls). */
const WRITE_CHUNK = 1024 * 1024;

/**
 * A batch's RFC 5425 frames, made one write-sized chunk at a time as the connection takes them (a 5,000-event batch
 * is 15 MB: formatting it all first would hold it all in memory). Frames are encoded straight into the chunk, the
 * stored JSON bytes copied as they are: no 3 KB strings built, decoded or re-encoded per event. An event that
 * cannot be formatted is refused for good.
 */
export class FrameChunks {
  /** Events whose frames were handed out, in order. */
  readonly seqs: number[] = [];
  readonly rejected: Rejection[] = [];
  private index = 0;
  /** A frame that did not fit in the last chunk: the first of the next. */
  private carried: { seq: number; parts: FrameParts } | null = null;

  constructor(
    private readonly items: readonly OutboxItem[],
    private readonly info: SyslogHeaderInfo,
    private readonly where: string,
    private readonly chunkSize = WRITE_CHUNK,
  ) {}

  /** The next chunk of whole frames, or null when every event has been handed out or refused. */
  next(): Buffer | null {
    let buf: Buffer | null = null;
    let off = 0;
    for (;;) {
      const frame = this.carried ?? this.nextFrame();
      this.carried = null;
      if (frame === null) break;
      if (buf === null) buf = Buffer.allocUnsafe(Math.max(this.chunkSize, frame.parts.size));
      else if (off + frame.parts.size > buf.length) {
        this.carried = frame;
        break;
      }
      off = writeFrame(buf, off, frame.parts);
      this.seqs.push(frame.seq);
    }
    return buf === null ? null : buf.subarray(0, off);
  }

  private nextFrame(): { seq: number; parts: FrameParts } | null {
    while (this.index < this.items.length) {
      const item = this.items[this.index++] as OutboxItem;
      try {
        const json = item.jsonBytes ?? Buffer.from(item.json, 'utf8');
        // The log stores what JSON.stringify wrote (always valid UTF-8); anything else was damaged on disk.
        if (!isUtf8(json)) throw new Error('queued event is not valid UTF-8');
        return {
          seq: item.seq,
          parts: frameParts(syslogHeader(item, readHeaderFieldsFromBytes(json), this.info), json),
        };
      } catch (e) {
        this.rejected.push({
          seq: item.seq,
          error: `${this.where}: event ${item.uuid}: ${(e as Error).message}`,
        });
      }
    }
    return null;
  }
}

export class AtnaTransport implements Transport {
  readonly name = 'atna' as const;
  private readonly where: string;
  private readonly procId = String(process.pid);

  constructor(private readonly o: AtnaTransportOptions) {
    this.where = `ATNA ${o.host}:${o.port}`;
  }

  async send(items: readonly OutboxItem[], signal: AbortSignal): Promise<SendOutcome> {
    if (items.length === 0) return { confirmed: [], rejected: [], retryError: null };
    const frames = new FrameChunks(
      items,
      { hostname: this.o.workstationId, procId: this.procId },
      this.where,
    );
    const failure = await this.deliver(frames, items.length, signal);
    if (failure === null) return { confirmed: frames.seqs, rejected: frames.rejected, retryError: null };
    // Events refused so far are reported; any others are found when the batch is sent again.
    return {
      confirmed: [],
      rejected: frames.rejected,
      retryError: failure.message,
      misconfigured: failure.misconfigured,
    };
  }

  /** One connection carrying the whole batch; resolves null when the server confirmed by closing cleanly. */
  private deliver(
    frames: FrameChunks,
    count: number,
    signal: AbortSignal,
  ): Promise<{ message: string; misconfigured: boolean } | null> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve({ message: `${this.where}: stopped before sending`, misconfigured: false });
        return;
      }
      let secured = false;
      let accepted = false;
      let acceptTimer: NodeJS.Timeout | null = null;
      const started = performance.now();
      let weEnded = false;
      let serverEnded = false;
      let failure: { message: string; misconfigured: boolean } | null = null;
      const fail = (message: string, misconfigured = false) => {
        failure ??= { message, misconfigured };
      };

      const tcp = connectObservedTcp(this.o.host, this.o.port);
      const socket = tls.connect({
        socket: tcp.duplex,
        servername: this.o.serverName ?? this.o.host,
        ca: this.o.ca,
        cert: this.o.cert,
        key: this.o.key,
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
      });
      socket.setTimeout(this.o.connectTimeoutMs ?? 10_000);

      const onAbort = () => {
        fail(`${this.where}: stopped while sending; ${count} events left for next time`);
        socket.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });

      socket.on('timeout', () => {
        fail(
          secured
            ? `${this.where}: no progress for ${this.o.idleTimeoutMs ?? 30_000} ms; ${count} events left unconfirmed`
            : `${this.where}: could not connect within ${this.o.connectTimeoutMs ?? 10_000} ms`,
        );
        socket.destroy();
      });
      const refused = (how: string) =>
        fail(
          `${this.where}: the server ${how} straight after the TLS handshake, before we sent anything: it does ` +
            'not accept our client certificate (check the certificate, its CA and the name the server permits)',
          true,
        );
      socket.on('error', (e) => {
        const d = describeSocketError(this.where, e, secured);
        if (secured && !accepted && !d.misconfigured) refused(`reset the connection (${d.message})`);
        else fail(d.message, d.misconfigured);
      });
      socket.on('data', () => {
        // A syslog receiver never sends application data; ignore it rather than buffer it.
      });
      socket.on('end', () => {
        serverEnded = true;
        if (secured && !accepted) refused('closed the connection');
        else if (!weEnded)
          fail(`${this.where}: the server closed the connection before the batch was complete`);
      });
      socket.on('secureConnect', () => {
        secured = true;
        socket.setTimeout(this.o.idleTimeoutMs ?? 30_000);
        const bounds = this.o.acceptanceWindowMs ?? { min: 50, max: 2_000 };
        const windowMs = Math.min(bounds.max, Math.max(bounds.min, 2 * (performance.now() - started)));
        acceptTimer = setTimeout(() => {
          acceptTimer = null;
          // Timers run before the event loop polls sockets: let a close that arrived meanwhile be read first.
          setImmediate(sendBatch);
        }, windowMs);
        const sendBatch = () => {
          if (failure || socket.destroyed || serverEnded) return;
          accepted = true;
          // Chunks are made as the socket drains, not all at once: neither the frames nor the TLS layer's
          // encrypted copy of them pile up in memory.
          const onWritten = (err?: Error | null) => {
            if (err) fail(describeSocketError(this.where, err, true).message);
          };
          const writeMore = () => {
            for (;;) {
              if (failure || socket.destroyed) return;
              const chunk = frames.next();
              if (chunk === null) break;
              if (!socket.write(chunk, onWritten)) {
                socket.once('drain', writeMore);
                return;
              }
            }
            weEnded = true;
            socket.end();
          };
          writeMore();
        };
      });
      socket.on('close', (hadError) => {
        signal.removeEventListener('abort', onAbort);
        if (acceptTimer) clearTimeout(acceptTimer);
        tcp.destroy();
        // The TCP layer's view decides: a reset is never a confirmation, however TLS reported it.
        const tcpError = tcp.error();
        if (tcpError) {
          const d = describeSocketError(this.where, tcpError, secured);
          if (secured && !accepted && !d.misconfigured) refused(`reset the connection (${d.message})`);
          else fail(d.message, d.misconfigured);
        } else if (!tcp.ended()) {
          fail(
            `${this.where}: the connection ended without the server's FIN; ${count} events left unconfirmed`,
          );
        }
        if (!failure && (hadError || !secured || !serverEnded)) {
          fail(`${this.where}: the connection closed without the server confirming the batch`);
        }
        resolve(failure);
      });
    });
  }

  async close(): Promise<void> {
    // Connections live only for one batch; nothing stays open.
  }
}
