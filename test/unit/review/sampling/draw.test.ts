/**
 * Sampling for second-line review: reproducible from its seed, independent of the order alerts are listed in,
 * stable when late alerts arrive, and sized as asked (a percentage rounds up; never more than there are).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSample, freshSeed, sampleCount } from '../../../../src-main/review/sampling/draw';

const ids = Array.from({ length: 200 }, (_, i) => `alert-${String(i).padStart(4, '0')}`);

describe('drawSample', () => {
  it('the same seed gives the same draw; another seed another', () => {
    const a = drawSample(ids, { kind: 'count', value: 10 }, 'seed-a');
    expect(drawSample(ids, { kind: 'count', value: 10 }, 'seed-a')).toEqual(a);
    expect(drawSample(ids, { kind: 'count', value: 10 }, 'seed-b')).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
  });

  it('does not depend on the order the alerts are listed in, nor on duplicates', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(ids, { minLength: ids.length }),
        fc.string({ minLength: 4 }),
        (order, seed) => {
          expect(drawSample([...order, ...order.slice(0, 5)], { kind: 'percent', value: 5 }, seed)).toEqual(
            drawSample(ids, { kind: 'percent', value: 5 }, seed),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a late alert takes its own place: every earlier pick that stays in the draw keeps its order', () => {
    const before = drawSample(ids, { kind: 'count', value: 20 }, 'late');
    const after = drawSample([...ids, 'alert-late'], { kind: 'count', value: 20 }, 'late');
    const kept = after.filter((id) => id !== 'alert-late');
    expect(kept).toEqual(before.slice(0, kept.length));
  });

  it('a smaller draw with the same seed is the start of a larger one', () => {
    expect(drawSample(ids, { kind: 'count', value: 5 }, 's')).toEqual(
      drawSample(ids, { kind: 'count', value: 50 }, 's').slice(0, 5),
    );
  });
});

describe('sampleCount', () => {
  it.each([
    [{ kind: 'percent', value: 10 } as const, 200, 20],
    [{ kind: 'percent', value: 10 } as const, 5, 1],
    [{ kind: 'percent', value: 100 } as const, 7, 7],
    [{ kind: 'percent', value: 0.5 } as const, 1000, 5],
    [{ kind: 'count', value: 30 } as const, 12, 12],
    [{ kind: 'count', value: 3 } as const, 12, 3],
    [{ kind: 'count', value: 3 } as const, 0, 0],
  ])('%o of %i alerts is %i', (size, population, n) => {
    expect(sampleCount(size, population)).toBe(n);
  });
});

it('fresh seeds are 128 random bits, readable in groups', () => {
  const a = freshSeed();
  expect(a).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{8}){3}$/);
  expect(freshSeed()).not.toBe(a);
});
