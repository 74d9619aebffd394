/**
 * A virtual card whose every command is shown to the test first: to record APDUs, or to pull the card (close its
 * vpcd link) at a chosen command. The card's own faults (stalls included) still apply.
 */
import type { VirtualPivCard } from '../../../src-main/card/virtual/piv-card';
import type { VpcdCard } from '../../../src-main/card/virtual/vpcd-link';

export function watchedCard(card: VirtualPivCard, beforeCommand: (apdu: Buffer) => void): VpcdCard {
  return {
    atr: () => card.atr(),
    powerOn: () => card.powerOn(),
    powerOff: () => card.powerOff(),
    reset: () => card.reset(),
    transmit: (apdu: Uint8Array) => {
      beforeCommand(Buffer.from(apdu));
      return card.transmit(apdu);
    },
    reply: (apdu: Uint8Array) => {
      beforeCommand(Buffer.from(apdu));
      return card.reply(apdu);
    },
  };
}

/** True for GET DATA of the PIV Authentication certificate (5FC105). */
export const isCertificateRead = (apdu: Buffer): boolean =>
  apdu[1] === 0xcb && apdu.includes(Buffer.from('5fc105', 'hex'));
