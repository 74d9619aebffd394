/**
 * Strict BER-TLV framing for PIV data objects (ISO 7816-4 / SP 800-73-4 Part 2): tags of one to three bytes,
 * definite lengths of up to three length bytes. Anything else, or bytes left over, throws CardUnreadableError.
 * This is protocol framing only; X.509 and CMS inside the objects are parsed by pkijs.
 */
import { CardUnreadableError } from './errors';

export interface Tlv {
  /** The tag bytes as a number, e.g. 0x53, 0x5fc102, 0x7c. */
  tag: number;
  value: Buffer;
}

/** Largest object a PIV card may hold; guards against absurd lengths before allocating. */
const MAX_LENGTH = 0xffffff;

function readTag(buf: Buffer, pos: number): { tag: number; next: number } {
  const first = buf[pos];
  if (first === undefined) throw new CardUnreadableError('TLV: tag missing');
  if (first === 0x00 || first === 0xff)
    throw new CardUnreadableError(`TLV: invalid tag byte ${first.toString(16)}`);
  let tag = first;
  let next = pos + 1;
  if ((first & 0x1f) === 0x1f) {
    // Multi-byte tag: subsequent bytes have bit 8 set while more follow.
    for (let i = 0; ; i++) {
      const b = buf[next];
      if (b === undefined) throw new CardUnreadableError('TLV: truncated tag');
      if (i >= 2) throw new CardUnreadableError('TLV: tag longer than 3 bytes');
      tag = tag * 256 + b;
      next++;
      if ((b & 0x80) === 0) break;
    }
  }
  return { tag, next };
}

function readLength(buf: Buffer, pos: number): { length: number; next: number } {
  const first = buf[pos];
  if (first === undefined) throw new CardUnreadableError('TLV: length missing');
  if (first < 0x80) return { length: first, next: pos + 1 };
  if (first === 0x80) throw new CardUnreadableError('TLV: indefinite length is not allowed');
  const count = first & 0x7f;
  if (count > 3) throw new CardUnreadableError(`TLV: ${count} length bytes is too many`);
  if (pos + 1 + count > buf.length) throw new CardUnreadableError('TLV: truncated length');
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (buf[pos + 1 + i] as number);
  if (length > MAX_LENGTH) throw new CardUnreadableError('TLV: length too large');
  return { length, next: pos + 1 + count };
}

/** Parses a concatenation of TLVs that must fill `buf` exactly. */
export function parseTlvs(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const { tag, next } = readTag(buf, pos);
    const { length, next: valueAt } = readLength(buf, next);
    const end = valueAt + length;
    if (end > buf.length)
      throw new CardUnreadableError(
        `TLV: tag ${tag.toString(16)} claims ${length} bytes, only ${buf.length - valueAt} left`,
      );
    out.push({ tag, value: buf.subarray(valueAt, end) });
    pos = end;
  }
  return out;
}

/** Parses `buf` as exactly one TLV with the expected tag. */
export function parseSingle(buf: Buffer, expectedTag: number): Buffer {
  const all = parseTlvs(buf);
  if (all.length !== 1 || all[0]?.tag !== expectedTag) {
    throw new CardUnreadableError(
      `TLV: expected one ${expectedTag.toString(16)} object, got ${all.map((t) => t.tag.toString(16)).join(',') || 'nothing'}`,
    );
  }
  return all[0].value;
}

/** Indexes child TLVs by tag, refusing duplicates (an ambiguous object is malformed). */
export function tlvMap(children: readonly Tlv[]): Map<number, Buffer> {
  const map = new Map<number, Buffer>();
  for (const c of children) {
    if (map.has(c.tag)) throw new CardUnreadableError(`TLV: tag ${c.tag.toString(16)} appears twice`);
    map.set(c.tag, c.value);
  }
  return map;
}

function tagBytes(tag: number): Buffer {
  if (tag <= 0xff) return Buffer.from([tag]);
  if (tag <= 0xffff) return Buffer.from([tag >> 8, tag & 0xff]);
  return Buffer.from([(tag >> 16) & 0xff, (tag >> 8) & 0xff, tag & 0xff]);
}

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n <= 0xff) return Buffer.from([0x81, n]);
  if (n <= 0xffff) return Buffer.from([0x82, n >> 8, n & 0xff]);
  if (n <= MAX_LENGTH) return Buffer.from([0x83, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  throw new RangeError('TLV value too long');
}

/** Encodes one TLV (definite length, minimal length bytes). */
export function encodeTlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([tagBytes(tag), lengthBytes(value.length), value]);
}
