/**
 * BER-TLV framing for the PIV data objects the virtual card builds and the commands it parses.
 * This is protocol framing (tag, length, value), not ASN.1 of certificates; those stay in pkijs.
 */

export interface Tlv {
  /** Tag bytes as upper-case hex, e.g. "5C", "5FC102". */
  tag: string;
  value: Buffer;
}

/** Encodes a BER length: short form below 128, else 81/82/83 long forms. */
function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n <= 0xff) return Buffer.from([0x81, n]);
  if (n <= 0xffff) return Buffer.from([0x82, n >> 8, n & 0xff]);
  if (n <= 0xffffff) return Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  throw new RangeError(`TLV value too long: ${n}`);
}

/** One TLV; the tag is given as hex. */
export function tlv(tagHex: string, ...values: Uint8Array[]): Buffer {
  const value = Buffer.concat(values);
  return Buffer.concat([Buffer.from(tagHex, 'hex'), encodeLength(value.length), value]);
}

/** Parses consecutive TLVs filling `buf` exactly; throws on a truncated or overlong item. */
export function parseTlvs(buf: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let i = 0;
  while (i < b.length) {
    const tagStart = i;
    const first = b[i++];
    if (first === undefined) throw new Error('TLV: missing tag');
    if ((first & 0x1f) === 0x1f) {
      // Multi-byte tag: continuation bytes have bit 8 set.
      for (;;) {
        const next = b[i++];
        if (next === undefined) throw new Error('TLV: truncated tag');
        if ((next & 0x80) === 0) break;
      }
    }
    const tag = b.subarray(tagStart, i).toString('hex').toUpperCase();
    const l0 = b[i++];
    if (l0 === undefined) throw new Error(`TLV ${tag}: missing length`);
    let len = l0;
    if (l0 & 0x80) {
      const count = l0 & 0x7f;
      if (count < 1 || count > 3) throw new Error(`TLV ${tag}: unsupported length form ${l0.toString(16)}`);
      if (i + count > b.length) throw new Error(`TLV ${tag}: truncated length`);
      len = 0;
      for (let k = 0; k < count; k++) len = (len << 8) | (b[i + k] as number);
      i += count;
    }
    if (i + len > b.length)
      throw new Error(`TLV ${tag}: value of ${len} bytes overruns ${b.length - i} available`);
    out.push({ tag, value: Buffer.from(b.subarray(i, i + len)) });
    i += len;
  }
  return out;
}

/** First TLV with this tag, or undefined. */
export function findTlv(items: readonly Tlv[], tagHex: string): Tlv | undefined {
  const want = tagHex.toUpperCase();
  return items.find((t) => t.tag === want);
}
