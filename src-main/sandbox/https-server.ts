/**
 * The sandbox over HTTPS: node:https with mutual TLS (a client certificate from the configured client CA is
 * required; the TLS handshake refuses anyone else), keep-alive, TLS 1.2 or later, and the same dispatcher as the
 * in-process transport. Faults (faults.ts) are applied here as a real server would fail: a closed or reset
 * connection, a body cut short, a slow or wrong answer. Each request's own service time is in the answer's
 * Server-Timing header and, with `onRequest`, reported to the caller.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import type { HttpRequest, HttpResponse } from '../net/http-types';
import type { FaultKind } from './faults';
import { encode } from './http/dispatch';
import { spoil, statusFault } from './http/fault-response';
import { operationOutcome } from './http/outcome';
import type { ServiceName } from './http/service';
import type { Sandbox } from './sandbox';

/** Bodies larger than this are refused with 413 before they are read to the end. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

export interface RequestReport {
  service: ServiceName | null;
  method: string;
  path: string;
  status: number | 'cut';
  /** The services' own time (ms); 0 when the request was not handled. */
  appMs: number;
  fault: FaultKind['kind'] | null;
}

export interface SandboxServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  key: Buffer | string;
  cert: Buffer | string;
  /** CA certificate(s) that client certificates must chain to. */
  clientCa: Buffer | string;
  onRequest?: (r: RequestReport) => void;
}

export interface SandboxServer {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

async function readBody(req: IncomingMessage): Promise<Uint8Array | 'too-large'> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too-large';
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function send(res: ServerResponse, r: HttpResponse, chunked = false): void {
  res.writeHead(r.status, { ...r.headers, ...(chunked ? {} : { 'content-length': r.body.length }) });
  if (chunked) {
    // Several writes without a length: the client cannot refuse it by the header alone.
    const step = 1024 * 1024;
    for (let i = 0; i < r.body.length; i += step) res.write(r.body.subarray(i, i + step));
    res.end();
  } else res.end(r.body);
}

/** The TCP sockets under the TLS ones, by remote address and port: a reset (RST) needs the TCP socket itself. */
type RawSockets = Map<string, Socket>;
const peerKey = (s: { remoteAddress?: string | undefined; remotePort?: number | undefined }) =>
  `${s.remoteAddress ?? ''}:${s.remotePort ?? ''}`;

/** Headers and the first bytes of the body under the full Content-Length, then `cut` the connection. */
function sendPart(
  res: ServerResponse,
  r: HttpResponse,
  afterBytes: number | undefined,
  cut: 'reset' | 'fin',
  raw: RawSockets,
): void {
  const n = Math.min(afterBytes ?? Math.floor(r.body.length / 2), Math.max(0, r.body.length - 1));
  res.writeHead(r.status, { ...r.headers, 'content-length': r.body.length });
  res.write(r.body.subarray(0, n), () => {
    const socket = res.socket;
    if (!socket) return;
    if (cut === 'fin') socket.end();
    else {
      const tcp = raw.get(peerKey(socket));
      if (tcp) tcp.resetAndDestroy();
      else socket.destroy();
    }
  });
}

export async function startSandboxServer(sandbox: Sandbox, o: SandboxServerOptions): Promise<SandboxServer> {
  const host = o.host ?? '127.0.0.1';
  const origin = new URL(sandbox.baseUrls.demographics).origin;
  const raw: RawSockets = new Map();

  const subjects = new WeakMap<TLSSocket, string>();
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', origin).href;
    const route = sandbox.dispatcher.route(url);
    const report = (status: RequestReport['status'], appMs: number, fault: FaultKind | null) =>
      o.onRequest?.({
        service: route?.service ?? null,
        method,
        path: route?.path ?? new URL(url).pathname,
        status,
        appMs,
        fault: fault?.kind ?? null,
      });

    const body = await readBody(req);
    if (body === 'too-large') {
      send(res, encode(413, operationOutcome('too-costly', 'The request body is too large')));
      report(413, 0, null);
      return;
    }
    if (!METHODS.has(method)) {
      send(res, encode(405, operationOutcome('not-supported', `${method} is not supported`)));
      report(405, 0, null);
      return;
    }
    const fault = route ? sandbox.faults.take(route.service, method, route.path) : null;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      report('cut', 0, fault);
      return;
    }
    if (fault?.kind === 'slow') await delay(fault.ms);
    if (fault?.kind === 'status') {
      send(res, statusFault(fault));
      report(fault.status, 0, fault);
      return;
    }
    const socket = req.socket as TLSSocket;
    // The client certificate cannot change on a connection: read its subject once per socket.
    let clientSubject = subjects.get(socket);
    if (clientSubject === undefined) {
      const peer = socket.getPeerCertificate();
      clientSubject = typeof peer.subject?.CN === 'string' ? peer.subject.CN : '';
      subjects.set(socket, clientSubject);
    }
    const request: HttpRequest = {
      method: method as HttpRequest['method'],
      url,
      headers: flatHeaders(req),
      ...(body.length > 0 ? { body } : {}),
    };
    const served = await sandbox.dispatcher.serve(request, {
      kind: 'mtls',
      clientSubject,
    });
    const r = served.response;
    if (fault?.kind === 'lose-reply') {
      req.socket.destroy();
      report('cut', served.appMs, fault);
      return;
    }
    if (fault?.kind === 'reset' || fault?.kind === 'truncated') {
      sendPart(res, r, fault.afterBytes, fault.kind === 'reset' ? 'reset' : 'fin', raw);
      report('cut', served.appMs, fault);
      return;
    }
    const spoiled = fault ? spoil(fault, r) : null;
    send(res, spoiled ?? r, fault?.kind === 'oversized');
    report((spoiled ?? r).status, served.appMs, fault);
  }

  const server = https.createServer(
    {
      key: o.key,
      cert: o.cert,
      ca: o.clientCa,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      onRequest(req, res).catch(() => {
        if (!res.headersSent) send(res, encode(500, operationOutcome('exception', 'The server failed')));
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket: Socket) => {
    const key = peerKey(socket);
    raw.set(key, socket);
    socket.once('close', () => raw.delete(key));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
