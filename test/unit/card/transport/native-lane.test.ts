/**
 * The native lane: one call at a time per reader, each with a deadline; a call that misses it is answered with
 * CardTimeoutError and leaves the lane stuck (further calls refused at once, clean-up calls waiting) until it
 * returns. The binding is stood in for by callbacks the test fires by hand.
 */
import { describe, expect, it } from 'vitest';
import { createNativeLane, secondsText } from '../../../../src-main/card/transport/native-lane';
import { CardTimeoutError } from '../../../../src-main/card/transport/types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createNativeLane', () => {
  it('runs calls one after the other, in order', async () => {
    const lane = createNativeLane(1000);
    const order: string[] = [];
    let finishFirst: (() => void) | null = null;
    const first = lane.run<string>((done) => {
      order.push('first started');
      finishFirst = () => done('a');
    });
    const second = lane.run<string>((done) => {
      order.push('second started');
      done('b');
    });
    await sleep(10);
    expect(order).toEqual(['first started']);
    finishFirst!();
    expect(await first).toBe('a');
    expect(await second).toBe('b');
    expect(order).toEqual(['first started', 'second started']);
  });

  it('answers a call that misses its deadline with CardTimeoutError, and refuses the next at once', async () => {
    const lane = createNativeLane(50);
    let late: ((v: string) => void) | null = null;
    const t0 = performance.now();
    const stalled = lane.run<string>((done) => {
      late = done;
    });
    await expect(stalled).rejects.toBeInstanceOf(CardTimeoutError);
    await expect(stalled).rejects.toThrow('The card did not answer within 0.1 seconds.');
    expect(performance.now() - t0).toBeLessThan(500);
    expect(lane.stuck).toBe(true);

    let started = false;
    await expect(
      lane.run((done) => {
        started = true;
        done(undefined);
      }),
    ).rejects.toThrow(/still waiting for it/);
    expect(started).toBe(false);

    // The late answer is dropped; the lane works again.
    late!('too late');
    await lane.idle();
    expect(lane.stuck).toBe(false);
    expect(await lane.run<number>((done) => done(7))).toBe(7);
  });

  it('runs a clean-up call (whenFree) after the stuck call returns, without a deadline', async () => {
    const lane = createNativeLane(30);
    let late: ((v: void) => void) | null = null;
    const stalled = lane.run<void>((done) => {
      late = done;
    });
    await expect(stalled).rejects.toBeInstanceOf(CardTimeoutError);
    let released = false;
    const cleanup = lane.run<void>(
      (done) => {
        released = true;
        setTimeout(() => done(), 100); // longer than the deadline: clean-up calls have none
      },
      { whenFree: true },
    );
    await sleep(60);
    expect(released).toBe(false);
    late!();
    await cleanup;
    expect(released).toBe(true);
  });

  it('refuses calls that were queued behind a call that then missed its deadline', async () => {
    const lane = createNativeLane(30);
    let late: ((v: void) => void) | null = null;
    const stalled = lane.run<void>((done) => {
      late = done;
    });
    let queuedStarted = false;
    const queued = lane.run<void>((done) => {
      queuedStarted = true;
      done();
    });
    await expect(stalled).rejects.toBeInstanceOf(CardTimeoutError);
    late!();
    await expect(queued).rejects.toThrow(/still waiting for it/);
    expect(queuedStarted).toBe(false);
  });

  it('a call that throws before starting rejects without blocking the lane', async () => {
    const lane = createNativeLane(1000);
    await expect(
      lane.run(() => {
        throw new TypeError('First argument must be a Buffer');
      }),
    ).rejects.toThrow('First argument must be a Buffer');
    expect(lane.stuck).toBe(false);
    expect(await lane.run<string>((done) => done('ok'))).toBe('ok');
  });

  it('says the deadline in words', () => {
    expect(secondsText(1000)).toBe('1 second');
    expect(secondsText(5000)).toBe('5 seconds');
    expect(secondsText(1500)).toBe('1.5 seconds');
  });
});
