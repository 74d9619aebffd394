/**
 * The shipper's own rules, with an in-memory outbox and a scripted transport (the real transports and SQLite
 * outbox are covered by the integration tests): probe first, priority order, batching, backoff states, refused
 * events parked without spinning, and a clean stop that leaves an in-flight batch queued.
 */
import { describe, expect, it } from 'vitest';
import type { TransportStatus } from '../../../../src-shared/ipc/channels/audit';
import { Shipper } from '../../../../src-main/audit/shipping/shipper';
import type { SendOutcome, Transport } from '../../../../src-main/audit/shipping/transport';
import type { OutboxItem } from '../../../../src-main/audit/types';
import { createMemoryLogger } from '../../../../src-main/services/logger';
import { MemoryOutbox } from '../../../support/audit-shipping/memory-outbox';

type Script = (items: readonly OutboxItem[], signal: AbortSignal) => Promise<SendOutcome> | SendOutcome;

class ScriptedTransport implements Transport {
  readonly name = 'fhir' as const;
  readonly calls: number[][] = [];
  constructor(public script: Script) {}
  async send(items: readonly OutboxItem[], signal: AbortSignal): Promise<SendOutcome> {
    this.calls.push(items.map((i) => i.seq));
    return this.script(items, signal);
  }
  async close(): Promise<void> {}
}

const okAll: Script = (items) => ({ confirmed: items.map((i) => i.seq), rejected: [], retryError: null });

function outboxWith(n: number, priorities: Record<number, number> = {}): MemoryOutbox {
  const ob = new MemoryOutbox();
  for (let seq = 1; seq <= n; seq++) {
    ob.add(
      {
        seq,
        uuid: `u-${seq}`,
        priority: priorities[seq] ?? 0,
        recordedAt: new Date(Date.now() - 60_000).toISOString(),
        json: '{}',
      },
      ['fhir'],
    );
  }
  return ob;
}

function shipper(
  outbox: MemoryOutbox,
  transport: Transport,
  extra: Partial<ConstructorParameters<typeof Shipper>[0]> = {},
) {
  return new Shipper({
    outbox,
    transport,
    log: createMemoryLogger(),
    batchSize: 10,
    backoff: { initialMs: 5, maxMs: 20, factor: 2 },
    idlePollMs: 10,
    random: () => 0.5,
    ...extra,
  });
}

function until(s: Shipper, pred: (st: TransportStatus) => boolean): Promise<TransportStatus> {
  return new Promise((resolve) => {
    if (pred(s.status())) return resolve(s.status());
    const off = s.onStatus((st) => {
      if (pred(st)) {
        off();
        resolve(st);
      }
    });
  });
}

