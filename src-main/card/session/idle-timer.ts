/**
 * The idle lock timer: fires once after `ms` without activity while armed.
 */
export interface IdleTimer {
  arm(): void;
  /** Activity: restarts the countdown if armed. */
  touch(): void;
  disarm(): void;
}

export function createIdleTimer(ms: number, onIdle: () => void): IdleTimer {
  let timer: NodeJS.Timeout | null = null;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const start = () => {
    clear();
    timer = setTimeout(() => {
      timer = null;
      onIdle();
    }, ms);
    timer.unref?.();
  };
  return {
    arm: start,
    touch() {
      if (timer) start();
    },
    disarm: clear,
  };
}
