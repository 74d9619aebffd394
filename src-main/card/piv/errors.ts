/**
 * Errors of the PIV client. A card that answers something we cannot parse or did not expect is refused as
 * `card-unreadable`; it is never allowed to crash the service.
 */

export class CardUnreadableError extends Error {
  override readonly name = 'CardUnreadableError';
}

/** Formats a status word as four hex digits for messages. */
export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
