/**
 * Parses an ISO 7816-4 command APDU (cases 1 to 4, short and extended length) as the card receives it.
 */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Buffer;
  /** Expected response length; 0 when absent, 256 (short) or 65536 (extended) for Le = 00. */
  le: number;
}

/** Returns null when the bytes are not a well-formed APDU (the card answers 6700 then). */
export function parseCommandApdu(apdu: Uint8Array): CommandApdu | null {
  const b = Buffer.from(apdu);
  if (b.length < 4) return null;
  const [cla, ins, p1, p2] = [b[0] as number, b[1] as number, b[2] as number, b[3] as number];
  const head = { cla, ins, p1, p2 };
  if (b.length === 4) return { ...head, data: Buffer.alloc(0), le: 0 };
  const b4 = b[4] as number;
  if (b.length === 5) return { ...head, data: Buffer.alloc(0), le: b4 === 0 ? 256 : b4 };
  if (b4 !== 0) {
    // Short Lc.
    const lc = b4;
    if (b.length === 5 + lc) return { ...head, data: b.subarray(5, 5 + lc), le: 0 };
    if (b.length === 6 + lc) {
      const le = b[5 + lc] as number;
      return { ...head, data: b.subarray(5, 5 + lc), le: le === 0 ? 256 : le };
    }
    return null;
  }
  // Extended length: 00 followed by two bytes.
  if (b.length === 7) {
    const le = ((b[5] as number) << 8) | (b[6] as number);
    return { ...head, data: Buffer.alloc(0), le: le === 0 ? 65536 : le };
  }
  if (b.length < 7) return null;
  const lc = ((b[5] as number) << 8) | (b[6] as number);
  if (lc === 0) return null;
  if (b.length === 7 + lc) return { ...head, data: b.subarray(7, 7 + lc), le: 0 };
  if (b.length === 9 + lc) {
    const le = ((b[7 + lc] as number) << 8) | (b[8 + lc] as number);
    return { ...head, data: b.subarray(7, 7 + lc), le: le === 0 ? 65536 : le };
  }
  return null;
}
