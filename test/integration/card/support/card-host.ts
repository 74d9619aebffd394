/**
 * A child process that holds virtual cards in vpcd readers, driven by JSON lines on stdin. The fast-swap test
 * needs the swap to happen while the test process's event loop is stalled, so the cards must live elsewhere.
 * It watches the readers through its own PC/SC client (same private pcscd) to confirm each step happened.
 *
 * Commands: {cmd:'insert', port, profileFile} | {cmd:'remove', port} |
 *           {cmd:'swap', port, reader, profileFile, doneFile} (remove, wait until pcscd reports it, insert, wait,
 *           then write doneFile). Each answers one JSON line {ok:true} or {ok:false,error}.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CardProfile } from '../../../../src-main/card/virtual/profile';
import { VirtualPivCard } from '../../../../src-main/card/virtual/piv-card';
import { connectVpcd, type VpcdLink } from '../../../../src-main/card/virtual/vpcd-link';
import { createPcscTransport } from '../../../../src-main/card/transport/pcsc-transport';
import { createLogger } from '../../../../src-main/services/logger';
import type { TransportEvent } from '../../../../src-main/card/transport/types';

const links = new Map<number, VpcdLink>();
const transport = createPcscTransport({ log: createLogger('error') });
const waiters = new Set<(e: TransportEvent) => void>();
transport.onEvent((e) => {
  for (const w of [...waiters]) w(e);
});

function waitFor(match: (e: TransportEvent) => boolean, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = (e: TransportEvent) => {
      if (!match(e)) return;
      waiters.delete(w);
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      waiters.delete(w);
      reject(new Error('card-host: pcscd did not report the change'));
    }, ms);
    waiters.add(w);
  });
}

const load = (file: string) => new VirtualPivCard(CardProfile.parse(JSON.parse(readFileSync(file, 'utf8'))));

async function handle(msg: Record<string, unknown>): Promise<void> {
  const port = Number(msg['port']);
  switch (msg['cmd']) {
    case 'insert': {
      await links.get(port)?.close();
      links.set(port, await connectVpcd(load(String(msg['profileFile'])), { port, timeoutMs: 5000 }));
      return;
    }
    case 'remove': {
      await links.get(port)?.close();
      links.delete(port);
      return;
    }
    case 'swap': {
      const reader = String(msg['reader']);
      const gone = waitFor((e) => e.type === 'card-removed' && e.reader === reader);
      await links.get(port)?.close();
      await gone;
      const back = waitFor((e) => e.type === 'card-inserted' && e.reader === reader);
      links.set(port, await connectVpcd(load(String(msg['profileFile'])), { port, timeoutMs: 5000 }));
      await back;
      writeFileSync(String(msg['doneFile']), 'done');
      return;
    }
    default:
      throw new Error(`unknown command ${String(msg['cmd'])}`);
  }
}

await transport.start();
const rl = createInterface({ input: process.stdin });
process.stdout.write(JSON.stringify({ ok: true, ready: true }) + '\n');
for await (const line of rl) {
  try {
    await handle(JSON.parse(line) as Record<string, unknown>);
    process.stdout.write(JSON.stringify({ ok: true }) + '\n');
  } catch (err) {
    process.stdout.write(
      JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) }) + '\n',
    );
  }
}
for (const l of links.values()) await l.close();
await transport.close();
