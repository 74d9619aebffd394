/** The chain hash is SHA-256(previous hash || canonical JSON) from 32 zero bytes. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainHash } from '../../../../src-main/audit/log/chain';

describe('chainHash', () => {
  it('matches SHA-256 over the concatenated bytes', () => {
    const json = '{"a":"é"}';
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.alloc(32), Buffer.from(json, 'utf8')]))
      .digest('hex');
    expect(chainHash(GENESIS_HASH, json).toString('hex')).toBe(expected);
  });
  it('depends on the previous hash and on every byte of the event', () => {
    const h1 = chainHash(GENESIS_HASH, '{"a":1}');
    expect(chainHash(h1, '{"a":1}').equals(h1)).toBe(false);
    expect(chainHash(GENESIS_HASH, '{"a":2}').equals(h1)).toBe(false);
  });
  it('refuses a previous hash of the wrong length', () => {
    expect(() => chainHash(Buffer.alloc(31), '{}')).toThrow(/32 bytes/);
  });
});
