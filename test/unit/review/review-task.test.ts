/**
 * The review Task an action makes: statuses, owner, notes appended with author and time, escalation and the
 * patient-to-be-informed mark carried over, and every Task the workstation writes is one the repository accepts
 * (the shared schema). reviewState reads it back.
 */
import { describe, expect, it } from 'vitest';
import { ReviewTaskBody, StoredReviewTask } from '../../../src-main/domain/review-task';
import { applyAction, reviewState } from '../../../src-main/review/review-service';
import type { SignedInUser } from '../../../src-main/session/port';

const user = (userId: string, name: string): SignedInUser => ({
  sessionId: 's',
  holder: { userId, displayName: name },
  role: {
    urid: `${userId}-01`,
    orgCode: 'C81007',
    orgName: 'Example Surgery',
    orgType: 'gp-practice',
    roleCode: 'R0001',
    roleName: 'Privacy Officer',
    activities: ['B0015', 'B0016', 'B0011'],
  },
});
const priya = user('555000000104', 'Priya Raman');
const sam = user('555000000204', 'Sam Deputy');
const ALERT = '0a0d17e0-0000-4000-8000-000000000001';

let version = 0;
const stored = (body: ReviewTaskBody) =>
  StoredReviewTask.parse({ ...body, id: 'task-1', meta: { versionId: String(++version) } });

describe('applyAction', () => {
  it('walks an alert from new to closed, keeping notes in order with author and time', () => {
    const t1 = stored(applyAction(ALERT, null, { action: 'take' }, priya, '2026-12-02T09:00:00Z'));
    expect(reviewState(t1)).toMatchObject({ status: 'open', owner: { name: 'Priya Raman' }, notes: [] });
    expect(t1.status).toBe('in-progress');
    const t2 = stored(
      applyAction(ALERT, t1, { action: 'note', text: 'Rang the practice.' }, sam, '2026-12-02T09:05:00Z'),
    );
    const t3 = stored(
      applyAction(
        ALERT,
        t2,
        { action: 'escalate', to: 'ig-lead', text: 'For the IG lead.' },
        priya,
        '2026-12-02T09:10:00Z',
      ),
    );
    expect(t3.status).toBe('on-hold');
    const t4 = stored(
      applyAction(ALERT, t3, { action: 'inform', patientToBeInformed: true }, priya, '2026-12-02T09:11:00Z'),
    );
    const t5 = stored(
      applyAction(
        ALERT,
        t4,
        { action: 'close', outcome: 'inappropriate', text: 'Not justified.' },
        priya,
        '2026-12-02T09:20:00Z',
      ),
    );
    const s = reviewState(t5);
    expect(s).toMatchObject({
      status: 'closed-inappropriate',
      owner: { name: 'Priya Raman' },
      escalatedTo: 'ig-lead',
      patientToBeInformed: true,
      lastChangedBy: { name: 'Priya Raman' },
      lastChanged: '2026-12-02T09:20:00Z',
      version: String(version),
    });
    expect(s.notes).toEqual([
      {
        author: { userId: '555000000204', name: 'Sam Deputy' },
        time: '2026-12-02T09:05:00Z',
        text: 'Rang the practice.',
      },
      {
        author: { userId: '555000000104', name: 'Priya Raman' },
        time: '2026-12-02T09:10:00Z',
        text: 'For the IG lead.',
      },
      {
        author: { userId: '555000000104', name: 'Priya Raman' },
        time: '2026-12-02T09:20:00Z',
        text: 'Not justified.',
      },
    ]);
    expect(t5.status).toBe('completed');
    expect(t5.focus.reference).toBe(`AuditEvent/${ALERT}`);
  });

  it('a status change keeps the owner; a note on a new alert opens it', () => {
    const t1 = stored(
      applyAction(ALERT, null, { action: 'note', text: 'First look.' }, sam, '2026-12-02T10:00:00Z'),
    );
    expect(reviewState(t1)).toMatchObject({ status: 'open', owner: null });
    const t2 = stored(
      applyAction(
        ALERT,
        t1,
        { action: 'status', status: 'under-investigation' },
        priya,
        '2026-12-02T10:01:00Z',
      ),
    );
    expect(reviewState(t2)).toMatchObject({
      status: 'under-investigation',
      owner: null,
      lastChangedBy: { name: 'Priya Raman' },
    });
  });

  it('every Task made parses with the schema the repository checks', () => {
    const t = applyAction(
      ALERT,
      null,
      { action: 'close', outcome: 'appropriate', text: 'ok' },
      priya,
      '2026-12-02T10:00:00Z',
    );
    expect(ReviewTaskBody.safeParse(t).success).toBe(true);
  });
});

it('an alert without a Task is new, unowned, with no notes', () => {
  expect(reviewState(null)).toEqual({
    version: null,
    status: 'new',
    owner: null,
    notes: [],
    escalatedTo: null,
    patientToBeInformed: false,
    lastChangedBy: null,
    lastChanged: null,
  });
});
