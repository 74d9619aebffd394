/**
 * Runs card operations one at a time: APDU sequences (chaining, GET RESPONSE) must not interleave on one card.
 */
export interface OpQueue {
  run<T>(op: () => Promise<T>): Promise<T>;
}

export function createOpQueue(): OpQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(op) {
      const next = tail.then(op, op);
      tail = next.catch(() => undefined);
      return next;
    },
  };
}
