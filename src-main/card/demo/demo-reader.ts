/**
 * The demo reader behind the `demo.*` channels: lists the demo cards, inserts one into the embedded transport's
 * reader (removing any card already there) and removes it. Each card keeps its PIN try counter for the run.
 */
import type { DemoReaderState } from '../../../src-shared/ipc/channels/demo';
import { Refusal } from '../../domain/errors';
import type { EmbeddedTransport } from '../transport/embedded-transport';
import { VirtualPivCard } from '../virtual/piv-card';
import type { DemoCardSet } from './issue-demo-cards';

export interface DemoReader {
  state(): DemoReaderState;
  insert(cardId: string): DemoReaderState;
  remove(): DemoReaderState;
}

export function createDemoReader(set: DemoCardSet, transport: EmbeddedTransport): DemoReader {
  const cards = new Map(set.cards.map((c) => [c.spec.id, c]));
  const instances = new Map<string, VirtualPivCard>();
  let inserted: string | null = null;

  const state = (): DemoReaderState => ({
    cards: set.cards.map(({ spec }) => ({
      id: spec.id,
      label: spec.label,
      description: spec.description,
      pin: spec.pin,
    })),
    // The reader may have been emptied by other means (transport closed); trust the transport.
    inserted: transport.inserted() ? inserted : null,
  });

  return {
    state,
    insert(cardId) {
      const entry = cards.get(cardId);
      if (!entry) throw new Refusal('not-found', `There is no demo card "${cardId}".`);
      let card = instances.get(cardId);
      if (!card) {
        card = new VirtualPivCard(entry.profile);
        instances.set(cardId, card);
      }
      transport.remove();
      inserted = cardId;
      transport.insert(card);
      return state();
    },
    remove() {
      transport.remove();
      inserted = null;
      return state();
    },
  };
}
