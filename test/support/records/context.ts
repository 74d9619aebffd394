/** A record source context for tests that call a source directly (never aborted, a fixed correlation id). */
import type { SourceContext } from '../../../src-main/records/source/types';

export const CTX: SourceContext = {
  signal: new AbortController().signal,
  user: {
    sessionId: 'test-session',
    holder: { displayName: 'Dr Test User', userId: '555000000001' },
    role: {
      urid: '555000000001-01',
      orgCode: 'C81007',
      orgName: 'Test organisation',
      orgType: 'gp-practice',
      roleCode: 'R8000',
      roleName: 'Clinical Practitioner Access Role',
      activities: ['B0370'],
    },
  },
  correlationId: '00000000-0000-4000-8000-000000000000',
};
