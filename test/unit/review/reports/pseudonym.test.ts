/**
 * Keyed pseudonyms: stable under one key, different under another, separate per kind of identifier; and the key
 * file: refused when missing, unsafe or short, never shown.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KeyFileError,
  loadPseudonymKey,
  MIN_KEY_BYTES,
  PseudonymKey,
} from '../../../../src-main/review/reports/index';
import { tempDir } from '../../../support/audit-log/fixtures';
import { NHS } from '../../../support/review/events';

// Two fixed 32-byte keys (neither ends in a line-end byte, so the raw-file test reads all 32).
const KEY_A = createHash('sha256').update('test key A').digest();
const KEY_B = createHash('sha256').update('test key B').digest();
const MODHEX64 = /^[cbdefghijklnrtuv]{64}$/;

describe('pseudonyms', () => {
  it('the fixed test keys are 32 bytes and do not end in a line end', () => {
    for (const k of [KEY_A, KEY_B]) {
      expect(k.length).toBe(32);
      expect([0x0a, 0x0d]).not.toContain(k.at(-1));
    }
  });

  it('are stable under one key, also across key objects made from the same bytes', () => {
    const a = PseudonymKey.fromBytes(KEY_A);
    const p = a.pseudonym('nhs-number', NHS.a);
    expect(p).toMatch(MODHEX64);
    expect(a.pseudonym('nhs-number', NHS.a)).toBe(p);
    expect(PseudonymKey.fromBytes(Buffer.from(KEY_A)).pseudonym('nhs-number', NHS.a)).toBe(p);
  });

  it('differ under another key', () => {
    const a = PseudonymKey.fromBytes(KEY_A);
    const b = PseudonymKey.fromBytes(KEY_B);
    for (const n of Object.values(NHS))
      expect(b.pseudonym('nhs-number', n)).not.toBe(a.pseudonym('nhs-number', n));
    expect(b.pseudonym('user-id', '555000000001')).not.toBe(a.pseudonym('user-id', '555000000001'));
  });

  it('differ per person and per kind: the same digits as a user id and as an NHS number do not match', () => {
    const a = PseudonymKey.fromBytes(KEY_A);
    expect(a.pseudonym('nhs-number', NHS.a)).not.toBe(a.pseudonym('nhs-number', NHS.b));
    expect(a.pseudonym('user-id', NHS.a)).not.toBe(a.pseudonym('nhs-number', NHS.a));
  });

  it('are HMAC-SHA-256 under the key (independently computed)', async () => {
    const { createHmac } = await import('node:crypto');
    const mac = createHmac('sha256', KEY_A)
      .update(`stethoscope pseudonym v1\u0000nhs-number\u0000${NHS.a}`)
      .digest('hex');
    const modhex = mac.replace(/[0-9a-f]/g, (h) => 'cbdefghijklnrtuv'[parseInt(h, 16)] as string);
    expect(PseudonymKey.fromBytes(KEY_A).pseudonym('nhs-number', NHS.a)).toBe(modhex);
  });

  it('a key shorter than 32 bytes is refused', () => {
    expect(() => PseudonymKey.fromBytes(KEY_A.subarray(0, MIN_KEY_BYTES - 1))).toThrow(KeyFileError);
    expect(() => PseudonymKey.fromBytes(KEY_A.subarray(0, MIN_KEY_BYTES))).not.toThrow();
  });

  it('the key never shows: not in JSON, inspect, string form or own properties', () => {
    const key = PseudonymKey.fromBytes(KEY_A);
    const shown = [
      JSON.stringify(key),
      JSON.stringify({ key }),
      inspect(key, { showHidden: true, depth: 9 }),
      String(key),
    ];
    shown.push(JSON.stringify(Object.getOwnPropertyNames(key)), JSON.stringify(Object.entries(key)));
    for (const s of shown) {
      for (const form of [KEY_A.toString('hex'), KEY_A.toString('base64'), KEY_A.toString('latin1')])
        expect(s).not.toContain(form);
    }
    expect(JSON.stringify(key)).toBe('"[pseudonymisation key]"');
  });
});

describe('the key file', () => {
  let dir = '';
  let remove = () => {};
  beforeAll(() => {
    ({ dir, remove } = tempDir('reports-key'));
  });
  afterAll(() => remove());

  function keyFile(name: string, content: string | Buffer, mode: number): string {
    const f = join(dir, name);
    writeFileSync(f, content);
    chmodSync(f, mode);
    return f;
  }
  const refusal = (file: string) => {
    try {
      loadPseudonymKey(file);
    } catch (err) {
      expect(err).toBeInstanceOf(KeyFileError);
      return (err as Error).message;
    }
    throw new Error('the key file was accepted');
  };

  it('the file bytes are the key; one trailing line end is not part of it', () => {
    const hex = KEY_A.toString('hex');
    const expected = PseudonymKey.fromBytes(Buffer.from(hex)).pseudonym('user-id', '555000000001');
    for (const [name, content] of [
      ['plain', hex],
      ['lf', `${hex}\n`],
      ['crlf', `${hex}\r\n`],
    ] as const) {
      expect(loadPseudonymKey(keyFile(name, content, 0o600)).pseudonym('user-id', '555000000001')).toBe(
        expected,
      );
    }
    expect(loadPseudonymKey(keyFile('raw', KEY_A, 0o400)).pseudonym('nhs-number', NHS.a)).toBe(
      PseudonymKey.fromBytes(KEY_A).pseudonym('nhs-number', NHS.a),
    );
  });

  it('a group-readable key file is allowed (an IG team may share it)', () => {
    expect(() => loadPseudonymKey(keyFile('group-read', KEY_A, 0o640))).not.toThrow();
  });

  it.each(['0644', '0604', '0606', '0666', '0660', '0620', '0601'])(
    'mode %s is refused, with the fix',
    (octal) => {
      const mode = parseInt(octal, 8);
      const message = refusal(keyFile(`mode-${mode.toString(8)}`, KEY_A, mode));
      expect(message).toContain('open to other users');
      expect(message).toContain(`mode ${octal}`);
      expect(message).toContain('chmod 600');
    },
  );

  it('a missing file, a folder, an empty, short or over-long file is refused', () => {
    expect(refusal(join(dir, 'absent'))).toMatch(/no such key file$/);
    const folder = join(dir, 'folder');
    mkdirSync(folder, { mode: 0o700 });
    expect(refusal(folder)).toMatch(/not a regular file$/);
    expect(refusal(keyFile('empty', '', 0o600))).toMatch(/empty$/);
    expect(refusal(keyFile('newline', '\n', 0o600))).toMatch(/empty$/);
    expect(refusal(keyFile('big', Buffer.alloc(5000, 1), 0o600))).toMatch(/too large/);
  });

  it('a short key is refused without repeating it', () => {
    const message = refusal(keyFile('short', 'correct horse battery staple\n', 0o600));
    expect(message).toMatch(/too short \(28 bytes; at least 32/);
    expect(message).not.toContain('horse');
    expect(refusal(keyFile('31', 'k'.repeat(31), 0o600))).toMatch(/too short/);
    expect(() => loadPseudonymKey(keyFile('32', 'k'.repeat(32), 0o600))).not.toThrow();
  });

  it('a FIFO in the key file’s place is refused at once, not waited on', () => {
    const fifo = join(dir, 'fifo');
    const made = spawnSync('mkfifo', ['-m', '600', fifo]);
    if (made.status !== 0) throw new Error('mkfifo (coreutils) is needed for this test');
    expect(refusal(fifo)).toMatch(/not a regular file$/);
  });
});
