/**
 * Typed events from main-process services to whichever window host is attached (Electron or browser host).
 * Payloads are parsed through the contract before they leave, like responses.
 */
import { events, type EventName, type EventPayload } from '../../src-shared/ipc/contract';

export type EventSink = (name: EventName, payload: unknown) => void;

export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Attaches a window host; returns a function that detaches it. */
  attach(sink: EventSink): () => void;
  /** Local listeners inside main (tests, benchmarks). */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createEventBus(): EventBus {
  const sinks = new Set<EventSink>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    emit(name, payload) {
      const data = events[name].parse(payload);
      for (const l of listeners.get(name) ?? []) l(data);
      for (const sink of sinks) sink(name, data);
    },
    attach(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
}
