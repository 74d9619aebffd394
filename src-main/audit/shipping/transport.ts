/**
 * What a remote audit transport does for the shipper: try to hand over one batch and say, per event, whether it
 * is confirmed, refused for good, or still to be retried.
 */
import type { OutboxItem, TransportName } from '../types';

/** An event the far side refused for a reason that retrying will not fix (e.g. FHIR 400/422). */
export interface Rejection {
  seq: number;
  error: string;
}

export interface SendOutcome {
  /** Confirmed: delivered (FHIR 2xx) or, for ATNA, sent and read by the server before it closed cleanly. */
  confirmed: number[];
  /** Refused for good: kept in the outbox, flagged, not retried in a loop. */
  rejected: Rejection[];
  /** Why the remaining events of the batch are not confirmed (they are retried with backoff); null if none. */
  retryError: string | null;
  /**
   * True when the failure is about the transport itself (bad base URL, credentials refused, certificates), not
   * the events: nothing was parked and the shipper backs off to its longest delay.
   */
  misconfigured?: boolean;
}

export interface Transport {
  readonly name: TransportName;
  /** Never throws for network or server errors: they are reported in the outcome. Honours the abort signal. */
  send(items: readonly OutboxItem[], signal: AbortSignal): Promise<SendOutcome>;
  /** Releases sockets and agents. */
  close(): Promise<void>;
}

/** Every item of the batch left for retry with one reason. */
export function allRetry(error: string, misconfigured = false): SendOutcome {
  return { confirmed: [], rejected: [], retryError: error, misconfigured };
}
