/**
 * The FHIR transport: AuditEvents to a FHIR R4 server over HTTPS (optionally mutual TLS).
 *
 * Idempotency: the event UUID becomes the resource id and every event is written with
 * `PUT [base]/AuditEvent/{uuid}` (update-as-create, FHIR R4 3.1.0.4.1), by default as entries of a `batch`
 * Bundle POSTed to [base]. PUT to a client-chosen id is idempotent by definition: sending the same event again
 * after a lost reply updates the same resource instead of creating a second one. Conditional create
 * (`If-None-Exist: identifier=…`) is not usable because R4 AuditEvent has no identifier element or search
 * parameter. The server must allow client-assigned ids (CapabilityStatement `updateCreate`); one that refuses
 * answers 4xx per entry, which is reported loudly.
 *
 * Outcomes: 2xx delivered; 408, 429, 5xx and network failures retried; 401/403/404/405/406/415 for the request
 * as a whole mean misconfiguration (nothing parked, long backoff); any other 4xx for one event parks that event.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { LookupAddress } from 'node:dns';
import type { OutboxItem } from '../../types';
import { readAuditEventFields } from '../audit-event-fields';
import type { Rejection, SendOutcome, Transport } from '../transport';
import { allRetry } from '../transport';
import { bodyText, classifyStatus, parseBatchResponse } from './fhir-reply';
import { httpsRequest, type HttpReply } from './https-request';
import { describeSocketError } from '../tls-errors';
import type { HttpTransport } from '../../../net/http-types';

export interface FhirTransportOptions {
  /** The FHIR base, e.g. https://audit.example.nhs.uk/fhir (https only). */
  baseUrl: string;
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** `batch` (default): one Bundle per shipper batch; `single`: one PUT per event. */
  mode?: 'batch' | 'single';
  timeoutMs?: number;
  /**
   * Connect to this address instead of resolving the URL's host; TLS still checks the certificate against the
   * URL's host name (tests on loopback, or a fixed address where DNS cannot be trusted).
   */
  connectTo?: string;
  /**
   * Send through this transport instead of HTTPS (demo mode's in-process audit repository); ca, cert, key and
   * connectTo are not used then.
   */
  send?: HttpTransport;
}

function fixedLookup(address: string): LookupFunction {
  const family = isIP(address) === 6 ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, [{ address, family }]);
    else (callback as (e: null, a: string, f: number) => void)(null, address, family);
  };
}

export function fhirOptionsFromFiles(c: {
  baseUrl: string;
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  mode?: 'batch' | 'single' | undefined;
}): FhirTransportOptions {
  return {
    baseUrl: c.baseUrl,
    ...(c.caFile ? { ca: readFileSync(c.caFile) } : {}),
    ...(c.certFile ? { cert: readFileSync(c.certFile) } : {}),
    ...(c.keyFile ? { key: readFileSync(c.keyFile) } : {}),
    ...(c.mode ? { mode: c.mode } : {}),
  };
}

interface Prepared {
  item: OutboxItem;
  resource: Record<string, unknown>;
}

export class FhirTransport implements Transport {
  readonly name = 'fhir' as const;
  private readonly base: string;
  private readonly agent: https.Agent;
  private readonly where: string;

