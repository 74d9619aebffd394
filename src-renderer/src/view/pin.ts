/**
 * PIN entry checks before anything is sent: 6 to 8 digits (the card's own rule); the card counts the tries.
 */
export function pinProblem(pin: string): string | null {
  if (pin.length === 0) return 'Enter your PIN';
  if (!/^\d+$/.test(pin)) return 'Your PIN must contain only numbers';
  if (pin.length < 6 || pin.length > 8) return 'Your PIN must be 6 to 8 numbers';
  return null;
}

export function triesLeftText(triesLeft: number): string {
  if (triesLeft <= 0) return 'You have no tries left.';
  if (triesLeft === 1) return 'You have 1 try left. If this PIN is wrong your card will be locked.';
  return `You have ${triesLeft} tries left.`;
}
