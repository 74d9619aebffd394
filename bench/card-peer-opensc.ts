/**
 * Peer figure for card sign-in: OpenSC's PKCS#11 module (loaded in-process with pkcs11js) doing what a sign-in
 * does with the card — open a session, read the certificate, log in with the PIN, sign a 32-byte challenge
 * (CKM_ECDSA), close — against the same pcscd + card. Returns milliseconds per iteration.
 *
 * libpcsclite (used by OpenSC here, and by the pcsclite addon) reads PCSCLITE_CSOCK_NAME once per process, so
 * this sets it when unset and refuses a different socket than the process already uses.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { PeerWorkerInput, PeerWorkerOutput } from './card-peer-opensc-worker';

export const OPENSC_PKCS11_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
  '/usr/lib64/opensc-pkcs11.so',
];

export interface OpenscPeerOptions {
  /** pcscd socket the card is reachable on (the private pcscd's DIR/pcscd.comm). */
  socketPath: string;
  pin: string;
  iterations: number;
  /** opensc-pkcs11.so; found in the usual places when absent. */
  modulePath?: string;
  /** Which token-present slot to use (default 0: the first reader with a card). */
  slotIndex?: number;
}

export async function measureOpenscPeer(opts: OpenscPeerOptions): Promise<number[]> {
  const modulePath = opts.modulePath ?? OPENSC_PKCS11_CANDIDATES.find((p) => existsSync(p));
  if (!modulePath || !existsSync(modulePath)) {
    throw new Error('opensc-pkcs11.so not found (apt-get install opensc-pkcs11)');
  }
  const current = process.env['PCSCLITE_CSOCK_NAME'];
  if (current === undefined) process.env['PCSCLITE_CSOCK_NAME'] = opts.socketPath;
  else if (current !== opts.socketPath) {
    throw new Error(
      `this process already uses PCSCLITE_CSOCK_NAME=${current}; libpcsclite cannot switch to ${opts.socketPath}`,
    );
  }
  if (!(opts.iterations >= 1)) throw new Error('iterations must be at least 1');
  const input: PeerWorkerInput = {
    modulePath,
    pin: opts.pin,
    iterations: opts.iterations,
    slotIndex: opts.slotIndex ?? 0,
  };
  // The worker is TypeScript too. Worker threads do not inherit tsx's module hooks, so a two-line bootstrap
  // registers them in the worker before importing it.
  const workerUrl = new URL('./card-peer-opensc-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: input });
  const out = await new Promise<PeerWorkerOutput>((resolve, reject) => {
    worker.once('message', (m: PeerWorkerOutput) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`OpenSC peer worker exited (${code}) without a result`)));
  });
  await worker.terminate();
  if (!out.ok) throw new Error(`OpenSC peer: ${out.error}`);
  return out.samples;
}
