/**
 * What a card's answer-to-reset says about its command set (ISO 7816-3 ATR framing, ISO 7816-4 8.1.1 historical
 * bytes): the historical bytes, and from a compact-TLV "card capabilities" entry whether the card takes extended
 * Lc/Le fields and command chaining. An ATR that cannot be read, or says nothing, means "short APDUs only".
 */

export interface CardCapabilities {
  /** Extended Lc and Le fields (third software function table, bit b7). */
  extendedLength: boolean;
  /** Command chaining (third software function table, bit b8). */
  commandChaining: boolean;
}

const NONE: CardCapabilities = { extendedLength: false, commandChaining: false };

/** The historical bytes of an ATR, or null when the interface bytes do not add up. */
export function historicalBytes(atr: Uint8Array): Uint8Array | null {
  if (atr.length < 2 || (atr[0] !== 0x3b && atr[0] !== 0x3f)) return null;
  const t0 = atr[1] as number;
  const k = t0 & 0x0f;
  let y = t0 >> 4;
  let pos = 2;
  // Walk TAi, TBi, TCi, TDi while TDi announces more interface bytes.
  for (;;) {
    for (const bit of [0x1, 0x2, 0x4]) if (y & bit) pos++;
    if (!(y & 0x8)) break;
    const td = atr[pos];
    if (td === undefined) return null;
    pos++;
    y = td >> 4;
  }
  if (pos + k > atr.length) return null;
  return atr.subarray(pos, pos + k);
}

/** Card capabilities from the historical bytes' compact-TLV objects (category indicator 00 or 80). */
export function cardCapabilities(atr: Uint8Array): CardCapabilities {
  const hist = historicalBytes(atr);
  if (!hist || hist.length === 0) return NONE;
  const category = hist[0];
  // 80: compact-TLV objects follow; 00: they follow too, with a 3-byte status indicator at the end.
  let end: number;
  if (category === 0x80) end = hist.length;
  else if (category === 0x00) end = hist.length - 3;
  else return NONE;
  let pos = 1;
  while (pos < end) {
    const head = hist[pos] as number;
    const tag = head >> 4;
    const len = head & 0x0f;
    if (pos + 1 + len > end) return NONE;
    if (tag === 0x7 && len >= 3) {
      const third = hist[pos + 3] as number;
      return { extendedLength: (third & 0x40) !== 0, commandChaining: (third & 0x80) !== 0 };
    }
    pos += 1 + len;
  }
  return NONE;
}
