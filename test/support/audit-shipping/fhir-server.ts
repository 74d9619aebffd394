/**
 * The FHIR audit repository for the shipping tests: the real sandbox audit service (medplum's FHIR engine behind
 * our HTTPS wrapper, mutual TLS) on its own port, with the views and failure knobs these tests use:
 *   - `events`: what the repository holds by id (the current resource, how many versions arrived = receipts,
 *     and creations = 1 since one id is one resource; a duplicate would be a second id, see totalCreations);
 *   - `requests`: every request seen (method, path) for assertions about batching;
 *   - `failNext`: HTTP 5xx, a connection dropped before storing, or stored and then dropped (lost
 *     acknowledgement), optionally only for batch Bundles; `refuse`: ids answered 422 (business rule).
 * The repository keeps its contents across stop() and start() (a server that was down comes back with them).
 */
import { createSandbox, type Sandbox } from '../../../src-main/sandbox/sandbox';
import { startSandboxServer, type SandboxServer } from '../../../src-main/sandbox/https-server';
import type { Fault } from '../../../src-main/sandbox/faults';
import { ensureFhirDefinitions } from '../../../src-main/sandbox/fhir/definitions';

export type FailureMode = { kind: 'status'; status: number } | { kind: 'drop' } | { kind: 'lose-ack' };

export interface StoredEvent {
  resource: Record<string, unknown>;
  version: number;
  /** How many times this id arrived (the first store included): the number of versions. */
  receipts: number;
  /** How many resources this id is (always 1: a second creation would be a second id). */
  creations: number;
}

export interface FhirServerOptions {
  port: number;
  key: Buffer;
  cert: Buffer;
  /** Client certificates are required and checked against this CA. */
  clientCa: Buffer;
  basePath?: string;
}

/** A read-only Map-like view of the repository's AuditEvents, read when asked. */
class EventsView {
  constructor(private readonly sandbox: () => Sandbox | null) {}

  private get repo() {
    return this.sandbox()?.stores.audit.repo ?? null;
  }

  get(id: string): StoredEvent | undefined {
    const repo = this.repo;
    const resource = repo?.currentOf('AuditEvent', id);
    if (!repo || !resource) return undefined;
    const versions = repo.versionsOf('AuditEvent', id).length;
    return {
      resource: resource as unknown as Record<string, unknown>,
      version: versions,
      receipts: versions,
      creations: 1,
    };
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get size(): number {
    return this.repo?.idsOf('AuditEvent').length ?? 0;
  }

  *values(): IterableIterator<StoredEvent> {
    for (const id of this.repo?.idsOf('AuditEvent') ?? []) {
      const e = this.get(id);
      if (e) yield e;
    }
  }
}

export class FhirTestServer {
  /** Requests seen, by kind, for assertions about batching. */
  readonly requests: { method: string; path: string }[] = [];
  readonly events = new EventsView(() => this.sandbox);
  readonly basePath: string;
  private sandbox: Sandbox | null = null;
  private server: SandboxServer | null = null;
  private readonly refused = new Set<string>();

  constructor(private readonly o: FhirServerOptions) {
    this.basePath = (o.basePath ?? '/fhir').replace(/\/+$/, '');
    // Index the FHIR definitions now (once per process, a second or more), not when a test starts the server.
    ensureFhirDefinitions();
  }

  get baseUrl(): string {
    return `https://127.0.0.1:${this.o.port}${this.basePath}`;
  }

  get port(): number {
    return this.server?.port ?? this.o.port;
  }

  /** The next n requests (or only batch Bundle requests) fail this way (queued in order). */
  failNext(n: number, mode: FailureMode, which: 'any' | 'batch' = 'any'): void {
    const fault: Fault =
      mode.kind === 'status'
        ? { kind: 'status', status: mode.status, message: `told to fail with ${mode.status}` }
        : { kind: mode.kind === 'drop' ? 'drop' : 'lose-reply' };
    this.sandboxNow().faults.add('audit', {
      ...fault,
      times: n,
      ...(which === 'batch' ? { match: { method: 'POST', path: '/' } } : {}),
    });
  }

  /** Requests for these ids get 422 Unprocessable Entity with an OperationOutcome. */
  refuse(ids: readonly string[]): void {
    for (const id of ids) this.refused.add(id);
    this.sandbox?.faults.refuseAuditEvents(ids);
  }

  /** How many AuditEvent resources exist: each event must be exactly one. */
  get totalCreations(): number {
    return this.events.size;
  }

  private sandboxNow(): Sandbox {
    if (!this.sandbox) throw new Error('start the FHIR test server first');
    return this.sandbox;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.sandbox ??= await createSandbox({
      origin: `https://127.0.0.1:${this.o.port}`,
      paths: { audit: this.basePath },
      population: false,
    });
    this.sandbox.faults.refuseAuditEvents(this.refused);
    this.server = await startSandboxServer(this.sandbox, {
      port: this.o.port,
      key: this.o.key,
      cert: this.o.cert,
      clientCa: this.o.clientCa,
      onRequest: (r) => {
        if (r.service !== 'audit') return;
        this.requests.push({
          method: r.method,
          path: r.path === '/' ? this.basePath : `${this.basePath}${r.path}`,
        });
      },
    });
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    await s.close();
  }
}
