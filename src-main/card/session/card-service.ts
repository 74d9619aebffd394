/**
 * The card session: drives sign-in from reader events, holds the session, locks it the moment the card leaves (or
 * on idle), unlocks it for the same card and PIN, and ends it for another card. Implements SessionPort for the rest
 * of main and publishes SessionView objects on the event bus.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import type { CardHolder, CardRefusal, ReaderInfo, SessionView } from '../../../src-shared/domain/session';
import type { AuditActor, AuditTrail } from '../../audit/types';
import { Refusal } from '../../domain/errors';
import type { EventBus } from '../../services/event-bus';
import type { Logger } from '../../services/logger';
import type { PinCheck, SessionChange, SessionPort, SignedInUser } from '../../session/port';
import { PivClient } from '../piv/client';
import { cardCapabilities } from '../piv/atr';
import { proveCard, refusalFrom, vetCard } from '../signin/flow';
import type { CardTrustPort, TrustedCard } from '../signin/types';
import type { CardConnection, CardTransport, ReaderSnapshot, TransportEvent } from '../transport/types';
import { createIdleTimer } from './idle-timer';
import { createOpQueue, type OpQueue } from './op-queue';

export interface CardServiceDeps {
  transport: CardTransport;
  trust: CardTrustPort;
  audit: Pick<AuditTrail, 'record'>;
  events: Pick<EventBus, 'emit'>;
  log: Logger;
  workstationId: string;
  idleLockMinutes: number;
  now?: () => Date;
}

export interface CardService extends SessionPort {
  start(): Promise<void>;
  view(): SessionView;
  readers(): ReaderInfo[];
  submitPin(pin: string): Promise<SessionView>;
  selectRole(urid: string): Promise<SessionView>;
  signOut(): Promise<SessionView>;
  /** User activity from the renderer: restarts the idle countdown. */
  activity(): void;
  /** Timing of the last lock after a removal (for the benchmark): when the transport learnt of it and when the lock was out. */
  lastLockTiming(): { removalSeenAt: number; lockedAt: number } | null;
  close(): Promise<void>;
}

/** The card being handled: connected, maybe vetted. Replaced (token changes) on every insertion or removal. */
interface ActiveCard {
  token: number;
  reader: string;
  eventCounter: number;
  conn: CardConnection | null;
  piv: PivClient | null;
  queue: OpQueue;
  card: TrustedCard | null;
}

interface Session {
  sessionId: string;
  holder: CardHolder;
  cardGuid: string;
  certSha256Hex: string;
  role: RoleProfile;
  since: string;
}

/** Signed in but not yet past role selection. */
interface PendingRoles {
  card: TrustedCard;
}

