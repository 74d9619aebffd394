/**
 * Performance marks the renderer leaves for tests and benchmarks (read with performance.getEntriesByName).
 */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}
