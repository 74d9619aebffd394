/**
 * The card PIN rule (card profile: 6 to 8 digits) in one place for main, the CLI and the renderer: a schema for
 * untrusted input, a plain predicate, and the rule as a sentence for messages.
 */
import { z } from 'zod';

export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 8;
/** Wrong PINs a card allows before it blocks; a right PIN resets the count (card profile). */
export const PIN_TRIES = 3;

/** The rule as users read it. */
export const PIN_RULE = `A PIN is ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits.`;

const PIN_PATTERN = new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`);

/** True when `text` is a well-formed PIN (whether it is the right one is for the card to say). */
export function isPin(text: string): boolean {
  return PIN_PATTERN.test(text);
}

export const Pin = z.string().regex(PIN_PATTERN, PIN_RULE);
export type Pin = z.infer<typeof Pin>;
