/**
 * A small in-memory Outbox with the same ordering contract as the SQLite one (priority first, then sequence), used
 * only by unit tests of the shipper's own logic. Integration tests use the real SQLite outbox.
 */
import type { Outbox, OutboxItem, TransportName } from '../../../src-main/audit/types';

export class MemoryOutbox implements Outbox {
  private readonly pending = new Map<TransportName, Map<number, OutboxItem>>();
  readonly failures: { transport: TransportName; seqs: number[]; error: string }[] = [];

  add(item: OutboxItem, transports: readonly TransportName[] = ['atna', 'fhir']): void {
    for (const t of transports) {
      let m = this.pending.get(t);
      if (!m) this.pending.set(t, (m = new Map()));
      m.set(item.seq, item);
    }
  }

  next(transport: TransportName, limit: number, skip?: ReadonlySet<number>): OutboxItem[] {
    const items = [...(this.pending.get(transport)?.values() ?? [])].filter((i) => !skip?.has(i.seq));
    items.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    return items.slice(0, limit);
  }

  markDelivered(transport: TransportName, seqs: readonly number[]): void {
    const m = this.pending.get(transport);
    for (const s of seqs) m?.delete(s);
  }

  markFailed(transport: TransportName, seqs: readonly number[], error: string): void {
    this.failures.push({ transport, seqs: [...seqs], error });
  }

  depth(transport: TransportName): { count: number; oldestRecordedAt: string | null } {
    const items = [...(this.pending.get(transport)?.values() ?? [])];
    let oldest: string | null = null;
    for (const i of items) if (oldest === null || i.recordedAt < oldest) oldest = i.recordedAt;
    return { count: items.length, oldestRecordedAt: oldest };
  }
}
