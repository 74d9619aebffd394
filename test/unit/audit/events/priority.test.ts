/** Delivery priority from the entry kind and from the stored event agree, so a backfilled queue keeps the order. */
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import {
  PRIORITY_ALERT,
  PRIORITY_ROUTINE,
  priorityOf,
  priorityOfEvent,
} from '../../../../src-main/audit/events/priority';
import { allEntries } from '../../../support/audit-log/fixtures';

const ctx = {
  uuid: '0b6f9d0e-5d7c-4a53-9d0f-6c1f3f7f5a10',
  recorded: '2026-11-24T10:15:30.123Z',
  machineName: 'ws',
};

describe('priority', () => {
  it.each(allEntries.map((e) => [e.kind, e] as const))('%s: kind and event agree', (_k, e) => {
    expect(priorityOfEvent(JSON.parse(JSON.stringify(buildAuditEvent(e, ctx))))).toBe(priorityOf(e.kind));
  });
  it('overrides are alerts; reads are routine', () => {
    expect(priorityOf('emergency-override')).toBe(PRIORITY_ALERT);
    expect(priorityOf('legal-override')).toBe(PRIORITY_ALERT);
    expect(priorityOf('record-read')).toBe(PRIORITY_ROUTINE);
  });
});
