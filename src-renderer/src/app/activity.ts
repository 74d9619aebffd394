/**
 * Tells main that the user is active (at most every 15 s) so its idle lock only fires on an unattended screen.
 */
import { useEffect } from 'react';
import { api } from './api';

const THROTTLE_MS = 15_000;

export function useActivityReporter(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    const report = () => {
      const now = Date.now();
      if (now - last < THROTTLE_MS) return;
      last = now;
      void api().session.activity({});
    };
    const kinds = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const k of kinds) window.addEventListener(k, report, { passive: true, capture: true });
    return () => {
      for (const k of kinds) window.removeEventListener(k, report, { capture: true });
    };
  }, [enabled]);
}
