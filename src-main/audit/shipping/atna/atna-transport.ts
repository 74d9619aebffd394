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
 * and the batch was never exposed. The batch is formatted during the window, so it costs little time.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { OutboxItem } from '../../types';
import type { Rejection, SendOutcome, Transport } from '../transport';
import { frameParts, syslogHeader, writeFrame, type FrameParts } from './syslog-message';
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

interface FormattedBatch {
  chunks: Buffer[];
  seqs: number[];
  rejected: Rejection[];
}

/** Frames are coalesced into writes of about this size (fewer TLS records and syscalls). */
const WRITE_CHUNK = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export class AtnaTransport implements Transport {
  readonly name = 'atna' as const;
  private readonly where: string;
  private readonly procId = String(process.pid);

  constructor(private readonly o: AtnaTransportOptions) {
    this.where = `ATNA ${o.host}:${o.port}`;
  }

  async send(items: readonly OutboxItem[], signal: AbortSignal): Promise<SendOutcome> {
    if (items.length === 0) return { confirmed: [], rejected: [], retryError: null };
    let batch: FormattedBatch | null = null;
    // Formatting runs inside the acceptance window (see deliver), where the connection would idle anyway.
    const format = (): FormattedBatch => (batch ??= this.format(items));
    const failure = await this.deliver(format, items.length, signal);
    const done = format();
    if (failure === null) return { confirmed: done.seqs, rejected: done.rejected, retryError: null };
    return {
      confirmed: [],
      rejected: done.rejected,
      retryError: failure.message,
      misconfigured: failure.misconfigured,
    };
  }

  /** RFC 5425 frames of the batch in write-sized chunks; an event that cannot be formatted is refused for good. */
  private format(items: readonly OutboxItem[]): FormattedBatch {
    const rejected: Rejection[] = [];
    const seqs: number[] = [];
    const chunks: Buffer[] = [];
    const info = { hostname: this.o.workstationId, procId: this.procId };
    // Frames are encoded straight into chunk buffers, the stored JSON bytes copied as they are: no 3 KB strings
    // built, decoded or re-encoded per event on a 150 MB backlog.
    let buf = Buffer.allocUnsafe(WRITE_CHUNK);
    let off = 0;
    for (const item of items) {
      let parts: FrameParts;
      try {
        const json = item.jsonBytes ?? Buffer.from(item.json, 'utf8');
        // The log stores what JSON.stringify wrote (always valid UTF-8); anything else was damaged on disk.
        if (!isUtf8(json)) throw new Error('queued event is not valid UTF-8');
        parts = frameParts(syslogHeader(item, readHeaderFieldsFromBytes(json), info), json);
      } catch (e) {
        rejected.push({ seq: item.seq, error: `${this.where}: event ${item.uuid}: ${(e as Error).message}` });
        continue;
      }
      if (off + parts.size > buf.length) {
        if (off > 0) chunks.push(buf.subarray(0, off));
        buf = Buffer.allocUnsafe(Math.max(WRITE_CHUNK, parts.size));
        off = 0;
      }
      off = writeFrame(buf, off, parts);
      seqs.push(item.seq);
    }
    if (off > 0) chunks.push(buf.subarray(0, off));
    return { chunks, seqs, rejected };
  }

  /** One connection carrying the whole batch; resolves null when the server confirmed by closing cleanly. */
  private deliver(
    format: () => FormattedBatch,
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
        const { chunks } = format();
        const sendBatch = () => {
          if (failure || socket.destroyed || serverEnded) return;
          accepted = true;
          // Written as the socket drains, not all at once: the TLS layer would otherwise hold the whole batch
          // encrypted in memory next to the frames. Each chunk is let go once handed over.
          let next = 0;
          const onWritten = (err?: Error | null) => {
            if (err) fail(describeSocketError(this.where, err, true).message);
          };
          const writeMore = () => {
            while (next < chunks.length) {
              if (failure || socket.destroyed) return;
              const chunk = chunks[next] as Buffer;
              chunks[next++] = EMPTY;
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
