/**
 * The card sessions: drives sign-in from reader events and holds one session per card (shared workstations). The
 * session whose card is in the reader is the foreground one; removing its card locks it at once (or signs it out,
 * by the workstation's removal policy), and it waits, locked, for its own card and PIN while other cards start or
 * resume their own sessions. At most `sessions.max` are held (the oldest locked one is signed out to make room), and
 * a session locked for longer than `sessions.lockedSignOutMs` is signed out. A signed-in user may change role
 * profile without removing the card. Implements SessionPort and UserTokenPort (the user's token, signed by the
 * foreground session's card: token/token-service.ts) for the rest of main and publishes SessionView objects on the
 * event bus; a view that is not a signed-in one names the sessions locked here (names only).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isPin, PIN_TRIES } from '../../../src-shared/domain/pin';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import type { CardHolder, ExpiryWarning, ReaderInfo, SessionView } from '../../../src-shared/domain/session';
import type { AuditActor, AuditTrail, LogoutReason } from '../../audit/types';
import { Refusal } from '../../domain/errors';
import type { EventBus } from '../../services/event-bus';
import type { Logger } from '../../services/logger';
import {
  TokenUnavailableError,
  type PinCheck,
  type SessionChange,
  type SessionPort,
  type SignedInUser,
  type UserTokenPort,
} from '../../session/port';
import { PivClient } from '../piv/client';
import { cardCapabilities } from '../piv/atr';
import { proveCard, refusalFrom, vetCard, type Refusal as SigninRefusal } from '../signin/flow';
import type { CardTrustPort, TrustedCard } from '../signin/types';
import { refusalWords } from '../verify/refusal-words';
import { createTokenService, type TokenSource } from '../token/token-service';
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
  /** Shared-workstation limits; each field has the default written beside it in SessionLimits. */
  sessions?: Partial<SessionLimits>;
  now?: () => Date;
}

export interface SessionLimits {
  /** The most sessions (one per card) held at once; the oldest locked one is signed out for a new one (8). */
  max: number;
  /** A session locked for this long is signed out (8 hours). */
  lockedSignOutMs: number;
  /** What removing the card does to its session: lock it (the default) or sign it out. */
  onRemoval: 'lock' | 'sign-out';
  /**
   * PIN grace (0, the default: always ask). Above 0, a card taken out and put back within this long of its last PIN
   * unlocks its own session without the PIN being typed: main presents the PIN it kept to the card again, and the
   * card still proves its key over a fresh challenge. Hazard log H-25 C1.
   */
  pinGraceMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  max: 8,
  lockedSignOutMs: 8 * 3_600_000,
  onRemoval: 'lock',
  pinGraceMs: 0,
};

/** Days before the card's certificate or roles expire at which sign-in warns, and warns strongly. */
export const EXPIRY_WARNING_DAYS = 90;
export const EXPIRY_URGENT_DAYS = 14;

export interface CardService extends SessionPort, UserTokenPort {
  start(): Promise<void>;
  view(): SessionView;
  readers(): ReaderInfo[];
  submitPin(pin: string): Promise<SessionView>;
  /** Picks the role profile: at sign-in, or after changeRole() (the encounter has ended; PTV is asked again). */
  selectRole(urid: string): Promise<SessionView>;
  /** The signed-in user asks to change role profile without removing the card: the role choice is shown again. */
  changeRole(): Promise<SessionView>;
  /** Ends the foreground session (the others stay locked). */
  signOut(): Promise<SessionView>;
  /**
   * Tells the card service whether a session has an open encounter to reopen when it resumes (the signed-in view
   * then says `resumed`, and the screen asks for it). Without a probe every resumption says so.
   */
  setResumeProbe(probe: (sessionId: string) => boolean): void;
  /** Ends every session held here (the foreground one and every locked one), each audited. */
  signOutAll(): Promise<SessionView>;
  /** Signs out sessions locked for too long (also run by a timer every 30 s). */
  housekeeping(): void;
  /** The sessions held here, for tests and diagnostics: ids, holders, and which is locked. */
  sessions(): { sessionId: string; userId: string; locked: boolean; foreground: boolean }[];
  /** User activity from the renderer: restarts the idle countdown. */
  activity(): void;
  close(): Promise<void>;
}

