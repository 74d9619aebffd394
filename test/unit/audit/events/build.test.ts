/** Every AuditEntry kind becomes a FHIR R4 AuditEvent that validates against the published R4 schema. */
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import {
  buildCheckpointEvent,
  readCheckpointEvent,
  statementBytes,
} from '../../../../src-main/audit/events/checkpoint';
import { canonicalJson } from '../../../../src-main/audit/events/canonical';
import type { AuditEvent, Coding } from '../../../../src-main/audit/events/fhir';
import type { AuditEntry } from '../../../../src-main/audit/types';
import { isValidNhsNumber } from '../../../../src-shared/domain/nhs-number';
import { allEntries, entriesByKind, NHS } from '../../../support/audit-log/fixtures';
import { fhirR4Errors } from '../../../support/audit-log/fhir-validator';

const ctx = {
  uuid: '0b6f9d0e-5d7c-4a53-9d0f-6c1f3f7f5a10',
  recorded: '2026-11-24T10:15:30.123Z',
  machineName: 'ws-test-01',
};
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const has = (codings: Coding[] | undefined, system: string, code: string) =>
  (codings ?? []).some((c) => c.system === system && c.code === code);
const user = (e: AuditEvent) => e.agent.find((a) => a.requestor);

describe('AuditEvent builders', () => {
  it('fixtures use valid synthetic NHS numbers', () => {
    for (const n of Object.values(NHS)) expect(isValidNhsNumber(n) && n.startsWith('999')).toBe(true);
  });

  it.each(allEntries.map((e) => [e.kind, e] as const))(
    '%s validates against the FHIR R4 AuditEvent schema',
    (_k, entry) => {
      const event = buildAuditEvent(entry, ctx);
      // Through canonical JSON and back, as it is stored and shipped.
      const shipped = JSON.parse(canonicalJson(event)) as AuditEvent;
      expect(fhirR4Errors(shipped)).toEqual([]);
      expect(shipped.id).toBe(ctx.uuid);
      expect(shipped.recorded).toBe(ctx.recorded);
      expect(['0', '4', '8']).toContain(shipped.outcome);
      expect(shipped.source.observer.identifier?.value).toBe('WS-TEST-01');
      // The workstation is always an agent, with its network address.
      const ws = shipped.agent.find((a) => has(a.type?.coding, DCM, '110153'));
      expect(ws?.network).toEqual({ address: 'ws-test-01', type: '1' });
      // R4 invariant sev-1: an entity has a name or a query, never both (the schema cannot express it).
      for (const en of shipped.entity ?? []) expect(en.name !== undefined && 'query' in en).toBe(false);
    },
  );

  it('the schema check can fail (a broken event is caught)', () => {
    const event = buildAuditEvent(entriesByKind.login, ctx);
    expect(fhirR4Errors({ ...event, outcome: '3' }).length).toBeGreaterThan(0);
    expect(fhirR4Errors({ ...event, recorded: '2026-11-24' }).length).toBeGreaterThan(0);
  });

  it('login / logout / refused: DCM 110114 with 110122 / 110123 and the right outcome', () => {
    const login = buildAuditEvent(entriesByKind.login, ctx);
    expect(login.type).toMatchObject({ system: DCM, code: '110114' });
    expect(has(login.subtype, DCM, '110122')).toBe(true);
    expect(login.outcome).toBe('0');
    const u = user(login);
    expect(u?.who?.identifier).toEqual({
      system: 'https://fhir.nhs.uk/Id/sds-user-id',
      value: '555000000001',
    });
    expect(u?.name).toBe('Dr Ada Testwell');
    expect(
      u?.role?.some((r) => has(r.coding, 'https://fhir.nhs.uk/Id/sds-role-profile-id', '555000000001-01')),
    ).toBe(true);
    const org = login.agent.find(
      (a) => a.who?.identifier?.system === 'https://fhir.nhs.uk/Id/ods-organization-code',
    );
    expect(org?.who?.identifier?.value).toBe('RXX01');

    const logout = buildAuditEvent(entriesByKind.logout, ctx);
    expect(has(logout.subtype, DCM, '110123')).toBe(true);

    const refused = buildAuditEvent(entriesByKind['login-refused'], ctx);
    expect(refused.outcome).toBe('8');
    expect(refused.outcomeDesc).toBe('certificate-revoked');
    const minor = buildAuditEvent({ ...entriesByKind['login-refused'], outcome: 'minor-failure' }, ctx);
    expect(minor.outcome).toBe('4');
    // Nothing known about the user beyond the card's name: no identifier is invented.
    expect(user(refused)?.who).toEqual({ display: 'Unknown Card' });
  });

  it('session lock and unlock are DCM 110114 events', () => {
    expect(buildAuditEvent(entriesByKind['session-locked'], ctx).type.code).toBe('110114');
    expect(buildAuditEvent(entriesByKind['session-unlocked'], ctx).type.code).toBe('110114');
  });

  it('an unlock through PIN grace says the PIN was not typed; a typed one says same card and PIN', () => {
    const typed = buildAuditEvent(entriesByKind['session-unlocked'], ctx);
    const grace = buildAuditEvent({ ...entriesByKind['session-unlocked'], pin: 'grace' } as AuditEntry, ctx);
    expect(typed.outcomeDesc).toBe('Session unlocked: same smartcard and PIN');
    expect(grace.outcomeDesc).toMatch(/PIN not typed .*PIN grace/);
    expect(grace.subtype).toEqual(typed.subtype);
  });

  it('record read: rest/read, action R, purpose TREAT or ETREAT, patient by NHS number with role 1', () => {
    const e = buildAuditEvent(entriesByKind['record-read'], ctx);
    expect(e.type).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
    });
    expect(has(e.subtype, 'http://hl7.org/fhir/restful-interaction', 'read')).toBe(true);
    expect(e.action).toBe('R');
    expect(
      has(e.purposeOfEvent?.[0]?.coding, 'http://terminology.hl7.org/CodeSystem/v3-ActReason', 'ETREAT'),
    ).toBe(true);
    const patient = e.entity?.find((en) => en.role?.code === '1');
    expect(patient?.what?.identifier).toEqual({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS.a });
    expect(patient?.role?.system).toBe('http://terminology.hl7.org/CodeSystem/object-role');
    const treat = buildAuditEvent({ ...entriesByKind['record-read'], purpose: 'TREAT' }, ctx);
    expect(treat.purposeOfEvent?.[0]?.coding?.[0]?.code).toBe('TREAT');
  });

  it('an encounter id, when the entry has one, becomes an Encounter entity searchable by identifier', () => {
    const id = '5f0c2a8e-1d3b-4c7a-9e2f-0a1b2c3d4e5f';
    for (const kind of [
      'ptv',
      'record-read',
      'emergency-override',
      'legal-override',
      'lr-self-claim',
    ] as const) {
      const e = buildAuditEvent({ ...entriesByKind[kind], encounterId: id } as never, ctx);
      const enc = e.entity?.filter((en) => en.type?.code === 'Encounter') ?? [];
      expect(enc, kind).toHaveLength(1);
      expect(enc[0]?.what?.identifier?.value).toBe(id);
      expect(fhirR4Errors(e), kind).toEqual([]);
      const without = buildAuditEvent(entriesByKind[kind], ctx);
      expect(
        without.entity?.some((en) => en.type?.code === 'Encounter'),
        kind,
      ).toBe(false);
    }
  });

  it('emergency override: DCM 110113 / 110127, ETREAT, reason code and text, requestor with user id and role', () => {
    const e = buildAuditEvent(entriesByKind['emergency-override'], ctx);
    expect(e.type).toMatchObject({ system: DCM, code: '110113' });
    expect(has(e.subtype, DCM, '110127')).toBe(true);
    expect(e.purposeOfEvent?.[0]?.coding?.[0]?.code).toBe('ETREAT');
    const reason = e.purposeOfEvent?.[1];
    expect(reason?.coding?.[0]?.code).toBe('5');
    expect(reason?.text).toBe('Unconscious on arrival, no relative present');
    const u = user(e);
    expect(u?.requestor).toBe(true);
    expect(u?.who?.identifier?.value).toBe('555000000001');
    expect(u?.altId).toBe('555000000001-01');
    expect(e.entity?.[0]?.what?.identifier?.value).toBe(NHS.b);
  });

  it('legal override, LR self-claim, delivery failure, tamper: DCM 110113', () => {
    for (const k of ['legal-override', 'lr-self-claim', 'delivery-failure', 'tamper-detected'] as const) {
      expect(buildAuditEvent(entriesByKind[k], ctx).type.code).toBe('110113');
    }
    expect(buildAuditEvent(entriesByKind['tamper-detected'], ctx).outcome).toBe('8');
  });

  it('report run: DCM 110112 Query with the report subtype, declared purpose and parameters; a refusal is outcome 4', () => {
    const run = buildAuditEvent(entriesByKind['report-run'], ctx);
    expect(run.type).toMatchObject({ system: DCM, code: '110112' });
    expect(run.subtype?.[0]?.code).toBe('green-report');
    expect(run.outcome).toBe('0');
    expect(run.outcomeDesc).toBeUndefined();
    expect(run.purposeOfEvent?.[0]?.coding?.[0]).toEqual({
      system: 'https://stethoscope.example/fhir/CodeSystem/report-purpose',
      code: 'service-evaluation',
    });
    expect(run.entity?.[0]?.role?.code).toBe('3');
    expect(run.entity?.[0]?.detail).toEqual([
      { type: 'by', valueString: 'org,month' },
      { type: 'events', valueString: '40' },
      { type: 'rows', valueString: '3' },
    ]);
    const reason = 'Data will not be shared or used for marketing purposes';
    const refused = buildAuditEvent(
      {
        ...entriesByKind['report-run'],
        report: 'amber',
        purpose: { code: 'marketing' },
        parameters: {},
        refusal: reason,
      },
      ctx,
    );
    expect(fhirR4Errors(JSON.parse(canonicalJson(refused)) as object)).toEqual([]);
    expect(refused.subtype?.[0]?.code).toBe('amber-extract');
    expect(refused.outcome).toBe('4');
    expect(refused.outcomeDesc).toBe(reason);
    expect(refused.entity?.[0]?.detail).toBeUndefined();
    // Words that are not a purpose code are kept as text, never made into a code.
    const typed = buildAuditEvent(
      { ...entriesByKind['report-run'], purpose: { text: 'for a friend' }, refusal: 'unknown purpose' },
      ctx,
    );
    expect(fhirR4Errors(JSON.parse(canonicalJson(typed)) as object)).toEqual([]);
    expect(typed.purposeOfEvent).toEqual([{ text: 'for a friend' }]);
    const blank = buildAuditEvent({ ...entriesByKind['report-run'], purpose: { text: ' ' } }, ctx);
    expect(fhirR4Errors(JSON.parse(canonicalJson(blank)) as object)).toEqual([]);
    expect(blank.purposeOfEvent).toBeUndefined();
  });

  it('PTV: consent decision on the patient; refusal is a failure outcome', () => {
    const refused = buildAuditEvent(entriesByKind.ptv, ctx);
    expect(
      has(refused.subtype, 'https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType', 'AuthZ-Consent'),
    ).toBe(true);
    expect(refused.outcome).toBe('4');
    expect(refused.entity?.[0]?.role?.code).toBe('1');
    expect(buildAuditEvent({ ...entriesByKind.ptv, decision: 'given' }, ctx).outcome).toBe('0');
  });

  it('preference change carries old and new values and the patient statement', () => {
    const e = buildAuditEvent(entriesByKind['preference-changed'], ctx);
    const d = e.entity?.[1]?.detail ?? [];
    expect(JSON.parse(d.find((x) => x.type === 'old')?.valueString ?? '')).toEqual({
      scr: 'core',
      sensitive: 'excluded',
      mig: 'share',
    });
    expect(JSON.parse(d.find((x) => x.type === 'new')?.valueString ?? '').scr).toBe('core-and-additional');
    expect(d.find((x) => x.type === 'patient-statement')?.valueString).toBe(
      'I want A&E to see my full summary.',
    );
  });

  it('checkpoint event validates and reads back exactly', () => {
    const statement = {
      v: 1 as const,
      workstationId: 'WS-TEST-01',
      seq: 7,
      headHash: 'ab'.repeat(32),
      at: ctx.recorded,
    };
    const cp = {
      statement,
      statementJson: statementBytes(statement),
      signature: 'AAAA',
      keyId: 'cd'.repeat(32),
      publicKey: 'AAAA',
    };
    const e = JSON.parse(canonicalJson(buildCheckpointEvent(cp, ctx))) as AuditEvent;
    expect(fhirR4Errors(e)).toEqual([]);
    expect(readCheckpointEvent(e)).toEqual({ ok: true, checkpoint: cp });
    expect(readCheckpointEvent(buildAuditEvent(entriesByKind.login, ctx)).ok).toBe(false);
  });

  it('memoised parts follow the content: actors that differ only where separators would fall, a changed actor, patients', () => {
    const base = entriesByKind.logout;
    const a = { workstationId: 'WS-1', userId: '1', displayName: '2|3' };
    const b = { workstationId: 'WS-1', userId: '1|1:2', displayName: '3' };
    const c = { workstationId: 'WS-1', userId: '1', urid: '2|3' };
    const whoOf = (actor: typeof a | typeof b | typeof c) =>
      user(buildAuditEvent({ ...base, actor }, ctx))?.who;
    expect(whoOf(a)).toEqual({ identifier: expect.objectContaining({ value: '1' }), display: '2|3' });
    expect(whoOf(b)).toEqual({ identifier: expect.objectContaining({ value: '1|1:2' }), display: '3' });
    expect(whoOf(c)).toEqual({ identifier: expect.objectContaining({ value: '1' }) });
    // The same object changed in place gets agents for its new content.
    const same = { ...a };
    expect(whoOf(same)?.display).toBe('2|3');
    same.displayName = 'Dr Changed';
    expect(whoOf(same)?.display).toBe('Dr Changed');
    // Patients: one entity per NHS number, unaffected by later changes to the caller's object.
    const patient: { nhsNumber: string } = { nhsNumber: NHS.a };
    const first = buildAuditEvent({ ...entriesByKind.ptv, patient }, ctx);
    patient.nhsNumber = NHS.b;
    const second = buildAuditEvent({ ...entriesByKind.ptv, patient }, ctx);
    expect(first.entity?.[0]?.what?.identifier?.value).toBe(NHS.a);
    expect(second.entity?.[0]?.what?.identifier?.value).toBe(NHS.b);
    expect(Object.isFrozen(second.entity?.[0])).toBe(true);
  });
});
