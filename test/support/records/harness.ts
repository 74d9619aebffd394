/** A records service over in-memory collaborators, with one registered patient, for unit tests. */
import type { OrgType } from '../../../src-shared/domain/rbac';
import type { SharingPreferences } from '../../../src-shared/domain/records';
import { DEFAULT_POLICY, type Policy } from '../../../src-main/policy/policy-file';
import { createRecordHandlers } from '../../../src-main/services/record-handlers';
import { toIpcError } from '../../../src-main/ipc/errors';
import { FakeSession, MemorySource, RecordingAudit, TestClock } from './fakes';
import { items, summary, testNhs } from './patients';

export const NOW = Date.parse('2026-11-24T10:00:00Z');

export function harness(
  options: {
    policy?: Policy;
    preferences?: SharingPreferences;
    permissionHours?: number;
    overrideHours?: number;
  } = {},
) {
  const session = new FakeSession();
  const audit = new RecordingAudit();
  const source = new MemorySource();
  const clock = new TestClock(NOW);
  const service = createRecordHandlers({
    source,
    policy: options.policy ?? DEFAULT_POLICY,
    session,
    audit,
    clock,
    config: {
      encounter: { permissionHours: options.permissionHours ?? 8, overrideHours: options.overrideHours ?? 4 },
      workstation: { id: 'WS-TEST' },
    },
  });
  const nhs = testNhs(7);
  const other = testNhs(900);
  source.add({
    summary: summary(nhs, 'Firstpatient'),
    items: items(nhs, (b) => {
      b.medication('Amlodipine 5mg tablets', 'One daily', '2020-01-01', 'active');
      b.allergy('Penicillin', 'Rash', 'medication', 'low', '2020-01-01');
      b.problem('Asthma', '2010-01-01', false);
    }),
    care: { registeredWith: 'C81007', referredTo: [], treatedBy: [] },
    ...(options.preferences ? { preferences: options.preferences } : {}),
  });
  source.add({
    summary: summary(other, 'Secondpatient'),
    items: items(other, (b) =>
      b.medication('Metformin 500mg tablets', 'Twice daily', '2020-01-01', 'active'),
    ),
    care: { registeredWith: 'C81007', referredTo: [], treatedBy: [] },
  });
  const signIn = (
    activities = ['B0370', 'B0168', 'B0082', 'B0020'],
    orgCode = 'C81007',
    orgType: OrgType = 'gp-practice',
  ) => session.signIn({ orgCode, orgType, activities });
  return { session, audit, source, clock, service, h: service.handlers, nhs, other, signIn };
}

/** Runs a handler and returns the wire code its refusal maps to (as the dispatcher would answer), or 'ok'. */
export async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (err) {
    const typed = toIpcError(err);
    if (typed) return typed.code;
    throw err;
  }
}
