/**
 * Strict declarations for the `pcsclite` native binding (santigimeno/node-pcsclite 1.x).
 * The package ships an index.d.ts with `any` in its callbacks; the card transport loads the binding through
 * `createRequire` and types it with these interfaces instead, so every value the C++ side hands back is
 * declared as what it really is (errors are plain `Error`s whose message ends in `(0x8010xxxx)`).
 */
import type { EventEmitter } from 'node:events';

/** The `status` event of a reader: `state` is the whole dwEventState (high 16 bits: the event counter). */
export interface PcscReaderStatus {
  state: number;
  atr?: Buffer;
}

export interface PcscConnectOptions {
  share_mode?: number;
  protocol?: number;
}

export interface PcscCardReader extends EventEmitter {
  readonly name: string;
  /** Last dwEventState seen by the library's own get_status callback. */
  state: number;
  readonly connected: boolean;

  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_SHARE_DIRECT: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_PROTOCOL_RAW: number;
  readonly SCARD_STATE_UNAWARE: number;
  readonly SCARD_STATE_IGNORE: number;
  readonly SCARD_STATE_CHANGED: number;
  readonly SCARD_STATE_UNKNOWN: number;
  readonly SCARD_STATE_UNAVAILABLE: number;
  readonly SCARD_STATE_EMPTY: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_ATRMATCH: number;
  readonly SCARD_STATE_EXCLUSIVE: number;
  readonly SCARD_STATE_INUSE: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_UNPOWER_CARD: number;
  readonly SCARD_EJECT_CARD: number;

  on(type: 'status', listener: (status: PcscReaderStatus) => void): this;
  on(type: 'error', listener: (error: Error) => void): this;
  on(type: 'end', listener: () => void): this;
  connect(options: PcscConnectOptions, cb: (err: Error | null | undefined, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void;
  transmit(
    data: Buffer,
    resLen: number,
    protocol: number,
    cb: (err: Error | null | undefined, response: Buffer) => void,
  ): void;
  /**
   * Stops the reader's status thread (blocks up to ~50 ms while it cancels). It takes the reader's mutex on the
   * calling thread, which connect/transmit/disconnect hold for their whole call: behind a call that never returns
   * it blocks the event loop (see src-main/card/transport/native-lane.ts).
   */
  close(): void;
}

export interface PcscLite extends EventEmitter {
  readonly readers: Record<string, PcscCardReader>;
  on(type: 'reader', listener: (reader: PcscCardReader) => void): this;
  /** Any SCardListReaders / SCardGetStatusChange failure: the monitor thread has stopped for good. */
  on(type: 'error', listener: (error: Error) => void): this;
  close(): void;
}

/** The module's export: creating it establishes a PC/SC context and throws if pcscd cannot be reached. */
export type PcscLiteFactory = () => PcscLite;
