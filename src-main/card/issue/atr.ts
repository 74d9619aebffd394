/**
 * Builds the answer-to-reset for issued cards: T=1 only, with ASCII historical bytes and the TCK checksum.
 */

/** 3B 8n 80 01 <historical bytes> TCK: TD1 announces TD2 (T=0 protocol byte), TD2 says T=1. */
export function makeAtr(historical: string): Buffer {
  const hist = Buffer.from(historical, 'ascii');
  if (hist.length > 15) throw new Error('at most 15 historical bytes');
  const body = Buffer.concat([Buffer.from([0x80 | hist.length, 0x80, 0x01]), hist]);
  // TCK makes the XOR of T0..TCK zero; it is required whenever a protocol other than T=0 is indicated.
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Buffer.concat([Buffer.from([0x3b]), body, Buffer.from([tck])]);
}
