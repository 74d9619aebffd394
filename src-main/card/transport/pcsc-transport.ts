/**
 * The PC/SC card transport over the `pcsclite` binding: reader discovery and hot-plug, insert/remove events
 * (with the reader event counter to catch a swap between two polls), shared-mode T=1 connections, a deadline on
 * every call that talks to the card (native-lane.ts), and recovery when pcscd restarts (the binding's monitor
 * stops on any error, so it is recreated with backoff).
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type {
  PcscCardReader,
  PcscLite,
  PcscLiteFactory,
  PcscReaderStatus,
} from '../../../native/types/pcsclite';
import { backoffDelay, type BackoffPolicy } from '../../retry/backoff';
import type { Logger } from '../../services/logger';
import {
  eventCounterOf,
  isRemovalCode,
  isServiceGoneCode,
  pcscCode,
  STATE_PRESENT,
  SCARD_E_INVALID_HANDLE,
} from './pcsc-codes';
import { createNativeLane, type NativeLane } from './native-lane';
import {
  CardRemovedError,
  CardTimeoutError,
  DEFAULT_EXCHANGE_TIMEOUT_MS,
  TransportError,
  type CardConnection,
  type CardTransport,
  type ReaderSnapshot,
  type TransportEvent,
  type TransportListener,
} from './types';

export interface PcscTransportOptions {
  log: Logger;
  /** Only readers whose name contains this text. */
  readerFilter?: string;
  /** First and longest wait between attempts to reach pcscd again. */
  /** How long to wait before restarting the monitor after the n-th failure in a row (default 100 ms doubling to 5 s). */
  backoff?: BackoffPolicy;
  /** Deadline of each connect, APDU exchange and disconnect (default 5 s). */
  exchangeTimeoutMs?: number;
}

/** Room for the largest answer: an extended-length one (65536 bytes + SW), as for a whole PIV object. */
const RECEIVE_LENGTH = 65536 + 2;

interface ReaderEntry {
  reader: PcscCardReader;
  snap: ReaderSnapshot;
  /** A status has arrived at least once. */
  known: boolean;
  connection: PcscConnection | null;
  /** Called on every status report of this reader (and on its end). */
  statusWaiters: Set<() => void>;
  /** The binding's handle to a card that left, being released in the background (see dropCard). */
  releasing: Promise<void> | null;
  /** Every call into the binding for this reader, one at a time and with the deadline. */
  lane: NativeLane;
}

/** How long an empty answer waits for pcscd to say whether the card left (vpcd polls about every 400 ms). */
const EMPTY_ANSWER_SETTLE_MS = 1500;

/** Resolves on the reader's next status report or after `ms`. */
function nextStatus(entry: ReaderEntry, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      entry.statusWaiters.delete(done);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    entry.statusWaiters.add(done);
  });
}

function loadRealBinding(): PcscLiteFactory {
  const require = createRequire(import.meta.url);
  return require('pcsclite') as PcscLiteFactory;
}

interface TransmitResult {
  err: Error | null | undefined;
  response: Buffer;
}

/** Disconnects the binding's handle through the lane (after a stuck call, if any); never rejects. */
function disconnect(entry: ReaderEntry, disposition: 'reset' | 'leave', whenFree = false): Promise<void> {
  const r = entry.reader;
  const how = disposition === 'reset' ? r.SCARD_RESET_CARD : r.SCARD_LEAVE_CARD;
  return entry.lane
    .run<void>((done) => r.disconnect(how, () => done()), whenFree ? { whenFree } : {})
    .catch(() => undefined);
}

class PcscConnection implements CardConnection {
  private closed = false;
  /** An exchange missed its deadline: the card is refused, and this connection sends nothing more. */
  private failed: CardTimeoutError | null = null;
  constructor(
    private readonly entry: ReaderEntry,
    readonly reader: string,
    readonly atr: Buffer,
    readonly eventCounter: number,
    private readonly protocol: number,
  ) {}

