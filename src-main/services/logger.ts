/**
 * A small structured logger for main-process diagnostics (not the audit trail).
 * Never log patient data or PINs here.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(minLevel: Level = (process.env['STETHOSCOPE_LOG'] as Level) || 'info'): Logger {
  const threshold = order[minLevel] ?? order.info;
  const write = (level: Level, msg: string, fields?: LogFields) => {
    if (order[level] < threshold) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
    process.stderr.write(line + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function createMemoryLogger(): Logger & {
  lines: { level: Level; msg: string; fields?: LogFields }[];
} {
  const lines: { level: Level; msg: string; fields?: LogFields }[] = [];
  const push = (level: Level) => (msg: string, fields?: LogFields) => lines.push({ level, msg, fields });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
