/**
 * The hash chain: hash(n) = SHA-256(hash(n-1) || canonical JSON of event n, UTF-8), with hash(0) = 32 zero bytes.
 * Editing, removing or reordering any event changes every hash after it.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH: Buffer = Buffer.alloc(32);

export function chainHash(prev: Uint8Array, canonicalJson: string): Buffer {
  if (prev.length !== 32) throw new Error(`previous hash must be 32 bytes, got ${prev.length}`);
  return createHash('sha256').update(prev).update(canonicalJson, 'utf8').digest();
}