const BLOCKED = { reason: 'card-blocked', message: refusalWords('card-blocked') } as const;

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
  /** The card as vetted at sign-in: identifies it at re-insertion (GUID and certificate hash) and holds its role
   * profiles for a change of role. */
  card: TrustedCard;
  role: RoleProfile;
  since: string;
  /** Why it is locked, or null while it is the unlocked foreground session. */
  locked: 'card-removed' | 'idle' | null;
  /** Epoch ms of the lock (meaningful while locked): the oldest is signed out first, and after lockedSignOutMs. */
  lockedAt: number;
  /** Set while the user picks another role profile: nobody is signed in for the rest of main until they do. */
  choosingRole: boolean;
  /** The card's certificate or roles expire soon (worked out at sign-in). */
  expiry: ExpiryWarning | null;
  /** The PIN kept for PIN grace, and until when it may be used; zeroed when forgotten. Null without grace. */
  grace: Grace | null;
}

/** PIN grace: the PIN last entered for a session, kept (bytes, never a log or the disk) until `until`. */
interface Grace {
  pin: Buffer;
  until: number;
}

/** Signed in but not yet past role selection. */
interface PendingRoles {
  card: TrustedCard;
  /** The PIN just entered, for PIN grace once the session opens. */
  grace: Grace | null;
}

function forget(grace: Grace | null | undefined) {
  grace?.pin.fill(0);
}

/** A view without the names of locked sessions (setView adds the current ones). */
function withoutNames(v: SessionView): SessionView {
  if (!('lockedSessions' in v)) return v;
  const { lockedSessions: _names, ...rest } = v;
  return rest as SessionView;
}

/** Sign-in's warning when the card's certificate (or the card) or its roles expire soon; null when not. */
export function expiryWarning(card: TrustedCard, at: Date): ExpiryWarning | null {
  const DAY = 86_400_000;
  const candidates = [
    { what: 'certificate' as const, notAfter: card.certNotAfter },
    { what: 'roles' as const, notAfter: card.rolesNotAfter },
  ];
  const soonest = candidates.reduce((a, b) => (Date.parse(b.notAfter) < Date.parse(a.notAfter) ? b : a));
  const days = Math.floor((Date.parse(soonest.notAfter) - at.getTime()) / DAY);
  if (days > EXPIRY_WARNING_DAYS) return null;
  return {
    what: soonest.what,
    notAfter: soonest.notAfter,
    days: Math.max(0, days),
    level: days <= EXPIRY_URGENT_DAYS ? 'urgent' : 'warning',
  };
}

