/**
 * The `scr` audit transport: hands each privacy alert in the outbox to the Summary Care Record service as
 * POST [base]/AuditEvent (SCR alert shape, scr-alert.ts) and confirms every other event at once (they are not the
 * SCR service's). Authenticated by the channel (the workstation's client certificate), as every audit delivery is,
 * since the outbox may drain when nobody is signed in. A 2xx confirms; a 400 or 422 is refused for good; anything
 * else (down, 5xx, timeout) is retried by the shipper with its backoff, so an alert reaches the service exactly
 * once however long it was down (the alert keeps the event's id, and the service stores by id).
 */
import { randomUUID } from 'node:crypto';
import type { HttpTransport } from '../../../net/http-types';
import type { OutboxItem } from '../../types';
import type { AuditEvent } from '../../events/fhir';
import type { Rejection, SendOutcome, Transport } from '../transport';
import { scrAlertOf } from './scr-alert';

export interface ScrAlertTransportOptions {
  /** The SCR service's base URL (no trailing slash). */
  baseUrl: string;
  send: HttpTransport;
  close?: () => void;
}

export class ScrAlertTransport implements Transport {
  readonly name = 'scr' as const;
  constructor(private readonly o: ScrAlertTransportOptions) {}

  async send(items: readonly OutboxItem[], signal: AbortSignal): Promise<SendOutcome> {
    const confirmed: number[] = [];
    const rejected: Rejection[] = [];
    for (const item of items) {
      let alert: Record<string, unknown> | null;
      try {
        alert = scrAlertOf(JSON.parse(item.json) as AuditEvent);
      } catch {
        rejected.push({ seq: item.seq, error: 'the stored event is not JSON' });
        continue;
      }
      if (!alert) {
        confirmed.push(item.seq);
        continue;
      }
      let status: number;
      try {
        const res = await this.o.send({
          method: 'POST',
          url: `${this.o.baseUrl}/AuditEvent`,
          headers: {
            'content-type': 'application/fhir+json',
            accept: 'application/fhir+json',
            'x-request-id': randomUUID(),
            'x-correlation-id': randomUUID(),
          },
          body: Buffer.from(JSON.stringify(alert), 'utf8'),
          signal,
        });
        status = res.status;
      } catch (err) {
        return { confirmed, rejected, retryError: `SCR service unreachable: ${(err as Error).message}` };
      }
      if (status >= 200 && status < 300) confirmed.push(item.seq);
      else if (status === 400 || status === 422)
        rejected.push({ seq: item.seq, error: `the SCR service refused the alert (HTTP ${status})` });
      else return { confirmed, rejected, retryError: `the SCR service answered HTTP ${status}` };
    }
    return { confirmed, rejected, retryError: null };
  }

  async close(): Promise<void> {
    this.o.close?.();
  }
}
