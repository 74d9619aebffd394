/**
 * Building APDUs (short, and extended length for cards that announce it) and splitting long commands into a
 * CLA-0x10 chain (ISO 7816-4 command chaining).
 */

export interface Command {
  cla?: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Buffer;
  /** Expected answer length; 0 means "up to 256" (short) or "up to 65536" (extended). Omitted: no Le field. */
  le?: number;
  /**
   * Extended length (ISO 7816-4 5.1): Lc and Le take two bytes, so one answer can carry a whole PIV object instead
   * of a chain of 256-byte GET RESPONSEs. Only for cards whose ATR says they support it.
   */
  extended?: boolean;
}

export const CLA_CHAIN = 0x10;
const MAX_SHORT = 255;

const MAX_EXTENDED = 65535;

/** Encodes one APDU (case 1 to 4), short unless `extended` is set. */
export function encodeApdu(cmd: Command): Buffer {
  if (cmd.extended) return encodeExtended(cmd);
  const data = cmd.data ?? Buffer.alloc(0);
  if (data.length > MAX_SHORT) throw new RangeError(`APDU data of ${data.length} bytes needs chaining`);
  const header = [cmd.cla ?? 0x00, cmd.ins, cmd.p1, cmd.p2];
  const parts: number[] = [...header];
  if (data.length > 0) parts.push(data.length);
  const body = Buffer.from(parts);
  const le = cmd.le === undefined ? Buffer.alloc(0) : Buffer.from([cmd.le & 0xff]);
  return Buffer.concat([body, data, le]);
}

/** Case 1 to 4 with extended length: `00 Lc1 Lc2` before the data, and Le as two bytes (three without data). */
function encodeExtended(cmd: Command): Buffer {
  const data = cmd.data ?? Buffer.alloc(0);
  if (data.length > MAX_EXTENDED) throw new RangeError(`APDU data of ${data.length} bytes is too long`);
  if (cmd.le !== undefined && (cmd.le < 0 || cmd.le > MAX_EXTENDED + 1))
    throw new RangeError(`Le ${cmd.le} is out of range`);
  const parts: Buffer[] = [Buffer.from([cmd.cla ?? 0x00, cmd.ins, cmd.p1, cmd.p2])];
  if (data.length > 0) parts.push(Buffer.from([0x00, data.length >> 8, data.length & 0xff]), data);
  if (cmd.le !== undefined) {
    const le = cmd.le & 0xffff; // 65536 and 0 both encode as 00 00
    parts.push(Buffer.from(data.length > 0 ? [le >> 8, le & 0xff] : [0x00, le >> 8, le & 0xff]));
  }
  return Buffer.concat(parts);
}

/**
 * Splits a command whose data exceeds 255 bytes into a chain: every APDU but the last carries CLA | 0x10 and
 * no Le; the last carries the original CLA and Le.
 */
export function chainCommand(cmd: Command, chunk = MAX_SHORT): Buffer[] {
  const data = cmd.data ?? Buffer.alloc(0);
  if (data.length <= chunk) return [encodeApdu(cmd)];
  const out: Buffer[] = [];
  for (let off = 0; off < data.length; off += chunk) {
    const last = off + chunk >= data.length;
    const part = data.subarray(off, Math.min(data.length, off + chunk));
    out.push(
      encodeApdu({
        cla: last ? (cmd.cla ?? 0) : (cmd.cla ?? 0) | CLA_CHAIN,
        ins: cmd.ins,
        p1: cmd.p1,
        p2: cmd.p2,
        data: part,
        ...(last && cmd.le !== undefined ? { le: cmd.le } : {}),
      }),
    );
  }
  return out;
}

export interface Response {
  data: Buffer;
  sw: number;
}

/** Splits a raw answer into data and SW1SW2; an answer shorter than two bytes is not an APDU response. */
export function splitResponse(raw: Buffer): Response | null {
  if (raw.length < 2) return null;
  return { data: raw.subarray(0, raw.length - 2), sw: raw.readUInt16BE(raw.length - 2) };
}
