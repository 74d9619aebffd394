/**
 * PC/SC return codes and dwEventState bits the transport needs, and reading a code out of a binding error.
 * The pcsclite binding reports failures as `Error("SCardTransmit error: <text>(0x80100069)")`.
 */

const SCARD_W_REMOVED_CARD = 0x80100069;
const SCARD_W_RESET_CARD = 0x80100068;
const SCARD_W_UNPOWERED_CARD = 0x80100067;
const SCARD_E_NO_SMARTCARD = 0x8010000c;
const SCARD_E_READER_UNAVAILABLE = 0x80100017;
const SCARD_E_NO_SERVICE = 0x8010001d;
const SCARD_E_SERVICE_STOPPED = 0x8010001e;
export const SCARD_E_INVALID_HANDLE = 0x80100003;
const SCARD_F_COMM_ERROR = 0x80100013;

export const STATE_PRESENT = 0x0020;

/** The PC/SC code at the end of a binding error message, or undefined. */
export function pcscCode(err: unknown): number | undefined {
  const msg = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const m = /\(0x([0-9a-fA-F]{8})\)\s*$/.exec(msg);
  return m ? Number.parseInt(m[1] as string, 16) : undefined;
}

/** Codes that mean the card is no longer the one we connected to. */
export function isRemovalCode(code: number | undefined): boolean {
  return (
    code === SCARD_W_REMOVED_CARD ||
    code === SCARD_W_RESET_CARD ||
    code === SCARD_W_UNPOWERED_CARD ||
    code === SCARD_E_NO_SMARTCARD ||
    code === SCARD_E_READER_UNAVAILABLE
  );
}

/** Codes that mean pcscd itself went away. */
export function isServiceGoneCode(code: number | undefined): boolean {
  return code === SCARD_E_NO_SERVICE || code === SCARD_E_SERVICE_STOPPED || code === SCARD_F_COMM_ERROR;
}

/** The event counter carried in the high 16 bits of dwEventState. */
export function eventCounterOf(state: number): number {
  return (state >>> 16) & 0xffff;
}
