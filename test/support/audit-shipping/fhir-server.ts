/**
 * An HTTPS FHIR R4 endpoint for tests: accepts AuditEvents by PUT [base]/AuditEvent/{id}, by POST [base]/AuditEvent
 * (server-assigned id, so a client that used it would create duplicates) and as batch Bundles POSTed to [base].
 * It stores resources by id, counts every receipt, answers like a FHIR server (201 + Location, 200 on update,
 * OperationOutcome on errors) and can be told to fail: HTTP 5xx, drop the connection before storing, or store and
 * then drop the connection ("lost acknowledgement"), or refuse chosen ids with 422.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export type FailureMode = { kind: 'status'; status: number } | { kind: 'drop' } | { kind: 'lose-ack' };

export interface StoredEvent {
  resource: Record<string, unknown>;
  version: number;
  /** How many times this id arrived (the first store included). */
  receipts: number;
  /** How many times it was created (must stay 1: a second creation is a duplicate). */
  creations: number;
}

export interface FhirServerOptions {
  port: number;
  key: Buffer;
  cert: Buffer;
  /** When set, client certificates are required and checked against this CA. */
  clientCa?: Buffer;
  basePath?: string;
}

const JSON_TYPE = 'application/fhir+json; charset=utf-8';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function outcome(severity: string, code: string, diagnostics: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

export class FhirTestServer {
  readonly events = new Map<string, StoredEvent>();
  /** Requests seen, by kind, for assertions about batching. */
  readonly requests: { method: string; path: string }[] = [];
  private readonly failures: FailureMode[] = [];
  private readonly batchFailures: FailureMode[] = [];
  private readonly refusedIds = new Set<string>();
  private server: https.Server | null = null;
  readonly basePath: string;

  constructor(private readonly o: FhirServerOptions) {
    this.basePath = (o.basePath ?? '/fhir').replace(/\/+$/, '');
  }

  get baseUrl(): string {
    return `https://127.0.0.1:${this.o.port}${this.basePath}`;
  }

  /** The next n requests (or only batch Bundle requests) fail this way (queued in order). */
  failNext(n: number, mode: FailureMode, which: 'any' | 'batch' = 'any'): void {
    for (let i = 0; i < n; i++) (which === 'batch' ? this.batchFailures : this.failures).push(mode);
  }

  /** Requests for these ids get 422 Unprocessable Entity with an OperationOutcome. */
  refuse(ids: readonly string[]): void {
    for (const id of ids) this.refusedIds.add(id);
  }

  get totalCreations(): number {
    let n = 0;
    for (const e of this.events.values()) n += e.creations;
    return n;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = https.createServer(
      {
        key: this.o.key,
        cert: this.o.cert,
        minVersion: 'TLSv1.2',
        ...(this.o.clientCa ? { ca: this.o.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
      },
      (req, res) => void this.handle(req, res),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.o.port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '').split('?')[0] ?? '';
    this.requests.push({ method: req.method ?? '', path });
    const isBatch = req.method === 'POST' && path === this.basePath;
    const failure = (isBatch ? this.batchFailures.shift() : undefined) ?? this.failures.shift();
    if (failure?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (failure?.kind === 'status') {
      this.reply(res, failure.status, outcome('error', 'transient', `told to fail with ${failure.status}`));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      this.reply(res, 400, outcome('error', 'structure', 'body is not JSON'));
      return;
    }
    const result = this.route(req.method ?? '', path, body);
    if (failure?.kind === 'lose-ack') {
      // Stored (route ran) but the client never hears about it.
      req.socket.destroy();
      return;
    }
    this.reply(res, result.status, result.body, result.location);
  }

  private route(
    method: string,
    path: string,
    body: unknown,
  ): { status: number; body: unknown; location?: string } {
    const base = this.basePath;
    if (method === 'POST' && path === base) return this.batch(body);
    if (method === 'POST' && path === `${base}/AuditEvent`) return this.write(randomUUID(), body, false);
    const m = new RegExp(`^${base}/AuditEvent/([A-Za-z0-9\\-.]{1,64})$`).exec(path);
    if (method === 'PUT' && m) return this.write(m[1] as string, body, true);
    return { status: 404, body: outcome('error', 'not-found', `no route for ${method} ${path}`) };
  }

  private write(id: string, resource: unknown, idFromClient: boolean) {
    if (!isRecord(resource) || resource['resourceType'] !== 'AuditEvent') {
      return { status: 400, body: outcome('error', 'invalid', 'expected an AuditEvent') };
    }
    if (idFromClient && resource['id'] !== id) {
      return { status: 400, body: outcome('error', 'invalid', 'resource id does not match the URL') };
    }
    if (this.refusedIds.has(id)) {
      return {
        status: 422,
        body: outcome('error', 'business-rule', `AuditEvent ${id} refused by test rule`),
      };
    }
    const existing = this.events.get(id);
    if (existing) {
      existing.receipts++;
      existing.version++;
      existing.resource = { ...resource, id, meta: { versionId: String(existing.version) } };
      return {
        status: 200,
        body: existing.resource,
        location: `${this.baseUrl}/AuditEvent/${id}/_history/${existing.version}`,
      };
    }
    const stored: StoredEvent = {
      resource: { ...resource, id, meta: { versionId: '1' } },
      version: 1,
      receipts: 1,
      creations: 1,
    };
    this.events.set(id, stored);
    return { status: 201, body: stored.resource, location: `${this.baseUrl}/AuditEvent/${id}/_history/1` };
  }

  private batch(body: unknown) {
    if (
      !isRecord(body) ||
      body['resourceType'] !== 'Bundle' ||
      body['type'] !== 'batch' ||
      !Array.isArray(body['entry'])
    ) {
      return { status: 400, body: outcome('error', 'invalid', 'expected a batch Bundle') };
    }
    const entries = (body['entry'] as unknown[]).map((e) => {
      const req = isRecord(e) && isRecord(e['request']) ? e['request'] : null;
      const url = req && typeof req['url'] === 'string' ? req['url'] : '';
      const m = /^AuditEvent\/([A-Za-z0-9\-.]{1,64})$/.exec(url);
      const r =
        req && req['method'] === 'PUT' && m && isRecord(e)
          ? this.write(m[1] as string, e['resource'], true)
          : {
              status: 400,
              body: outcome('error', 'invalid', 'only PUT AuditEvent/{id} entries are supported'),
            };
      const text = r.status === 201 ? '201 Created' : r.status === 200 ? '200 OK' : `${r.status} Error`;
      return {
        response: {
          status: text,
          ...(r.location ? { location: r.location } : {}),
          ...(r.status >= 400 ? { outcome: r.body } : {}),
        },
      };
    });
    return { status: 200, body: { resourceType: 'Bundle', type: 'batch-response', entry: entries } };
  }

  private reply(res: ServerResponse, status: number, body: unknown, location?: string): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': JSON_TYPE,
      'Content-Length': Buffer.byteLength(text),
      ...(location ? { Location: location } : {}),
    });
    res.end(text);
  }
}
