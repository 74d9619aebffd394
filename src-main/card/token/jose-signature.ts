/**
 * The card answers an ECDSA signature in DER (X9.62: SEQUENCE { INTEGER r, INTEGER s }); a JWS carries it as r || s,
 * each left-padded to the curve's size (RFC 7518 3.4: 32 bytes each for ES256). The DER is read strictly: minimal,
 * positive, non-zero integers that fit the curve, nothing after the SEQUENCE.
 */
import { CardUnreadableError } from '../piv/errors';
import { parseSingle, parseTlvs } from '../piv/tlv';

const notDer = () => new CardUnreadableError("The card's signature is not a DER ECDSA signature.");

function unsigned(value: Buffer, size: number): Buffer {
  if (value.length === 0 || (value[0] as number) & 0x80) throw notDer(); // empty, or negative
  // DER is minimal: a leading zero only where the next byte would otherwise read as negative.
  if (value[0] === 0 && value.length > 1 && ((value[1] as number) & 0x80) === 0) throw notDer();
  const digits = value[0] === 0 ? value.subarray(1) : value;
  if (digits.length > size || digits.every((b) => b === 0)) throw notDer();
  return Buffer.concat([Buffer.alloc(size - digits.length), digits]);
}

/** r || s, `size` bytes each, from a DER ECDSA signature. Throws CardUnreadableError when it is not one. */
export function derToJoseSignature(der: Uint8Array, size = 32): Buffer {
  let parts;
  try {
    parts = parseTlvs(parseSingle(Buffer.from(der), 0x30));
  } catch {
    throw notDer();
  }
  const [r, s] = parts;
  if (parts.length !== 2 || r?.tag !== 0x02 || s?.tag !== 0x02) throw notDer();
  return Buffer.concat([unsigned(r.value, size), unsigned(s.value, size)]);
}