export function createCardService(deps: CardServiceDeps): CardService {
  const { transport, trust, audit, events, log } = deps;
  const now = deps.now ?? (() => new Date());
  const changeListeners = new Set<(change: SessionChange, user: SignedInUser | null) => void>();

  let view: SessionView = { state: 'no-reader', detail: 'The smartcard service is starting.' };
  let active: ActiveCard | null = null;
  let session: Session | null = null;
  let locked: 'card-removed' | 'idle' | null = null;
  let pendingRoles: PendingRoles | null = null;
  let tokenSeq = 0;
  let pinBusy = false;
  let closed = false;
  let lockTiming: { removalSeenAt: number; lockedAt: number } | null = null;
  let unsubscribe: (() => void) | null = null;

  const idle = createIdleTimer(deps.idleLockMinutes * 60_000, () => lock('idle'));

  // --- helpers -------------------------------------------------------------------------------------------

  const readerInfos = (): ReaderInfo[] =>
    transport.readers().map((r) => ({ name: r.name, cardPresent: r.cardPresent }));

  const setView = (next: SessionView) => {
    view = next;
    events.emit('sessionChanged', next);
  };

  const user = (): SignedInUser | null =>
    session && !locked ? { sessionId: session.sessionId, holder: session.holder, role: session.role } : null;

  const notify = (change: SessionChange) => {
    const u = user();
    for (const l of [...changeListeners]) {
      try {
        l(change, u);
      } catch (err) {
        log.error('card session: change listener failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  };

  const actor = (holder?: CardHolder, role?: RoleProfile): AuditActor => ({
    workstationId: deps.workstationId,
    ...(holder ? { userId: holder.userId, displayName: holder.displayName } : {}),
    ...(role ? { urid: role.urid, roleCode: role.roleCode, orgCode: role.orgCode } : {}),
  });

  /** Records an audit entry that must not block what already happened (locks, refusals). */
  const recordAfterTheFact = (entry: Parameters<AuditTrail['record']>[0]) => {
    try {
      audit.record(entry);
    } catch (err) {
      log.error('card session: audit record failed', {
        kind: entry.kind,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  };

  const idleView = (): SessionView => {
    const readers = readerInfos();
    if (!transport.available())
      return { state: 'no-reader', detail: 'The smartcard service (PC/SC) is not running.' };
    return readers.length === 0 ? { state: 'no-reader' } : { state: 'awaiting-card', readers };
  };

  const lockedView = (triesLeft?: number): SessionView => {
    if (!session || !locked) throw new Error('lockedView without a locked session');
    const cardPresent = active !== null && active.card !== null;
    return {
      state: 'locked',
      holder: session.holder,
      reason: locked,
      cardPresent,
      ...(triesLeft !== undefined ? { triesLeft } : {}),
    };
  };

  const isCurrent = (a: ActiveCard) => active === a && !closed;

  const releaseActive = () => {
    const a = active;
    active = null;
    if (a?.conn) void a.conn.close();
  };

  // --- session transitions -------------------------------------------------------------------------------

  function lock(reason: 'card-removed' | 'idle', removalSeenAt?: number) {
    if (!session || locked) return;
    locked = reason;
    idle.disarm();
    // Listeners first (records drop patient data), then the renderer, then the audit log.
    notify('locked');
    setView(lockedView());
    if (removalSeenAt !== undefined) lockTiming = { removalSeenAt, lockedAt: performance.now() };
    recordAfterTheFact({ kind: 'session-locked', actor: actor(session.holder, session.role), reason });
  }

  function endSession(why: string) {
    if (!session) return;
    const s = session;
    session = null;
    locked = null;
    idle.disarm();
    notify('signed-out');
    log.info('card session: ended', { why });
    recordAfterTheFact({ kind: 'logout', actor: actor(s.holder, s.role) });
  }

  const blockedView = (holder: CardHolder): SessionView => ({
    state: 'card-blocked',
    holder,
    message:
      'This card is blocked after too many wrong PINs. Take it to your Registration Authority to have it unblocked.',
  });

  function refuse(reason: CardRefusal, message: string, holder?: CardHolder) {
    const serious = reason !== 'card-removed' && reason !== 'card-unreadable';
    recordAfterTheFact({
      kind: 'login-refused',
      actor: actor(holder),
      reason,
      outcome: serious ? 'serious-failure' : 'minor-failure',
    });
    if (reason === 'card-blocked' && holder) {
      setView(blockedView(holder));
    } else {
      setView({ state: 'card-refused', reason, message });
    }
  }

  function openSession(card: TrustedCard, role: RoleProfile): SessionView {
    const s: Session = {
      sessionId: randomUUID(),
      holder: card.holder,
      cardGuid: card.cardGuid,
      certSha256Hex: card.certSha256Hex,
      role,
      since: now().toISOString(),
    };
    // Audit before the session exists: if the log cannot be written, nobody is signed in.
    try {
      audit.record({ kind: 'login', actor: actor(card.holder, role), outcome: 'success' });
    } catch (err) {
      throw new Refusal(
        'audit-unavailable',
        'Sign-in could not be recorded in the audit log, so it did not complete.',
        {
          cause: err instanceof Error ? err.message : String(err),
        },
      );
    }
    session = s;
    locked = null;
    pendingRoles = null;
    notify('signed-in');
    const v: SessionView = { state: 'signed-in', holder: s.holder, role: s.role, since: s.since };
    setView(v);
    idle.arm();
    return v;
  }

  // --- reader events -------------------------------------------------------------------------------------

  async function handleCard(reader: string, eventCounter: number) {
    const a: ActiveCard = {
      token: ++tokenSeq,
      reader,
      eventCounter,
      conn: null,
      piv: null,
      queue: createOpQueue(),
      card: null,
    };
    releaseActive();
    active = a;
    pendingRoles = null;
    if (!session) setView({ state: 'reading-card', reader });
    const t0 = performance.now();
    let conn: CardConnection;
    try {
      conn = await transport.connect(reader);
    } catch (err) {
      if (!isCurrent(a)) return;
      const r = refusalFrom(err);
      if (r.reason === 'card-removed') return; // the removal event handles the view
      if (session) endSession('an unreadable card was inserted');
      refuse(r.reason, r.message);
      return;
    }
    if (!isCurrent(a) || conn.eventCounter !== eventCounter) {
      void conn.close();
      return;
    }
    a.conn = conn;
    a.piv = new PivClient((apdu) => conn.transmit(apdu), cardCapabilities(conn.atr));
    const piv = a.piv;
    const t1 = performance.now();
    const vet = await a.queue.run(() => vetCard(piv, trust, now()));
    log.debug('card: vetted', { connectMs: t1 - t0, vetMs: performance.now() - t1, ok: vet.ok });
    if (!isCurrent(a)) return;
    if (!vet.ok) {
      if (vet.reason === 'card-removed') {
        // The transmit saw the removal before the reader event did; with a session the event will lock it.
        if (!session) {
          releaseActive();
          refuse(vet.reason, vet.message);
        }
        return;
      }
      if (session) endSession('another card was inserted');
      refuse(vet.reason, vet.message);
      return;
    }
    a.card = vet.card;
    if (session) {
      const same = session.cardGuid === vet.card.cardGuid && session.certSha256Hex === vet.card.certSha256Hex;
      if (!same) {
        endSession('another card was inserted');
      } else if (vet.pin.state === 'blocked') {
        endSession('the card is blocked');
        refuse('card-blocked', 'The card is blocked.', vet.card.holder);
        return;
      } else {
        setView(lockedView(vet.pin.state === 'not-verified' ? vet.pin.triesLeft : undefined));
        return;
      }
    }
    if (vet.pin.state === 'blocked') {
      refuse('card-blocked', 'The card is blocked.', vet.card.holder);
      return;
    }
    setView({
      state: 'pin-required',
      holder: vet.card.holder,
      triesLeft: vet.pin.state === 'not-verified' ? vet.pin.triesLeft : 3,
      lastAttemptFailed: false,
    });
  }

  /** Runs handleCard in the background; a bug there must refuse the card, never crash main with a rejection. */
  function startCard(reader: string, eventCounter: number) {
    handleCard(reader, eventCounter).catch((err: unknown) => {
      log.error('card session: reading the card failed', {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      if (closed || !active || active.reader !== reader) return;
      releaseActive();
      // A locked session stays locked; otherwise the card is refused like any unreadable card.
      if (session && locked) setView(lockedView());
      else if (!session) refuse('card-unreadable', 'The card could not be read.');
    });
  }

  function handleRemoval(reader: string, seenAt: number) {
    if (!active || active.reader !== reader) return;
    const wasReading = active.card === null && !session;
    releaseActive();
    pendingRoles = null;
    if (session) {
      if (!locked) lock('card-removed', seenAt);
      else setView(lockedView());
    } else if (wasReading && view.state === 'reading-card') {
      refuse('card-removed', 'The card was removed before sign-in finished.');
    } else {
      setView(idleView());
    }
    pickNextCard();
  }

  /** After the active card left: another reader that already holds a card gets its turn. */
  function pickNextCard() {
    if (active || closed) return;
    const next = transport.readers().find((r) => r.cardPresent);
    if (next) startCard(next.name, next.eventCounter);
  }

  function onTransport(event: TransportEvent) {
    if (closed) return;
    switch (event.type) {
      case 'card-removed':
        handleRemoval(event.reader, event.at);
        break;
      case 'card-inserted':
        // One card at a time: a card in a second reader waits until the active one leaves.
        if (!active) startCard(event.reader, event.eventCounter);
        break;
      case 'readers':
        events.emit('readersChanged', {
          readers: event.readers.map((r: ReaderSnapshot) => ({ name: r.name, cardPresent: r.cardPresent })),
        });
        if (!session && !active && (view.state === 'no-reader' || view.state === 'awaiting-card'))
          setView(idleView());
        break;
      case 'unavailable':
        if (!session && !active) setView(idleView());
        break;
      case 'available':
        if (!session && !active) setView(idleView());
        break;
    }
  }

  // --- the card of the moment, for PIN operations ----------------------------------------------------------

  /** The active vetted card, if it is still the one in the reader (event counter unchanged). */
  function vettedCard(): (ActiveCard & { piv: PivClient; card: TrustedCard }) | null {
    const a = active;
    if (!a || !a.piv || !a.card) return null;
    const snap = transport.readers().find((r) => r.name === a.reader);
    if (!snap || !snap.cardPresent || snap.eventCounter !== a.eventCounter) return null;
    return a as ActiveCard & { piv: PivClient; card: TrustedCard };
  }

  async function submitPin(pin: string): Promise<SessionView> {
    const unlocking = session !== null && locked !== null;
    if (view.state !== 'pin-required' && !(unlocking && view.state === 'locked' && view.cardPresent)) {
      throw new Refusal('conflict', 'No card is waiting for a PIN.');
    }
    const a = vettedCard();
    if (!a) throw new Refusal('conflict', 'The card is no longer in the reader.');
    if (pinBusy) throw new Refusal('conflict', 'A PIN check is already in progress.');
    pinBusy = true;
    let result;
    const t0 = performance.now();
    try {
      result = await a.queue.run(() => proveCard(a.piv, trust, a.card, pin));
      log.debug('card: proved', { proveMs: performance.now() - t0, ok: result.ok });
    } finally {
      pinBusy = false;
    }
    if (!isCurrent(a)) return view;
    const holder = a.card.holder;
    if (result.ok) {
      if (session && locked) {
        locked = null;
        notify('unlocked');
        const v: SessionView = {
          state: 'signed-in',
          holder: session.holder,
          role: session.role,
          since: session.since,
        };
        setView(v);
        idle.arm();
        recordAfterTheFact({ kind: 'session-unlocked', actor: actor(session.holder, session.role) });
        return v;
      }
      const roles = a.card.roles;
      if (roles.length === 1) return openSession(a.card, roles[0] as RoleProfile);
      pendingRoles = { card: a.card };
      const v: SessionView = { state: 'role-select', holder, roles };
      setView(v);
      return v;
    }
    if (result.kind === 'wrong-pin') {
      recordAfterTheFact({
        kind: 'login-refused',
        actor: actor(holder),
        reason: 'wrong-pin',
        outcome: 'minor-failure',
      });
      const v: SessionView =
        session && locked
          ? lockedView(result.triesLeft)
          : { state: 'pin-required', holder, triesLeft: result.triesLeft, lastAttemptFailed: true };
      setView(v);
      return v;
    }
    if (result.kind === 'blocked') {
      if (session) endSession('the card was blocked by wrong PINs');
      refuse('card-blocked', 'The card is blocked.', holder);
      return view;
    }
    if (result.reason === 'card-removed') return view;
    if (session) endSession(`unlock refused: ${result.reason}`);
    refuse(result.reason, result.message, holder);
    return view;
  }

  async function selectRole(urid: string): Promise<SessionView> {
    if (view.state !== 'role-select' || !pendingRoles)
      throw new Refusal('conflict', 'No role selection is pending.');
    const role = pendingRoles.card.roles.find((r) => r.urid === urid);
    if (!role) throw new Refusal('not-found', 'That role profile is not on this card.');
    if (!vettedCard()) throw new Refusal('conflict', 'The card is no longer in the reader.');
    return openSession(pendingRoles.card, role);
  }

  async function signOut(): Promise<SessionView> {
    endSession('signed out');
    pendingRoles = null;
    const a = active;
    releaseActive();
    // The card still in the reader starts a fresh sign-in (its PIN verification was reset on disconnect).
    if (a) {
      const snap = transport.readers().find((r) => r.name === a.reader && r.cardPresent);
      if (snap) {
        startCard(snap.name, snap.eventCounter);
        return view;
      }
    }
    setView(idleView());
    return view;
  }

  async function verifyPin(pin: string): Promise<PinCheck> {
    if (!session || locked) return { ok: false, reason: 'card-removed' };
    const a = vettedCard();
    if (!a) return { ok: false, reason: 'card-removed' };
    try {
      if (!/^\d{6,8}$/.test(pin)) {
        // Not a PIN at all: say so without spending a try on the card.
        const state = await a.queue.run(() => a.piv.pinState());
        if (state.state === 'blocked') return { ok: false, reason: 'card-blocked' };
        return {
          ok: false,
          reason: 'wrong-pin',
          triesLeft: state.state === 'not-verified' ? state.triesLeft : 3,
        };
      }
      const r = await a.queue.run(() => a.piv.verifyPin(pin));
      if (r.ok) return { ok: true };
      if (r.blocked) {
        // A card blocked while confirming an override ends the session at once: listeners drop every patient
        // datum and permission before the caller hears of it, and the screen shows the block.
        if (isCurrent(a) && session) {
          const holder = session.holder;
          endSession('the card was blocked by wrong PINs during an override');
          setView(blockedView(holder));
        }
        return { ok: false, reason: 'card-blocked' };
      }
      return { ok: false, reason: 'wrong-pin', triesLeft: r.triesLeft };
    } catch (err) {
      const r = refusalFrom(err);
      return { ok: false, reason: r.reason === 'card-removed' ? 'card-removed' : 'card-error' };
    }
  }

  return {
    async start() {
      unsubscribe = transport.onEvent(onTransport);
      await transport.start();
      if (!active && !session) setView(idleView());
      pickNextCard();
    },
    view: () => view,
    readers: readerInfos,
    current: user,
    verifyPin,
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    submitPin,
    selectRole,
    signOut,
    activity() {
      if (session && !locked) idle.touch();
    },
    lastLockTiming: () => lockTiming,
    async close() {
      if (closed) return;
      idle.disarm();
      unsubscribe?.();
      const a = active;
      active = null;
      closed = true;
      if (a?.conn) await a.conn.close();
    },
  };
}