  async transmit(apdu: Buffer): Promise<Buffer> {
    if (this.closed) throw new CardRemovedError('The card connection is closed.');
    if (this.failed) throw this.failed;
    let result: TransmitResult;
    try {
      result = await this.entry.lane.run<TransmitResult>((done) =>
        this.entry.reader.transmit(apdu, RECEIVE_LENGTH, this.protocol, (err, response) =>
          done({ err, response }),
        ),
      );
    } catch (err) {
      if (err instanceof CardTimeoutError) this.failed = err;
      throw err;
    }
    return this.answer(result);
  }

  private answer({ err, response }: TransmitResult): Promise<Buffer> {
    if (!err && response.length > 0) return Promise.resolve(response);
    if (!err) {
      // No status word at all: vpcd answers this way when the card is pulled mid-command (a real reader
      // reports SCARD_W_REMOVED_CARD). Let pcscd's next presence report decide between removal and a fault.
      return nextStatus(this.entry, EMPTY_ANSWER_SETTLE_MS).then(() => {
        const snap = this.entry.snap;
        if (!snap.cardPresent || snap.eventCounter !== this.eventCounter)
          throw new CardRemovedError('The card was removed during a command.');
        throw new TransportError('The reader returned an empty answer.');
      });
    }
    const code = pcscCode(err);
    const snap = this.entry.snap;
    // A stale handle after the card went (or was swapped) is a removal too.
    const gone = !snap.cardPresent || snap.eventCounter !== this.eventCounter;
    if (isRemovalCode(code) || (code === SCARD_E_INVALID_HANDLE && gone))
      return Promise.reject(new CardRemovedError(`The card was removed (${err.message}).`));
    return Promise.reject(new TransportError(err.message, code));
  }

  markClosed(): void {
    this.closed = true;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    if (this.entry.connection === this) this.entry.connection = null;
    // Reset, not leave: a verified PIN must not outlive our use of the card. Behind a stuck call the reset waits
    // (in the background) until that call returns, normally when the card leaves.
    if (this.entry.lane.stuck) {
      void disconnect(this.entry, 'reset', true);
      return Promise.resolve();
    }
    return disconnect(this.entry, 'reset');
  }
}