describe('Shipper', () => {
  it('probes with the most urgent event, then sends priority first, then by sequence, in batches', async () => {
    const ob = outboxWith(25, { 20: 10, 9: 5 });
    const t = new ScriptedTransport(okAll);
    const s = shipper(ob, t);
    s.start();
    await until(s, (st) => st.queueDepth === 0);
    await s.stop();
    expect(t.calls[0]).toEqual([20]);
    expect(t.calls[1]).toEqual([9, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
    expect(t.calls.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(s.status()).toMatchObject({ state: 'ok', lastError: null, queueDepth: 0 });
    expect(s.status().lastDeliveredAt).not.toBeNull();
  });

  it('backs off on failures, reads offline after a few, marks the batch failed, recovers', async () => {
    const ob = outboxWith(3);
    let failuresLeft = 3;
    const t = new ScriptedTransport((items) =>
      failuresLeft-- > 0
        ? { confirmed: [], rejected: [], retryError: 'server down' }
        : okAll(items, new AbortController().signal),
    );
    const s = shipper(ob, t, { offlineAfter: 2 });
    const states: string[] = [];
    s.onStatus((st) => states.push(st.state));
    s.start();
    await until(s, (st) => st.queueDepth === 0);
    await s.stop();
    expect(states.slice(0, 4)).toEqual(['retrying', 'offline', 'offline', 'ok']);
    expect(ob.failures.map((f) => f.seqs)).toEqual([[1], [1], [1]]);
    expect(ob.failures.every((f) => f.error === 'server down')).toBe(true);
  });

  it('parks an event refused for good: keeps it, reports it, delivers the rest, does not resend it', async () => {
    const ob = outboxWith(12);
    const t = new ScriptedTransport((items) => ({
      confirmed: items.map((i) => i.seq).filter((q) => q !== 4),
      rejected: items.some((i) => i.seq === 4) ? [{ seq: 4, error: 'HTTP 422 for event u-4' }] : [],
      retryError: null,
    }));
    const refused: number[] = [];
    const s = shipper(ob, t, { onRejected: (r) => refused.push(...r.map((x) => x.seq)) });
    s.start();
    const st = await until(s, (x) => x.queueDepth === 1);
    const callsThen = t.calls.length;
    await s.whenIdle();
    await s.whenIdle();
    await s.stop();
    expect(t.calls.length).toBe(callsThen);
    expect(t.calls.flat().filter((q) => q === 4)).toHaveLength(1);
    expect(refused).toEqual([4]);
    expect(st.lastError).toMatch(
      /1 event\(s\) refused by the server and kept for review: HTTP 422 for event u-4/,
    );
    expect(ob.depth('fhir').count).toBe(1);
  });

  it('keeps up to `concurrency` batches in flight and starts the next as soon as one is confirmed', async () => {
    const ob = outboxWith(45);
    const pending: { seqs: number[]; confirm: () => void }[] = [];
    const waiters: { n: number; resolve: () => void }[] = [];
    /** Resolves once the transport has been handed `n` batches in all. */
    const calls = (n: number) =>
      new Promise<void>((resolve) => {
        if (pending.length >= n) resolve();
        else waiters.push({ n, resolve });
      });
    const t = new ScriptedTransport(
      (items) =>
        new Promise<SendOutcome>((resolve) => {
          const confirm = () => resolve(okAll(items, new AbortController().signal));
          pending.push({ seqs: items.map((i) => i.seq), confirm });
          for (const w of waiters.filter((x) => pending.length >= x.n)) w.resolve();
        }),
    );
    const s = shipper(ob, t, { concurrency: 2 });
    s.start();
    await calls(1);
    expect(pending.map((p) => p.seqs)).toEqual([[1]]); // the probe, alone
    pending[0]?.confirm();
    await calls(3);
    // Two batches side by side, disjoint; no third while both are in flight.
    expect(pending.slice(1).map((p) => p.seqs)).toEqual([
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      [12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
    ]);
    // Confirming the second starts a third while the first is still in flight, skipping what is in flight.
    pending[2]?.confirm();
    await calls(4);
    expect(pending).toHaveLength(4);
    expect(pending[3]?.seqs).toEqual([22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);
    expect(ob.depth('fhir').count).toBe(45 - 1 - 10);
    pending[1]?.confirm();
    pending[3]?.confirm();
    await calls(6);
    for (const p of pending) p.confirm();
    await until(s, (st) => st.queueDepth === 0);
    await s.stop();
    const sent = pending.flatMap((p) => p.seqs);
    expect(sent.sort((a, b) => a - b)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
  });

  it('stops cleanly, abandoning an in-flight batch unconfirmed', async () => {
    const ob = outboxWith(5);
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    const t = new ScriptedTransport(
      (_items, signal) =>
        new Promise((resolve) => {
          started();
          signal.addEventListener('abort', () =>
            resolve({ confirmed: [], rejected: [], retryError: 'stopped' }),
          );
        }),
    );
    const s = shipper(ob, t);
    s.start();
    await inFlight;
    await s.stop();
    expect(ob.depth('fhir').count).toBe(5);
    expect(t.calls).toHaveLength(1);
  });
});
