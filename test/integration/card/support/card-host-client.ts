/**
 * Starts card-host.ts as a child (tsx) and sends it commands; see that file for why it exists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface CardHost {
  send(msg: Record<string, unknown>): Promise<void>;
  /** Sends without waiting for the answer (the caller is about to stall its own event loop). */
  post(msg: Record<string, unknown>): void;
  stop(): Promise<void>;
}

export async function startCardHost(socketPath: string): Promise<CardHost> {
  const script = fileURLToPath(new URL('./card-host.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, PCSCLITE_CSOCK_NAME: socketPath },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const answers: ((line: string) => void)[] = [];
  lines.on('line', (l) => answers.shift()?.(l));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('card-host did not answer in 20 s')), 20_000);
      answers.push((l) => {
        clearTimeout(t);
        resolve(l);
      });
    });
  const ready = JSON.parse(await next()) as { ok: boolean };
  if (!ready.ok) throw new Error('card-host failed to start');
  let pending: Promise<string> | null = null;
  const host: CardHost = {
    async send(msg) {
      if (pending) await pending;
      const answer = next();
      child.stdin!.write(JSON.stringify(msg) + '\n');
      const parsed = JSON.parse(await answer) as { ok: boolean; error?: string };
      if (!parsed.ok) throw new Error(`card-host: ${parsed.error}`);
    },
    post(msg) {
      pending = next();
      child.stdin!.write(JSON.stringify(msg) + '\n');
    },
    async stop() {
      if (pending) await pending.catch(() => undefined);
      child.stdin!.end();
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
    },
  };
  return host;
}

/**
 * Blocks this thread (deliberately: it stands for a stalled app) until an outside process creates `file`,
 * with a deadline. Atomics.wait is the only way to pause without returning to the event loop.
 */
export function stallUntilFileExists(file: string, deadlineMs: number): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + deadlineMs;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} did not appear within ${deadlineMs} ms`);
    Atomics.wait(cell, 0, 0, 10);
  }
}
