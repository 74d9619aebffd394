/**
 * The new-alert notice: a count of alerts that arrived since the queue was last shown, told only when it
 * changes, started again for each session, and silent for someone who reviews no alerts.
 */
import { describe, expect, it } from 'vitest';
import { createAlertNotice } from '../../../src-main/review/alert-notice';
import { FakeSession } from '../../support/records/fakes';

function setUp() {
  const session = new FakeSession();
  let count: number | null = 3;
  const told: number[] = [];
  const notice = createAlertNotice({
    count: async () => {
      if (count === -1) throw new Error('repository down');
      return count;
    },
    notify: (n) => told.push(n),
    session,
    intervalMs: 3_600_000,
  });
  return { session, told, notice, set: (n: number | null) => (count = n) };
}

describe('the new-alert notice', () => {
  it('tells how many arrived since the queue was shown, only when the number changes', async () => {
    const { notice, told, set } = setUp();
    await notice.check(); // the first answer is the starting point
    expect(told).toEqual([]);
    set(5);
    await notice.check();
    set(5);
    await notice.check();
    set(6);
    await notice.check();
    expect(told).toEqual([2, 3]);
    notice.seen(6); // she looked at her queue
    expect(told).toEqual([2, 3, 0]);
    set(7);
    await notice.check();
    expect(told).toEqual([2, 3, 0, 1]);
    notice.close();
  });

  it('starts again for a new session; says nothing when nobody who reviews is signed in or the repository fails', async () => {
    const { notice, told, set, session } = setUp();
    await notice.check();
    set(4);
    await notice.check();
    expect(told).toEqual([1]);
    session.emit('signed-out');
    set(null);
    await notice.check();
    set(-1);
    await notice.check();
    set(9);
    await notice.check(); // the new session's starting point
    expect(told).toEqual([1]);
    set(10);
    await notice.check();
    expect(told).toEqual([1, 1]);
    notice.close();
  });
});
