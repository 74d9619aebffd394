/**
 * A card service over the real PC/SC transport of a private stack, with a real event bus, the real trust checks
 * (the stack's CA as anchor) and an in-memory audit recorder whose entries the tests assert.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditTrail } from '../../../../src-main/audit/types';
import { createEventBus } from '../../../../src-main/services/event-bus';
import { createMemoryLogger } from '../../../../src-main/services/logger';
import {
  createCardService,
  type CardService,
  type SessionLimits,
} from '../../../../src-main/card/session/card-service';
import { createCardTrust } from '../../../../src-main/card/signin/trust';
import type { CardTransport, TransportEvent } from '../../../../src-main/card/transport/types';
import type { SessionView } from '../../../../src-shared/domain/session';
import type { SessionChange, SignedInUser } from '../../../../src-main/session/port';
import { eventLog, type EventLog } from './events';
import type { CardStack } from './stack';

export interface MemoryAudit extends Pick<AuditTrail, 'record'> {
  entries: AuditEntry[];
  kinds(): string[];
}

export function memoryAudit(): MemoryAudit {
  const entries: AuditEntry[] = [];
  return {
    entries,
    record(entry) {
      entries.push(entry);
      return { seq: entries.length, uuid: randomUUID() };
    },
    kinds: () => entries.map((e) => (e.kind === 'login-refused' ? `login-refused:${e.reason}` : e.kind)),
  };
}

export interface SessionHarness {
  service: CardService;
  transport: CardTransport;
  audit: MemoryAudit;
  views: EventLog<SessionView>;
  changes: EventLog<{ change: SessionChange; user: SignedInUser | null; sessionId: string }>;
  /** What the transport reported (insertions, removals, readers). */
  reader: EventLog<TransportEvent>;
  /** Resolves once pcscd reports every reader empty. */
  readersEmpty(): Promise<void>;
  /** Removes any card, signs out, and waits for empty readers: a clean slate for the next test. */
  reset(stack: CardStack): Promise<void>;
  /** Next view in `state` after `from` (default: after everything seen so far). */
  view<S extends SessionView['state']>(
    state: S,
    from?: number,
    timeoutMs?: number,
  ): Promise<Extract<SessionView, { state: S }>>;
  close(): Promise<void>;
}

export async function startSession(
  stack: CardStack,
  opts: {
    idleLockMinutes?: number;
    exchangeTimeoutMs?: number;
    sessions?: Partial<SessionLimits>;
    now?: () => Date;
  } = {},
): Promise<SessionHarness> {
  const { createPcscTransport } = await import('../../../../src-main/card/transport/pcsc-transport');
  const log = createMemoryLogger();
  const transport = createPcscTransport({
    log,
    backoff: { initialMs: 50, maxMs: 400, factor: 2 },
    ...(opts.exchangeTimeoutMs ? { exchangeTimeoutMs: opts.exchangeTimeoutMs } : {}),
  });
  const events = createEventBus();
  const audit = memoryAudit();
  const views = eventLog<SessionView>((v) =>
    v.state === 'card-refused' ? `card-refused:${v.reason}` : v.state,
  );
  const changes = eventLog<{ change: SessionChange; user: SignedInUser | null; sessionId: string }>(
    (c) => c.change,
  );
  events.on('sessionChanged', (v) => views.push(v));
  const reader = eventLog<TransportEvent>((e) => e.type);
  transport.onEvent((e) => reader.push(e));
  const service = createCardService({
    transport,
    trust: createCardTrust({ anchorsPem: stack.ca.trustPems, crlsDer: [] }),
    audit,
    events,
    log,
    workstationId: 'WS-TEST-CARD',
    idleLockMinutes: opts.idleLockMinutes ?? 15,
    ...(opts.sessions ? { sessions: opts.sessions } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  service.onChange((change, user, sessionId) => changes.push({ change, user, sessionId }));
  await service.start();
  const readersEmpty = async () => {
    const empty = () => transport.readers().every((r) => !r.cardPresent);
    if (!empty()) await reader.next(() => empty(), 15_000, 0);
  };
  return {
    service,
    transport,
    audit,
    views,
    changes,
    reader,
    readersEmpty,
    async reset(stack) {
      for (let i = 0; i < stack.pcscd.vpcdPorts.length; i++) await stack.remove(i);
      await readersEmpty();
      await service.signOutAll();
    },
    view(state, from = views.mark(), timeoutMs = 15_000) {
      return views.next((v) => v.state === state, timeoutMs, from) as Promise<
        Extract<SessionView, { state: typeof state }>
      >;
    },
    async close() {
      await service.close();
      await transport.close();
    },
  };
}
