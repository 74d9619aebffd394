/**
 * Guards async answers: once a component is gone (e.g. the screen locked), a late IPC answer must not be stored.
 */
import { useEffect, useRef, type RefObject } from 'react';

export function useAlive(): RefObject<boolean> {
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  return alive;
}
