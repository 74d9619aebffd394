/**
 * PIN entry checks before anything is sent, by the card's own rule (src-shared/domain/pin.ts); the card counts the
 * tries.
 */
import { isPin, PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../../../src-shared/domain/pin';

export function pinProblem(pin: string): string | null {
  if (pin.length === 0) return 'Enter your PIN';
  if (!/^\d+$/.test(pin)) return 'Your PIN must contain only numbers';
  if (!isPin(pin)) return `Your PIN must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} numbers`;
  return null;
}

export function triesLeftText(triesLeft: number): string {
  if (triesLeft <= 0) return 'You have no tries left.';
  if (triesLeft === 1) return 'You have 1 try left. If this PIN is wrong your card will be blocked.';
  return `You have ${triesLeft} tries left.`;
}