export function createCardService(deps: CardServiceDeps): CardService {
  const { transport, trust, events, log } = deps;
  // The unlock entry is written once the signed-in view has left (the next turn of the event loop), yet before
  // anything else is audited and before the PIN is answered, so the log keeps the order things happened in.
  let heldBack: Parameters<AuditTrail['record']>[0] | null = null;
  const writeHeldBack = () => {
    const entry = heldBack;
    heldBack = null;
    if (entry) recordAfterTheFact(entry);
  };
  const audit: Pick<AuditTrail, 'record'> = {
    record(entry) {
      writeHeldBack();
      return deps.audit.record(entry);
    },
  };
  const now = deps.now ?? (() => new Date());
  const changeListeners = new Set<
    (change: SessionChange, user: SignedInUser | null, sessionId: string) => void
  >();

  const limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, ...deps.sessions };
  let view: SessionView = { state: 'no-reader', detail: 'The smartcard service is starting.' };
  let active: ActiveCard | null = null;
  /** Every session held here, oldest first. */
  const held: Session[] = [];
  /** The session the screen is about: unlocked with its card in, or locked and waiting for it. */
  let session: Session | null = null;
  let pendingRoles: PendingRoles | null = null;
  const setPending = (next: PendingRoles | null) => {
    if (pendingRoles && pendingRoles !== next) forget(pendingRoles.grace);
    pendingRoles = next;
  };
  let resumeProbe: ((sessionId: string) => boolean) | null = null;
  let tokenSeq = 0;
  let pinBusy = false;
  let closed = false;
  let unsubscribe: (() => void) | null = null;

  const idle = createIdleTimer(deps.idleLockMinutes * 60_000, () => lock('idle'));
  const sweeper = setInterval(() => housekeeping(), 30_000);
  sweeper.unref();

  /** The session's card, for the user's token: only while signed in, unlocked, with that card in the reader. */
  const tokenSource: TokenSource = {
    subject() {
      const { s, a } = sessionCard();
      return {
        sessionId: s.sessionId,
        userId: s.holder.userId,
        role: s.role,
        key: { certDer: a.card.certDer, issuersDer: a.card.issuersDer, publicKey: a.card.publicKey },
      };
    },
    async sign(digest) {
      const { a } = sessionCard();
      try {
        return await a.queue.run(() => a.piv.generalAuthenticate(digest));
      } catch (err) {
        const r = refusalFrom(err);
        throw new TokenUnavailableError(
          r.reason === 'card-removed' ? 'card-removed' : 'card-error',
          r.message,
        );
      }
    },
  };
  const tokens = createTokenService({ workstationId: deps.workstationId, source: tokenSource, log, now });

  // --- helpers -------------------------------------------------------------------------------------------

  const readerInfos = (): ReaderInfo[] =>
    transport.readers().map((r) => ({ name: r.name, cardPresent: r.cardPresent }));

  /** Names of the sessions locked here besides the one the view is about (shown on the lock and sign-in screens). */
  const lockedHere = (): string[] =>
    held.filter((s) => s !== session && s.locked).map((s) => s.holder.displayName);

  /** Every view but a signed-in one names the other sessions locked here, worked out afresh each time. */
  const setView = (next: SessionView) => {
    const bare = withoutNames(next);
    const names = bare.state === 'signed-in' ? [] : lockedHere();
    view = names.length > 0 ? ({ ...bare, lockedSessions: names } as SessionView) : bare;
    events.emit('sessionChanged', view);
  };

  const user = (): SignedInUser | null =>
    session && !session.locked && !session.choosingRole
      ? { sessionId: session.sessionId, holder: session.holder, role: session.role }
      : null;

  const notify = (change: SessionChange, about: Session) => {
    const u = user();
    for (const l of [...changeListeners]) {
      try {
        l(change, u, about.sessionId);
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

  /** The lock screen of the foreground session; its card is present when the active card is that session's. */
  const lockedView = (triesLeft?: number): SessionView => {
    if (!session || !session.locked) throw new Error('lockedView without a locked session');
    const cardPresent = active !== null && active.card !== null && sameCard(session, active.card);
    return {
      state: 'locked',
      holder: session.holder,
      reason: session.locked,
      cardPresent,
      ...(triesLeft !== undefined ? { triesLeft } : {}),
    };
  };

  const signedInView = (s: Session, resumed = false): SessionView => ({
    state: 'signed-in',
    holder: s.holder,
    role: s.role,
    since: s.since,
    ...(resumed ? { resumed: true } : {}),
    ...(s.card.roles.length > 1 ? { canChangeRole: true } : {}),
    ...(s.expiry ? { expiry: s.expiry } : {}),
  });

  /** PIN grace from a PIN just entered (null when the workstation gives none); counted from now. */
  const graceFrom = (pin: string): Grace | null =>
    limits.pinGraceMs > 0
      ? { pin: Buffer.from(pin, 'utf8'), until: now().getTime() + limits.pinGraceMs }
      : null;

  const keepGrace = (s: Session, grace: Grace | null) => {
    if (s.grace !== grace) forget(s.grace);
    s.grace = grace;
  };

  /** The grace the session may use now: its own card came back after a removal, in time, no try spent since. */
  const usableGrace = (s: Session, pin: { state: string; triesLeft?: number }): Grace | null => {
    const g = s.grace;
    if (!g) return null;
    if (
      s.locked === 'card-removed' &&
      g.until > now().getTime() &&
      pin.state === 'not-verified' &&
      pin.triesLeft === PIN_TRIES
    )
      return g;
    // Too late, or a wrong PIN was tried on the card while it was away: the PIN must be typed.
    keepGrace(s, null);
    return null;
  };

  const sameCard = (s: Session, card: TrustedCard) =>
    s.card.cardGuid === card.cardGuid && s.card.certSha256Hex === card.certSha256Hex;
  const sessionOf = (card: TrustedCard) => held.find((s) => sameCard(s, card)) ?? null;

  const isCurrent = (a: ActiveCard) => active === a && !closed;

  const releaseActive = () => {
    const a = active;
    active = null;
    if (a?.conn) void a.conn.close();
  };

  // --- session transitions -------------------------------------------------------------------------------

  function lock(reason: 'card-removed' | 'idle') {
    const s = session;
    if (!s || s.locked) return;
    s.locked = reason;
    s.lockedAt = now().getTime();
    s.choosingRole = false;
    // An idle lock means the user walked away with the card in: only their PIN unlocks it.
    if (reason === 'idle') keepGrace(s, null);
    idle.disarm();
    tokens.clear();
    // Listeners first (records drop patient data), then the renderer, then the audit log.
    notify('locked', s);
    setView(lockedView());
    recordAfterTheFact({ kind: 'session-locked', actor: actor(s.holder, s.role), reason });
  }

  /** Ends one session (the foreground one unless told otherwise); the view is the caller's to set. */
  function endSession(why: string, reason?: LogoutReason, s: Session | null = session) {
    if (!s) return;
    const i = held.indexOf(s);
    if (i >= 0) held.splice(i, 1);
    keepGrace(s, null);
    if (s === session) {
      session = null;
      idle.disarm();
      tokens.clear();
    }
    notify('signed-out', s);
    log.info('card session: ended', { why });
    recordAfterTheFact({ kind: 'logout', actor: actor(s.holder, s.role), ...(reason ? { reason } : {}) });
  }

  /** Another card came: the foreground session, locked, stays held in the background. */
  function toBackground() {
    if (session && !session.locked) lock('card-removed');
    session = null;
  }

  function housekeeping() {
    if (closed) return;
    const t = now().getTime();
    for (const s of held) if (s.grace && s.grace.until <= t) keepGrace(s, null);
    for (const s of [...held]) {
      if (s.locked && t - s.lockedAt >= limits.lockedSignOutMs) {
        const wasShown = s === session;
        endSession('locked for too long', 'locked-too-long', s);
        if (wasShown) afterForegroundEnded();
        else if (view.state !== 'signed-in') setView(view);
      }
    }
  }

  /** After the foreground session ended without a sign-out: a card still in the reader is read afresh. */
  function afterForegroundEnded() {
    const a = active;
    releaseActive();
    setPending(null);
    const snap = a ? transport.readers().find((r) => r.name === a.reader && r.cardPresent) : undefined;
    if (snap) startCard(snap.name, snap.eventCounter);
    else {
      setView(idleView());
      pickNextCard();
    }
  }

  const blockedView = (holder: CardHolder): SessionView => ({
    state: 'card-blocked',
    holder,
    message: refusalWords('card-blocked'),
  });

  function refuse(refusal: Omit<SigninRefusal, 'ok'>, holder?: CardHolder) {
    const { reason, message, detail } = refusal;
    const serious = reason !== 'card-removed' && reason !== 'card-unreadable';
    log.info('card session: card refused', { reason, ...(detail ? { detail } : {}) });
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

  function openSession(card: TrustedCard, role: RoleProfile, grace: Grace | null): SessionView {
    const at = now();
    const s: Session = {
      sessionId: randomUUID(),
      holder: card.holder,
      card,
      role,
      since: at.toISOString(),
      locked: null,
      lockedAt: 0,
      choosingRole: false,
      expiry: expiryWarning(card, at),
      grace: null,
    };
    // Audit before the session exists: if the log cannot be written, nobody is signed in.
    try {
      audit.record({ kind: 'login', actor: actor(card.holder, role), outcome: 'success' });
    } catch (err) {
      forget(grace);
      throw new Refusal(
        'audit-unavailable',
        'Sign-in could not be recorded in the audit log, so it did not complete.',
        {
          cause: err instanceof Error ? err.message : String(err),
        },
      );
    }
    // Room for it: the sessions locked longest are signed out first.
    while (held.length >= limits.max) {
      const oldest = held
        .filter((h) => h.locked)
        .reduce<Session | null>((o, h) => (o === null || h.lockedAt < o.lockedAt ? h : o), null);
      if (!oldest) break;
      endSession('the most sessions are held; the oldest locked one makes room', 'session-limit', oldest);
    }
    tokens.clear();
    s.grace = grace;
    held.push(s);
    session = s;
    setPending(null);
    notify('signed-in', s);
    const v = signedInView(s);
    setView(v);
    idle.arm();
    return v;
  }

  /** The foreground session carries on after its card and PIN (typed, or kept for PIN grace). */
  async function resume(s: Session, pin: 'typed' | 'grace'): Promise<SessionView> {
    s.locked = null;
    tokens.clear();
    // Listeners first: the encounter registry has put the session's encounter back by the time the probe asks.
    notify('unlocked', s);
    const v = signedInView(s, resumeProbe ? resumeProbe(s.sessionId) : true);
    heldBack = {
      kind: 'session-unlocked',
      actor: actor(s.holder, s.role),
      ...(pin === 'grace' ? { pin: 'grace' as const } : {}),
    };
    setView(v);
    idle.arm();
    // The durable write waits for the view to leave for the screen instead of holding it up.
    await new Promise<void>((resolve) => setImmediate(resolve));
    writeHeldBack();
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
    setPending(null);
    if (!session || !session.locked) setView({ state: 'reading-card', reader });
    const t0 = performance.now();
    let conn: CardConnection;
    try {
      conn = await transport.connect(reader);
    } catch (err) {
      if (!isCurrent(a)) return;
      const r = refusalFrom(err);
      if (r.reason === 'card-removed') return; // the removal event handles the view
      toBackground();
      refuse(r);
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
          refuse(vet);
        }
        return;
      }
      toBackground();
      refuse(vet);
      return;
    }
    a.card = vet.card;
    const own = sessionOf(vet.card);
    // A session of another card stays locked, in the background; this card starts or resumes its own.
    if (session !== own) toBackground();
    if (own) {
      session = own;
      if (vet.pin.state === 'blocked') {
        endSession('the card is blocked', 'card-blocked', own);
        refuse(BLOCKED, vet.card.holder);
        return;
      }
      setView(lockedView(vet.pin.state === 'not-verified' ? vet.pin.triesLeft : undefined));
      const grace = usableGrace(own, vet.pin);
      const here = vettedCard();
      if (grace && here === a && !pinBusy) await prove(here, grace.pin.toString('utf8'), 'grace');
      return;
    }
    if (vet.pin.state === 'blocked') {
      refuse(BLOCKED, vet.card.holder);
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
      if (session && session.locked) setView(lockedView());
      else if (!session) refuse({ reason: 'card-unreadable', message: refusalWords('card-unreadable') });
    });
  }

  function handleRemoval(reader: string) {
    if (!active || active.reader !== reader) return;
    const wasReading = active.card === null && !session;
    releaseActive();
    setPending(null);
    if (session) {
      if (session.locked) setView(lockedView());
      else if (limits.onRemoval === 'sign-out') {
        endSession('the card was removed (this workstation signs out on removal)', 'card-removed');
        setView(idleView());
      } else lock('card-removed');
    } else if (wasReading && view.state === 'reading-card') {
      refuse({ reason: 'card-removed', message: refusalWords('card-removed') });
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
        handleRemoval(event.reader);
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

  /** The session and its card in the reader, for the user's token; TokenUnavailableError when there are none. */
  function sessionCard(): { s: Session; a: ActiveCard & { piv: PivClient; card: TrustedCard } } {
    if (!session) throw new TokenUnavailableError('signed-out', 'Nobody is signed in.');
    if (session.locked)
      throw new TokenUnavailableError('locked', 'The session is locked; it needs the card and PIN again.');
    if (session.choosingRole)
      throw new TokenUnavailableError(
        'locked',
        'A role profile is being chosen; no request can be made yet.',
      );
    const a = vettedCard();
    if (!a || !sameCard(session, a.card))
      throw new TokenUnavailableError('card-removed', 'The card of this session is not in the reader.');
    return { s: session, a };
  }

  async function submitPin(pin: string): Promise<SessionView> {
    const unlocking = session !== null && session.locked !== null;
    if (view.state !== 'pin-required' && !(unlocking && view.state === 'locked' && view.cardPresent)) {
      throw new Refusal('conflict', 'No card is waiting for a PIN.');
    }
    const a = vettedCard();
    if (!a) throw new Refusal('conflict', 'The card is no longer in the reader.');
    if (pinBusy) throw new Refusal('conflict', 'A PIN check is already in progress.');
    return prove(a, pin, 'typed');
  }

  /**
   * VERIFY and GENERAL AUTHENTICATE over a fresh challenge with a PIN the user typed, or (PIN grace) the one kept
   * for the locked session whose card came back: either way the card proves its key. Only a typed PIN starts or
   * renews the grace; a kept one that the card refuses is forgotten, and the lock screen asks for the PIN.
   */
  async function prove(
    a: ActiveCard & { piv: PivClient; card: TrustedCard },
    pin: string,
    how: 'typed' | 'grace',
  ): Promise<SessionView> {
    pinBusy = true;
    let result;
    const t0 = performance.now();
    try {
      result = await a.queue.run(() => proveCard(a.piv, trust, a.card, pin));
      log.debug('card: proved', { proveMs: performance.now() - t0, ok: result.ok, pin: how });
    } finally {
      pinBusy = false;
    }
    if (!isCurrent(a)) return view;
    const holder = a.card.holder;
    const unlocking = session && session.locked && sameCard(session, a.card) ? session : null;
    if (how === 'grace' && !unlocking) return view;
    if (result.ok) {
      if (unlocking) {
        if (how === 'typed') keepGrace(unlocking, graceFrom(pin));
        return resume(unlocking, how);
      }
      const roles = a.card.roles;
      if (roles.length === 1) return openSession(a.card, roles[0], graceFrom(pin));
      setPending({ card: a.card, grace: graceFrom(pin) });
      const v: SessionView = { state: 'role-select', holder, roles };
      setView(v);
      return v;
    }
    if (how === 'grace' && unlocking) keepGrace(unlocking, null);
    if (result.kind === 'wrong-pin') {
      recordAfterTheFact({
        kind: 'login-refused',
        actor: actor(holder),
        reason: how === 'grace' ? 'wrong-pin-grace' : 'wrong-pin',
        outcome: 'minor-failure',
      });
      const v: SessionView =
        session && session.locked
          ? lockedView(result.triesLeft)
          : { state: 'pin-required', holder, triesLeft: result.triesLeft, lastAttemptFailed: true };
      setView(v);
      return v;
    }
    if (result.kind === 'blocked') {
      if (session) endSession('the card was blocked by wrong PINs', 'card-blocked');
      refuse(BLOCKED, holder);
      return view;
    }
    if (result.reason === 'card-removed') return view;
    // The card claimed to be this session's but did not prove its key: the session ends.
    if (session) endSession(`unlock refused: ${result.reason}`, 'other-card');
    refuse(result, holder);
    return view;
  }

  async function selectRole(urid: string): Promise<SessionView> {
    if (view.state === 'role-select' && session?.choosingRole) return changeTo(session, urid);
    if (view.state !== 'role-select' || !pendingRoles)
      throw new Refusal('conflict', 'No role selection is pending.');
    const role = pendingRoles.card.roles.find((r) => r.urid === urid);
    if (!role) throw new Refusal('not-found', 'That role profile is not on this card.');
    if (!vettedCard()) throw new Refusal('conflict', 'The card is no longer in the reader.');
    const { card, grace } = pendingRoles;
    pendingRoles = null; // the grace passes to the session
    return openSession(card, role, grace);
  }

  /** Ends the choice begun by changeRole(): the session goes on with the role chosen (its encounter has ended). */
  function changeTo(s: Session, urid: string): SessionView {
    const role = s.card.roles.find((r) => r.urid === urid);
    if (!role) throw new Refusal('not-found', 'That role profile is not on this card.');
    const a = vettedCard();
    if (!a || !sameCard(s, a.card)) throw new Refusal('conflict', 'The card is no longer in the reader.');
    const old = s.role;
    if (old.urid !== role.urid) {
      // The old role's session ends and the new one begins, in the audit as at sign-in (audit first).
      try {
        audit.record({ kind: 'logout', actor: actor(s.holder, old), reason: 'role-change' });
        audit.record({ kind: 'login', actor: actor(s.holder, role), outcome: 'success' });
      } catch (err) {
        throw new Refusal('audit-unavailable', 'The change of role could not be recorded in the audit log.', {
          cause: err instanceof Error ? err.message : String(err),
        });
      }
    }
    s.role = role;
    s.choosingRole = false;
    tokens.clear();
    notify('role-selected', s);
    const v = signedInView(s);
    setView(v);
    idle.arm();
    return v;
  }

  async function changeRole(): Promise<SessionView> {
    const s = session;
    if (!s || s.locked || s.choosingRole)
      throw new Refusal('conflict', 'Nobody is signed in to change role.');
    if (s.card.roles.length < 2)
      throw new Refusal(
        'conflict',
        'This card carries one role profile only, so there is no other to choose.',
      );
    if (!vettedCard()) throw new Refusal('conflict', 'The card is no longer in the reader.');
    // Nobody is signed in while the choice is made: the encounter ends and its permission with it.
    s.choosingRole = true;
    idle.disarm();
    tokens.clear();
    notify('role-selected', s);
    const v: SessionView = {
      state: 'role-select',
      holder: s.holder,
      roles: s.card.roles,
      current: s.role.urid,
    };
    setView(v);
    return v;
  }

  async function signOut(): Promise<SessionView> {
    endSession('signed out');
    setPending(null);
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
    if (!session || session.locked || session.choosingRole) return { ok: false, reason: 'card-removed' };
    const a = vettedCard();
    if (!a) return { ok: false, reason: 'card-removed' };
    try {
      if (!isPin(pin)) {
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
      if (r.ok) {
        // A PIN typed to confirm an override is the session's last PIN too.
        if (session && sameCard(session, a.card)) keepGrace(session, graceFrom(pin));
        return { ok: true };
      }
      if (r.blocked) {
        // A card blocked while confirming an override ends the session at once: listeners drop every patient
        // datum and permission before the caller hears of it, and the screen shows the block.
        if (isCurrent(a) && session) {
          const holder = session.holder;
          endSession('the card was blocked by wrong PINs during an override', 'card-blocked');
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
    token: (audience, signal) => tokens.token(audience, signal),
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    submitPin,
    selectRole,
    changeRole,
    signOut,
    housekeeping,
    setResumeProbe(probe) {
      resumeProbe = probe;
    },
    async signOutAll() {
      for (const s of [...held].reverse()) endSession('every session signed out', undefined, s);
      return signOut();
    },
    sessions: () =>
      held.map((s) => ({
        sessionId: s.sessionId,
        userId: s.holder.userId,
        locked: s.locked !== null,
        foreground: s === session,
      })),
    activity() {
      if (session && !session.locked && !session.choosingRole) idle.touch();
    },
    async close() {
      if (closed) return;
      for (const s of held) keepGrace(s, null);
      setPending(null);
      idle.disarm();
      clearInterval(sweeper);
      tokens.clear();
      unsubscribe?.();
      const a = active;
      active = null;
      closed = true;
      if (a?.conn) await a.conn.close();
    },
  };
}
