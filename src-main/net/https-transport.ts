/**
 * The HttpTransport over HTTPS for one remote service: mutual TLS (the service's CA, the workstation's client
 * certificate and key), a kept-alive connection pool, a connect deadline and a whole-request deadline, a size cap
 * enforced while the answer streams in, and cancellation by AbortSignal. Failures are `TransportError`s that say
 * what went wrong in terms a caller can turn into words (never the library's own text).
 */
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-types';

export type TransportFailure =
  /** No connection within the connect deadline. */
  | 'connect-timeout'
  /** No whole answer within the request deadline. */
  | 'timeout'
  /** Refused, reset, or the connection dropped mid-answer. */
  | 'connection'
  /** The server's certificate did not verify, or it refused ours. */
  | 'tls'
  /** The answer was larger than the cap. */
  | 'too-large'
  /** Cancelled by the caller's signal (lock, patient change, sign-out). */
  | 'aborted';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly failure: TransportFailure,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

export interface HttpsTransportOptions {
  /** PEM of the CA(s) the server's certificate must chain to. */
  ca: string | Buffer;
  /** The workstation's client certificate and key (mutual TLS), PEM. */
  cert?: string | Buffer;
  key?: string | Buffer;
  connectTimeoutMs: number;
  timeoutMs: number;
  maxBytes: number;
}

export interface HttpsTransport {
  send: HttpTransport;
  /** Closes the kept-alive connections. */
  close(): void;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
]);

function classify(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
  if (
    typeof code === 'string' &&
    (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
  )
    return new TransportError('tls', text, { cause: err });
  return new TransportError('connection', text, { cause: err });
}

function headersOf(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export function createHttpsTransport(options: HttpsTransportOptions): HttpsTransport {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 8,
    ca: options.ca,
    ...(options.cert ? { cert: options.cert } : {}),
    ...(options.key ? { key: options.key } : {}),
    minVersion: 'TLSv1.2',
  });

  const send: HttpTransport = (req: HttpRequest) =>
    new Promise<HttpResponse>((resolve, reject) => {
      if (req.signal?.aborted) {
        reject(new TransportError('aborted', 'cancelled before it was sent'));
        return;
      }
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        req.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (e: TransportError) => {
        finish(() => reject(e));
        outgoing.destroy(e);
      };
      const onAbort = () => fail(new TransportError('aborted', 'cancelled'));

      const url = new URL(req.url);
      const outgoing = request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: req.method,
          headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.byteLength) } : {}) },
          agent,
        },
        (res) => {
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > options.maxBytes) {
            fail(new TransportError('too-large', `${declared} bytes declared`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBytes) {
              fail(new TransportError('too-large', `more than ${options.maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('aborted', () => fail(new TransportError('connection', 'the answer was cut off')));
          res.on('error', (e) => fail(classify(e)));
          res.on('end', () => {
            if (!res.complete) {
              fail(new TransportError('connection', 'the answer was cut off'));
              return;
            }
            finish(() =>
              resolve({ status: res.statusCode ?? 0, headers: headersOf(res), body: Buffer.concat(chunks) }),
            );
          });
        },
      );
      outgoing.on('error', (e) => fail(classify(e)));
      outgoing.on('socket', (socket) => {
        // A reused kept-alive socket is already connected; a new one must connect within the connect deadline.
        if (!socket.connecting) return;
        const t = setTimeout(
          () =>
            fail(
              new TransportError('connect-timeout', `no connection within ${options.connectTimeoutMs} ms`),
            ),
          options.connectTimeoutMs,
        );
        timers.push(t);
        socket.once('secureConnect', () => clearTimeout(t));
      });
      timers.push(
        setTimeout(
          () => fail(new TransportError('timeout', `no whole answer within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        ),
      );
      req.signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.end(req.body ? Buffer.from(req.body) : undefined);
    });

  return { send, close: () => agent.destroy() };
}
