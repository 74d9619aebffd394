/**
 * Builds the answer-to-reset for issued cards: T=1 only, with compact-TLV historical bytes that announce the card's
 * capabilities (command chaining and extended Lc/Le, ISO 7816-4 8.1.1.2.7) and carry a short issuer name, and the
 * TCK checksum.
 */

/** Third software function table: b8 command chaining, b7 extended Lc and Le fields. */
const CAPABILITIES = Buffer.from([0x73, 0x00, 0x00, 0xc0]);

/** 3B 8n 80 01 <historical bytes> TCK: TD1 announces TD2 (T=0 protocol byte), TD2 says T=1. */
export function makeAtr(issuerName: string): Buffer {
  const name = Buffer.from(issuerName, 'ascii');
  // Category indicator 80, card capabilities, then the name as "card issuer's data" (tag 5).
  const hist = Buffer.concat([Buffer.from([0x80]), CAPABILITIES, Buffer.from([0x50 | name.length]), name]);
  if (name.length === 0 || hist.length > 15)
    throw new Error('the issuer name must be 1 to 9 ASCII characters');
  const body = Buffer.concat([Buffer.from([0x80 | hist.length, 0x80, 0x01]), hist]);
  // TCK makes the XOR of T0..TCK zero; it is required whenever a protocol other than T=0 is indicated.
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Buffer.concat([Buffer.from([0x3b]), body, Buffer.from([tck])]);
}
