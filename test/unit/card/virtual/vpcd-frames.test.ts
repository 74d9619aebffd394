/**
 * vpcd framing: frames split and merged arbitrarily by TCP come out whole and in order.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameReader, frame } from '../../../../src-main/card/virtual/vpcd-link';

describe('vpcd frames', () => {
  it('prefixes the big-endian length', () => {
    expect(frame(Buffer.from([0x04])).toString('hex')).toBe('000104');
    expect(frame(Buffer.alloc(300)).subarray(0, 2).toString('hex')).toBe('012c');
  });

  it('reassembles any split of a stream of frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 400 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b) => frame(b)));
          const reader = new FrameReader();
          const out: Buffer[] = [];
          let i = 0;
          let k = 0;
          while (i < stream.length) {
            const n = cuts[k++ % cuts.length] as number;
            out.push(...reader.push(stream.subarray(i, i + n)));
            i += n;
          }
          expect(out.map((b) => b.toString('hex'))).toEqual(
            bodies.map((b) => Buffer.from(b).toString('hex')),
          );
        },
      ),
    );
  });

  it('holds back an incomplete frame', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from([0x00, 0x03, 0xaa]))).toEqual([]);
    expect(reader.push(Buffer.from([0xbb, 0xcc, 0x00]))).toEqual([Buffer.from([0xaa, 0xbb, 0xcc])]);
  });
});