  constructor(private readonly o: FhirTransportOptions) {
    const url = new URL(o.baseUrl);
    if (url.protocol !== 'https:') throw new Error(`FHIR audit base URL must be https: ${o.baseUrl}`);
    this.base = url.href.replace(/\/+$/, '');
    this.where = `FHIR ${this.base}`;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      minVersion: 'TLSv1.2',
      ...(o.ca ? { ca: o.ca } : {}),
      ...(o.cert ? { cert: o.cert } : {}),
      ...(o.key ? { key: o.key } : {}),
      ...(o.connectTo ? { lookup: fixedLookup(o.connectTo) } : {}),
    });
  }

  async send(items: readonly OutboxItem[], signal: AbortSignal): Promise<SendOutcome> {
    const rejected: Rejection[] = [];
    const ready: Prepared[] = [];
    for (const item of items) {
      try {
        const f = readAuditEventFields(item.json);
        if (f.id !== null && f.id !== item.uuid) throw new Error(`resource id ${f.id} is not the event UUID`);
        ready.push({ item, resource: { ...f.resource, id: item.uuid } });
      } catch (e) {
        rejected.push({ seq: item.seq, error: `${this.where}: event ${item.uuid}: ${(e as Error).message}` });
      }
    }
    if (ready.length === 0) return { confirmed: [], rejected, retryError: null };
    const out =
      this.o.mode === 'single' || ready.length === 1
        ? await this.sendSingly(ready, signal)
        : await this.sendBatch(ready, signal);
    return { ...out, rejected: [...rejected, ...out.rejected] };
  }

  private async sendBatch(ready: readonly Prepared[], signal: AbortSignal): Promise<SendOutcome> {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: ready.map((p) => ({
        fullUrl: `${this.base}/AuditEvent/${p.item.uuid}`,
        resource: p.resource,
        request: { method: 'PUT', url: `AuditEvent/${p.item.uuid}` },
      })),
    };
    let reply: HttpReply;
    try {
      reply = await this.request('POST', new URL(this.base), JSON.stringify(bundle), signal);
    } catch (e) {
      const d = this.networkError(e, ready.length);
      return allRetry(d.message, d.misconfigured);
    }
    const cls = classifyStatus(reply.status);
    if (cls === 'retry') return allRetry(this.statusError(reply, `batch of ${ready.length}`));
    if (cls === 'misconfigured') return allRetry(this.statusError(reply, `batch of ${ready.length}`), true);
    // A 4xx for the Bundle as a whole does not say which event is at fault: find out one by one.
    if (cls === 'rejected') return this.sendSingly(ready, signal);

    const entries = parseBatchResponse(reply.body, ready.length);
    // The server took the request but its answer is unreadable: sending again is safe (PUT is idempotent).
    if (typeof entries === 'string') return allRetry(`${this.where}: ${entries} (HTTP ${reply.status})`);

    const confirmed: number[] = [];
    const rejected: Rejection[] = [];
    let retryError: string | null = null;
    entries.forEach((r, i) => {
      const p = ready[i] as Prepared;
      const c = classifyStatus(r.code);
      if (c === 'delivered') confirmed.push(p.item.seq);
      else if (c === 'rejected')
        rejected.push({ seq: p.item.seq, error: this.entryError(p, r.code, r.detail) });
      else retryError ??= this.entryError(p, r.code, r.detail);
    });
    return { confirmed, rejected, retryError };
  }

  private async sendSingly(ready: readonly Prepared[], signal: AbortSignal): Promise<SendOutcome> {
    const confirmed: number[] = [];
    const rejected: Rejection[] = [];
    for (const p of ready) {
      let reply: HttpReply;
      try {
        reply = await this.request(
          'PUT',
          new URL(`${this.base}/AuditEvent/${encodeURIComponent(p.item.uuid)}`),
          JSON.stringify(p.resource),
          signal,
        );
      } catch (e) {
        const d = this.networkError(e, ready.length - confirmed.length - rejected.length);
        return { confirmed, rejected, retryError: d.message, misconfigured: d.misconfigured };
      }
      const cls = classifyStatus(reply.status);
      if (cls === 'delivered') confirmed.push(p.item.seq);
      else if (cls === 'rejected')
        rejected.push({ seq: p.item.seq, error: this.entryError(p, reply.status, bodyText(reply.body)) });
      else
        return {
          confirmed,
          rejected,
          retryError: this.statusError(reply, `event ${p.item.uuid}`),
          misconfigured: cls === 'misconfigured',
        };
    }
    return { confirmed, rejected, retryError: null };
  }

  private async request(
    method: 'PUT' | 'POST',
    url: URL,
    body: string,
    signal: AbortSignal,
  ): Promise<HttpReply> {
    if (!this.o.send) return httpsRequest(this.agent, method, url, body, signal, this.timeout());
    const res = await this.o.send({
      method,
      url: url.toString(),
      headers: { 'content-type': 'application/fhir+json; charset=utf-8', accept: 'application/fhir+json' },
      body: Buffer.from(body, 'utf8'),
      signal,
    });
    return {
      status: res.status,
      body: Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength).toString('utf8'),
      location: res.headers['location'] ?? null,
    };
  }

  private timeout(): number {
    return this.o.timeoutMs ?? 30_000;
  }

  private networkError(e: unknown, count: number): { message: string; misconfigured: boolean } {
    const err = e instanceof Error ? e : new Error(String(e));
    const d = describeSocketError(this.where, err, false);
    // OpenSSL messages carry file and line noise after the reason; keep the first line.
    const message = d.message.split('\n')[0] ?? d.message;
    return {
      message: `${message} (${count} events not confirmed; will retry)`,
      misconfigured: d.misconfigured,
    };
  }

  private statusError(reply: HttpReply, what: string): string {
    const text = bodyText(reply.body);
    return `${this.where}: HTTP ${reply.status} for ${what}${text ? `: ${text}` : ''}`;
  }

  private entryError(p: Prepared, code: number, detail: string | null): string {
    return `${this.where}: HTTP ${code} for event ${p.item.uuid} (seq ${p.item.seq})${detail ? `: ${detail}` : ''}`;
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
