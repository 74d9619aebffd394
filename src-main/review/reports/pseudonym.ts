/**
 * Keyed pseudonyms for amber data: HMAC-SHA-256 under the organisation's pseudonymisation key, so the same NHS
 * number (or user id) gives the same pseudonym in every extract made with that key and nobody without the key
 * can compute or reverse one. The key stays inside a PseudonymKey: it has no getter, serialises as a placeholder
 * and is never written anywhere.
 *
 * A pseudonym is the whole 32-byte HMAC written in ModHex (Yubico's hexadecimal with the letters cbdefghijklnrtuv
 * for 0-f): 64 lower-case letters, so no pseudonym can contain, or be taken for, an NHS number or a user id.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { inspect } from 'node:util';
import { KeyFileError } from './errors';

/** What is being pseudonymised: part of the HMAC input, so a user id and an NHS number never share a pseudonym. */
export type PseudonymKind = 'nhs-number' | 'user-id';

/** 256 bits: HMAC-SHA-256's own strength (RFC 2104: a key shorter than the output weakens it). */
export const MIN_KEY_BYTES = 32;
const MAX_KEY_FILE_BYTES = 4096;
const MODHEX_BYTES = Buffer.from('cbdefghijklnrtuv', 'latin1');
const DOMAIN = 'stethoscope pseudonym v1';

export class PseudonymKey {
  readonly #key: KeyObject;

  private constructor(key: KeyObject) {
    this.#key = key;
  }

  /** A key from its bytes (copied); KeyFileError when shorter than MIN_KEY_BYTES. */
  static fromBytes(bytes: Uint8Array): PseudonymKey {
    if (bytes.length < MIN_KEY_BYTES)
      throw new KeyFileError(`a pseudonymisation key needs at least ${MIN_KEY_BYTES} bytes (256 bits)`);
    return new PseudonymKey(createSecretKey(Buffer.from(bytes)));
  }

  /** The pseudonym of one identifier value: 64 ModHex letters. */
  pseudonym(kind: PseudonymKind, value: string): string {
    const mac = createHmac('sha256', this.#key)
      .update(`${DOMAIN}\u0000${kind}\u0000${value}`, 'utf8')
      .digest();
    // Written into bytes and decoded once: a flat string, which sorts and compares fast (a string grown by +=
    // sixty-four times is not).
    const out = Buffer.allocUnsafe(mac.length * 2);
    for (let i = 0; i < mac.length; i++) {
      const byte = mac[i] as number;
      out[2 * i] = MODHEX_BYTES[byte >> 4] as number;
      out[2 * i + 1] = MODHEX_BYTES[byte & 15] as number;
    }
    return out.toString('latin1');
  }

  toJSON(): string {
    return '[pseudonymisation key]';
  }

  [inspect.custom](): string {
    return 'PseudonymKey [pseudonymisation key]';
  }
}

/**
 * Loads the key from a file the organisation keeps for it: the file's bytes are the key (one trailing line end is
 * not part of it), at least MIN_KEY_BYTES. Refused: a missing or unreadable file, anything but a regular file, a
 * file other users can read or write or its group can write, an empty, short or over-long one. The file is opened
 * once and checked through that handle, so it cannot be swapped between the check and the read.
 */
export function loadPseudonymKey(file: string): PseudonymKey {
  let fd: number;
  try {
    // Non-blocking, so a FIFO put in the key's place is refused below instead of hanging the open.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KeyFileError(
      code === 'ENOENT'
        ? `${file}: no such key file`
        : code === 'EACCES'
          ? `${file}: not allowed to read the key file`
          : `${file}: cannot open the key file (${code ?? 'unknown error'})`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new KeyFileError(`${file}: not a regular file`);
    if ((st.mode & 0o027) !== 0)
      throw new KeyFileError(
        `${file}: the key file is open to other users (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): ` +
          'make it readable by its owner only (chmod 600)',
      );
    if (st.size > MAX_KEY_FILE_BYTES)
      throw new KeyFileError(`${file}: too large to be a key file (over ${MAX_KEY_FILE_BYTES} bytes)`);
    const buf = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_KEY_FILE_BYTES)
        throw new KeyFileError(`${file}: too large to be a key file (over ${MAX_KEY_FILE_BYTES} bytes)`);
    }
    let end = length;
    if (end > 0 && buf[end - 1] === 0x0a) end--;
    if (end > 0 && buf[end - 1] === 0x0d) end--;
    const bytes = buf.subarray(0, end);
    try {
      if (bytes.length === 0) throw new KeyFileError(`${file}: the key file is empty`);
      if (bytes.length < MIN_KEY_BYTES)
        throw new KeyFileError(
          `${file}: the key is too short (${bytes.length} bytes; at least ${MIN_KEY_BYTES} are needed). ` +
            `Make one with: openssl rand -hex 32 > FILE && chmod 600 FILE`,
        );
      return PseudonymKey.fromBytes(bytes);
    } finally {
      buf.fill(0);
    }
  } finally {
    closeSync(fd);
  }
}
