/**
 * The in-process "embedded" transport for demo mode without pcscd: one virtual reader whose card is an object
 * answering APDUs directly (the VirtualPivCard). Insert and remove move the reader's event counter like PC/SC.
 */
import { performance } from 'node:perf_hooks';
import {
  CardRemovedError,
  TransportError,
  type CardConnection,
  type CardTransport,
  type ReaderSnapshot,
  type TransportEvent,
  type TransportListener,
} from './types';

/** What the embedded reader needs of a card; VirtualPivCard satisfies it. */
export interface EmbeddedCard {
  atr(): Buffer;
  powerOn(): void;
  powerOff(): void;
  reset(): void;
  transmit(apdu: Buffer): Buffer;
}

export interface EmbeddedTransport extends CardTransport {
  readonly readerName: string;
  insert(card: EmbeddedCard): void;
  remove(): void;
  inserted(): EmbeddedCard | null;
}

const EMBEDDED_READER_NAME = 'Stethoscope Demo Reader 00 00';

export function createEmbeddedTransport(readerName = EMBEDDED_READER_NAME): EmbeddedTransport {
  const listeners = new Set<TransportListener>();
  let card: EmbeddedCard | null = null;
  // Like pcscd: the counter moves on each insertion and removal.
  let counter = 0;
  let closed = false;

  const emit = (event: TransportEvent) => {
    for (const l of [...listeners]) l(event);
  };
  const snapshot = (): ReaderSnapshot => ({
    name: readerName,
    cardPresent: card !== null,
    atr: card ? card.atr() : null,
    eventCounter: counter,
  });

  return {
    kind: 'embedded',
    readerName,
    async start() {},
    readers: () => [snapshot()],
    available: () => !closed,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    inserted: () => card,
    insert(next) {
      if (card) this.remove();
      card = next;
      counter = (counter + 1) & 0xffff;
      next.powerOn();
      emit({ type: 'readers', readers: [snapshot()] });
      emit({
        type: 'card-inserted',
        reader: readerName,
        atr: next.atr(),
        eventCounter: counter,
        at: performance.now(),
      });
    },
    remove() {
      if (!card) return;
      const at = performance.now();
      card.powerOff();
      card = null;
      counter = (counter + 1) & 0xffff;
      emit({ type: 'card-removed', reader: readerName, eventCounter: counter, at });
      emit({ type: 'readers', readers: [snapshot()] });
    },
    async connect(name) {
      if (name !== readerName) throw new TransportError(`No reader named "${name}".`);
      const target = card;
      if (!target) throw new CardRemovedError('No card in the reader.');
      const at = counter;
      let open = true;
      const conn: CardConnection = {
        reader: readerName,
        atr: target.atr(),
        eventCounter: at,
        async transmit(apdu) {
          if (!open || card !== target || counter !== at) throw new CardRemovedError('The card was removed.');
          return target.transmit(Buffer.from(apdu));
        },
        async close() {
          if (!open) return;
          open = false;
          // Like SCARD_RESET_CARD: PIN verification ends with our use of the card.
          if (card === target && counter === at) target.reset();
        },
      };
      return conn;
    },
    async close() {
      closed = true;
      listeners.clear();
    },
  };
}
