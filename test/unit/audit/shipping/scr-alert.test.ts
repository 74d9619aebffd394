/**
 * Privacy alerts for the SCR service, made from the workstation's own events: which events become alerts, the
 * API's type/reason table, and what each alert names (user, organisation, workstation, patient). Checked against
 * the test SCR service's own schema of the alert shape.
 */
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import type { AuditEntry } from '../../../../src-main/audit/types';
import { scrAlertOf } from '../../../../src-main/audit/shipping/scr/scr-alert';
import { ScrAlert } from '../../../../src-main/sandbox/services/scr/requests';

const actor = {
  userId: '555000000301',
  displayName: 'Dr Test',
  urid: '555000000301-01',
  roleCode: 'R8000',
  orgCode: 'C81007',
  workstationId: 'WS-TEST-01',
};
const patient = { nhsNumber: '9990000018' };
const ctx = {
  uuid: '0b6f9d0e-5d7c-4a53-9d0f-6c1f3f7f5a10',
  recorded: '2026-11-24T10:15:30.123Z',
  machineName: 'ws',
};
const alertOf = (entry: AuditEntry) => scrAlertOf(JSON.parse(JSON.stringify(buildAuditEvent(entry, ctx))));

describe('scrAlertOf', () => {
  it.each([
    [{ kind: 'emergency-override', actor, patient, reasonCode: 5, reasonText: 'Unconscious' }, '2', '5'],
    [{ kind: 'emergency-override', actor, patient, reasonCode: 4, reasonText: 'Self-claimed' }, '1', '4'],
    [{ kind: 'legal-override', actor, patient, reasonCode: 3, reasonText: 'Court order 123' }, '2', '3'],
    [{ kind: 'legal-override', actor, patient, reasonCode: 6, reasonText: 'Other reason' }, '1', '6'],
    [
      { kind: 'lr-self-claim', actor, patient, reason: 'treating-now', reasonText: 'In clinic now' },
      '1',
      '6',
    ],
  ] as [AuditEntry, string, string][])(
    '%o -> type %s reason %s, in the SCR alert shape',
    (entry, type, reason) => {
      const alert = alertOf(entry);
      expect(ScrAlert.safeParse(alert).success).toBe(true);
      expect(alert).toMatchObject({
        id: ctx.uuid,
        type: { code: type },
        subtype: [{ code: reason }],
        entity: [{ what: { identifier: { value: patient.nhsNumber } } }],
      });
      const agents = (alert as { agent: { who: { identifier: { value: string } }; requestor: boolean }[] })
        .agent;
      expect(agents.map((a) => a.who.identifier.value)).toEqual(['555000000301', 'C81007', 'WS-TEST-01']);
      expect(agents.map((a) => a.requestor)).toEqual([true, false, false]);
    },
  );

  it.each([
    { kind: 'login', actor, outcome: 'success' },
    { kind: 'ptv', actor, patient, decision: 'given' },
    {
      kind: 'record-read',
      actor,
      patient,
      record: 'scr-core',
      sections: ['allergies'],
      purpose: 'ETREAT',
    },
  ] as AuditEntry[])('%o is not an alert', (entry) => {
    expect(alertOf(entry)).toBeNull();
  });
});
