/**
 * Focus management for keyboard and screen-reader users: a new screen moves focus to its heading, a new error
 * summary takes focus so it is read out.
 */
import { useEffect, useRef, type RefObject } from 'react';

/** Returns a ref; the element gets focus when it mounts (and again whenever `key` changes). */
export function useFocusOnMount<T extends HTMLElement>(key?: unknown): RefObject<T | null> {
  const ref = useRef<T | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}

/** Moves focus to the form control with this id (error summary links). */
export function focusField(id: string): void {
  const el = document.getElementById(id);
  if (el) {
    el.focus();
    el.scrollIntoView({ block: 'center' });
  }
}
