/**
 * Performance marks the renderer leaves for tests and benchmarks (read with performance.getEntriesByName).
 */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}

/** Marks `name` afresh (the previous mark of that name is dropped), for events that repeat (lock, record shown). */
export function markNow(name: string): void {
  performance.clearMarks(name);
  performance.mark(name);
}
