/**
 * Builds the renderer-facing API object from the contract's names.
 * Used by the Electron preload and, serialised with Function.prototype.toString, by the browser host's init script,
 * so this function must stay self-contained: no imports, no helpers, no named inner functions.
 */
export function buildApi(
  channelNames: readonly string[],
  eventNames: readonly string[],
  invoke: (channel: string, request: unknown) => Promise<unknown>,
  subscribe: (event: string, listener: (payload: unknown) => void) => () => void,
): unknown {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of channelNames) {
    const dot = name.indexOf('.');
    const group = name.slice(0, dot);
    const method = name.slice(dot + 1);
    if (!api[group]) api[group] = {};
    (api[group] as Record<string, unknown>)[method] = (request: unknown) =>
      invoke(name, request === undefined ? {} : request);
  }
  const eventApi: Record<string, unknown> = {};
  for (const name of eventNames) {
    eventApi[name] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return subscribe(name, listener);
    };
  }
  api['events'] = eventApi;
  for (const key of Object.keys(api)) Object.freeze(api[key]);
  return Object.freeze(api);
}
