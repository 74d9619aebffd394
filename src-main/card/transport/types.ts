/**
 * The card transport interface: readers, card insert/remove events and APDU exchange, whatever carries them
 * (pcscd through the pcsclite binding, or the demo's in-process virtual card).
 */

/** What is known about one reader right now. */
export interface ReaderSnapshot {
  name: string;
  cardPresent: boolean;
  /** ATR of the card in the reader, when present. */
  atr: Buffer | null;
  /**
   * The reader's event counter (high 16 bits of PC/SC dwEventState): it moves on every insertion and removal,
   * so two snapshots with a card present and different counters mean the card was swapped in between.
   */
  eventCounter: number;
}

export type TransportEvent =
  /** The set of readers or their card presence changed. */
  | { type: 'readers'; readers: ReaderSnapshot[] }
  | { type: 'card-inserted'; reader: string; atr: Buffer; eventCounter: number; at: number }
  /** `at` is performance.now() when the transport learnt of the removal (for latency measurement). */
  | { type: 'card-removed'; reader: string; eventCounter: number; at: number }
  /** PC/SC itself is gone (pcscd stopped); every reader and connection is lost until `available` again. */
  | { type: 'unavailable'; detail: string }
  | { type: 'available' };

export type TransportListener = (event: TransportEvent) => void;

/** A shared-mode (T=1) connection to the card in one reader. */
export interface CardConnection {
  readonly reader: string;
  readonly atr: Buffer;
  /** The reader's event counter when the connection was made. */
  readonly eventCounter: number;
  /**
   * Sends one APDU, answers the raw response including SW1 SW2. Rejects with CardRemovedError on removal, and with
   * CardTimeoutError when the card does not answer within the exchange deadline (after which this connection sends
   * nothing more).
   */
  transmit(apdu: Buffer): Promise<Buffer>;
  /** Disconnects; the card is reset so its PIN verification does not outlive us. Never throws. */
  close(): Promise<void>;
}

export interface CardTransport {
  readonly kind: 'pcsc' | 'embedded';
  /** Starts watching readers. Resolves once the first reader list is known (or PC/SC is found missing). */
  start(): Promise<void>;
  readers(): ReaderSnapshot[];
  /** true while PC/SC answers (always true for the embedded transport). */
  available(): boolean;
  onEvent(listener: TransportListener): () => void;
  connect(reader: string): Promise<CardConnection>;
  close(): Promise<void>;
}

/** The card left the reader (or was reset by someone else) while we talked to it. */
export class CardRemovedError extends Error {
  override readonly name = 'CardRemovedError';
}

/** The usual deadline of one card exchange (config card.exchangeTimeoutMs). */
export const DEFAULT_EXCHANGE_TIMEOUT_MS = 5000;

/** The card did not answer an exchange within its deadline: a stalled card is refused as unreadable. */
export class CardTimeoutError extends Error {
  override readonly name = 'CardTimeoutError';
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** PC/SC failed in a way that is not a removal (no service, reader gone, protocol error). */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    /** The PC/SC return code when there was one, e.g. 0x8010001d. */
    readonly code?: number,
  ) {
    super(message);
  }
}