export function createPcscTransport(options: PcscTransportOptions): CardTransport {
  const { log } = options;
  const backoff = options.backoff ?? { initialMs: 100, maxMs: 5000, factor: 2 };
  const exchangeTimeoutMs = options.exchangeTimeoutMs ?? DEFAULT_EXCHANGE_TIMEOUT_MS;
  const factory = loadRealBinding();
  const listeners = new Set<TransportListener>();
  const entries = new Map<string, ReaderEntry>();
  let monitor: PcscLite | null = null;
  let isAvailable = false;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;

  const emit = (event: TransportEvent) => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        log.error('card transport: listener failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  };
  const snapshots = (): ReaderSnapshot[] =>
    [...entries.values()].filter((e) => e.known).map((e) => ({ ...e.snap }));
  const emitReaders = () => emit({ type: 'readers', readers: snapshots() });

  const dropCard = (entry: ReaderEntry, counter: number, releaseHandle = false) => {
    const at = performance.now();
    entry.connection?.markClosed();
    entry.connection = null;
    entry.snap = { ...entry.snap, cardPresent: false, atr: null, eventCounter: counter };
    emit({ type: 'card-removed', reader: entry.snap.name, eventCounter: counter, at });
    if (releaseHandle) releaseStaleHandle(entry);
  };

  /**
   * The binding keeps its handle to a card that left until SCardDisconnect, and skips SCardConnect while it has
   * one. Releasing it now, in the background, spares the next card a disconnect round trip before it is read.
   * LEAVE, not RESET: the card it named has left (and lost power, and with it any verified PIN), so there is
   * nothing to reset, and a reset would make pcscd talk to the reader while the binding holds its mutex.
   */
  const releaseStaleHandle = (entry: ReaderEntry) => {
    if (!entry.reader.connected || entry.releasing) return;
    entry.releasing = disconnect(entry, 'leave', true).then(() => {
      entry.releasing = null;
    });
  };

  const onStatus = (entry: ReaderEntry, status: PcscReaderStatus) => {
    applyStatus(entry, status);
    for (const w of [...entry.statusWaiters]) w();
  };

  const applyStatus = (entry: ReaderEntry, status: PcscReaderStatus) => {
    const counter = eventCounterOf(status.state);
    const present = (status.state & STATE_PRESENT) !== 0;
    const atr = present && status.atr && status.atr.length > 0 ? Buffer.from(status.atr) : null;
    const before = entry.snap;
    const wasKnown = entry.known;
    entry.known = true;
    if (before.cardPresent && (!present || counter !== before.eventCounter)) {
      // Gone, or present with another counter: a removal and insertion happened between two reports.
      dropCard(entry, counter, true);
    }
    if (present && (!entry.snap.cardPresent || !wasKnown)) {
      entry.snap = { name: entry.snap.name, cardPresent: true, atr, eventCounter: counter };
      emitReaders();
      emit({
        type: 'card-inserted',
        reader: entry.snap.name,
        atr: atr ?? Buffer.alloc(0),
        eventCounter: counter,
        at: performance.now(),
      });
      return;
    }
    const changed = !wasKnown || before.cardPresent !== entry.snap.cardPresent;
    entry.snap = { ...entry.snap, eventCounter: counter };
    if (changed) emitReaders();
  };

  const addReader = (reader: PcscCardReader) => {
    if (options.readerFilter && !reader.name.includes(options.readerFilter)) {
      reader.close();
      return;
    }
    const entry: ReaderEntry = {
      reader,
      snap: { name: reader.name, cardPresent: false, atr: null, eventCounter: -1 },
      known: false,
      connection: null,
      statusWaiters: new Set(),
      releasing: null,
      lane: createNativeLane(exchangeTimeoutMs),
    };
    entries.set(reader.name, entry);
    reader.on('status', (s) => {
      if (entries.get(reader.name) === entry) onStatus(entry, s);
    });
    reader.on('error', (err) => {
      log.warn('card transport: reader error', { reader: reader.name, error: err.message });
      const code = pcscCode(err);
      if (isServiceGoneCode(code)) lost(`pcscd stopped answering (${err.message})`);
    });
    reader.on('end', () => {
      if (entries.get(reader.name) !== entry) return;
      // Reader unplugged (or its watcher failed): whatever card it held is gone for us.
      if (entry.snap.cardPresent) dropCard(entry, entry.snap.eventCounter);
      entries.delete(reader.name);
      for (const w of [...entry.statusWaiters]) w();
      emitReaders();
    });
  };

  /**
   * Stops a reader's watcher. close() takes the reader's mutex on this thread, so behind a stuck call it would block
   * the whole event loop: then it waits (in the background) until that call returns.
   */
  const closeReader = (entry: ReaderEntry) => {
    const close = () => {
      try {
        entry.reader.close();
      } catch {
        // The watcher thread already ended; nothing to release.
      }
    };
    if (entry.lane.stuck) void entry.lane.idle().then(close);
    else close();
  };

  const teardown = (m: PcscLite | null, readers: readonly ReaderEntry[]) => {
    for (const entry of readers) {
      entry.connection?.markClosed();
      entry.connection = null;
      closeReader(entry);
    }
    if (m) {
      m.removeAllListeners('reader');
      m.removeAllListeners('error');
      m.on('error', () => undefined);
      try {
        m.close();
      } catch {
        // Already stopped after its own error.
      }
    }
  };

  const lost = (detail: string) => {
    if (closed) return;
    const wasAvailable = isAvailable;
    isAvailable = false;
    // Removals go out at once (a session must lock now); the binding objects are released on the next turn,
    // because this may run inside a reader callback that holds the reader's mutex (close() would deadlock).
    const dropped = [...entries.values()];
    entries.clear();
    for (const entry of dropped) {
      if (entry.snap.cardPresent) dropCard(entry, entry.snap.eventCounter);
    }
    const m = monitor;
    monitor = null;
    if (wasAvailable) {
      log.warn('card transport: PC/SC unavailable', { detail });
      emit({ type: 'unavailable', detail });
      emitReaders();
    }
    setImmediate(() => teardown(m, dropped));
    scheduleRetry();
  };

  const scheduleRetry = () => {
    if (closed || retryTimer) return;
    const delay = backoffDelay(backoff, ++failures);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      tryStart();
    }, delay);
    retryTimer.unref?.();
  };

  const tryStart = (): boolean => {
    if (closed) return false;
    let m: PcscLite;
    try {
      m = factory();
    } catch (err) {
      if (isAvailable) lost(err instanceof Error ? err.message : String(err));
      else scheduleRetry();
      return false;
    }
    monitor = m;
    m.on('reader', (reader) => {
      if (monitor === m) addReader(reader);
      else reader.close();
    });
    m.on('error', (err) => {
      if (monitor !== m) return;
      lost(err.message);
    });
    if (!isAvailable) {
      isAvailable = true;
      failures = 0;
      emit({ type: 'available' });
    }
    return true;
  };

  const waitSettled = async (): Promise<void> => {
    // The binding lists readers on its own thread and reports each reader's first status asynchronously;
    // wait (briefly) until every reader seen so far has reported.
    const started = performance.now();
    let lastCount = -1;
    let stableSince = started;
    while (performance.now() - started < 1500) {
      await new Promise((r) => setTimeout(r, 10));
      const all = [...entries.values()];
      if (all.length !== lastCount) {
        lastCount = all.length;
        stableSince = performance.now();
      }
      const allKnown = all.every((e) => e.known);
      if (allKnown && performance.now() - stableSince >= (all.length === 0 ? 150 : 30)) return;
    }
  };

  return {
    kind: 'pcsc',
    async start() {
      if (tryStart()) await waitSettled();
    },
    readers: snapshots,
    available: () => isAvailable,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect(name) {
      const entry = entries.get(name);
      if (!entry || !isAvailable) return Promise.reject(new TransportError(`No reader named "${name}".`));
      if (!entry.snap.cardPresent) return Promise.reject(new CardRemovedError('No card in the reader.'));
      const { atr, eventCounter } = entry.snap;
      const r = entry.reader;
      const open = async (): Promise<CardConnection> => {
        const { err, protocol } = await entry.lane.run<{ err: Error | null | undefined; protocol: number }>(
          (done) =>
            r.connect({ share_mode: r.SCARD_SHARE_SHARED, protocol: r.SCARD_PROTOCOL_T1 }, (e, p) =>
              done({ err: e, protocol: p }),
            ),
        );
        if (err) {
          const code = pcscCode(err);
          throw isRemovalCode(code)
            ? new CardRemovedError(err.message)
            : new TransportError(err.message, code);
        }
        const conn = new PcscConnection(entry, name, atr ?? Buffer.alloc(0), eventCounter, protocol);
        entry.connection = conn;
        if (entry.snap.eventCounter !== eventCounter || !entry.snap.cardPresent) {
          // The card changed while we connected: this handle belongs to a card we did not vet.
          void conn.close();
          throw new CardRemovedError('The card changed while connecting.');
        }
        return conn;
      };
      // The binding skips SCardConnect while it thinks a handle is open (e.g. after a removal): drop it first.
      // Behind a stuck call both are refused at once (CardTimeoutError) rather than queued.
      const reopen = async () => {
        entry.connection?.markClosed();
        entry.connection = null;
        await disconnect(entry, 'reset');
        return open();
      };
      if (entry.releasing) return entry.releasing.then(() => (r.connected ? reopen() : open()));
      return r.connected ? reopen() : open();
    },
    async close() {
      if (closed) return;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const open = [...entries.values()]
        .map((e) => e.connection)
        .filter((c): c is PcscConnection => c !== null);
      // A connection behind a stuck call closes at once (its reset waits for that call), so this never hangs.
      await Promise.all(open.map((c) => c.close()));
      closed = true;
      const m = monitor;
      monitor = null;
      teardown(m, [...entries.values()]);
      entries.clear();
      listeners.clear();
    },
  };
}
