/**
 * Reading AuditEvents: NDJSON, a FHIR Bundle, one event; every kind the workstation writes gets its type word;
 * anything else refuses the whole file with where and what, and never repeats the offending value.
 */
import { describe, expect, it } from 'vitest';
import { readAuditEvents, ReportInputError, type EventType } from '../../../../src-main/review/reports/index';
import { buildCheckpointEvent, statementBytes } from '../../../../src-main/audit/events/checkpoint';
import type { AuditEntry } from '../../../../src-main/audit/types';
import { allEntries, entriesByKind } from '../../../support/audit-log/fixtures';
import { alert, bundle, event, many, ndjson, NHS } from '../../../support/review/events';

const typeOfKind: Record<AuditEntry['kind'], EventType> = {
  login: 'login',
  'login-refused': 'login-refused',
  logout: 'logout',
  'session-locked': 'session-locked',
  'session-unlocked': 'session-unlocked',
  ptv: 'ptv',
  'record-read': 'record-read',
  'emergency-override': 'emergency',
  'legal-override': 'legal',
  'lr-self-claim': 'self-claimed-lr',
  'preferences-read': 'preferences-read',
  'override-pin-refused': 'override-pin-refused',
  'preference-changed': 'preference-changed',
  'report-run': 'report-run',
  'review-action': 'review-action',
  'delivery-failure': 'delivery-failure',
  'tamper-detected': 'tamper-detected',
};

function refusal(text: string): string {
  try {
    readAuditEvents(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ReportInputError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

const good = () => JSON.stringify(event({ entry: alert('emergency-override') }));

describe('reading AuditEvents', () => {
  it.each(allEntries.map((e) => [e.kind, e] as const))('%s has its type word', (kind, entry) => {
    const [facts] = readAuditEvents(ndjson([event({ entry })]));
    expect(facts?.type).toBe(typeOfKind[kind]);
  });

  it('an audit log checkpoint (the log writes it itself, it is no AuditEntry) is a checkpoint', () => {
    const statement = {
      v: 1 as const,
      workstationId: 'WS-TEST-01',
      seq: 10,
      headHash: 'ab'.repeat(32),
      at: '2026-11-24T10:15:30.123Z',
    };
    const cp = buildCheckpointEvent(
      {
        statement,
        statementJson: statementBytes(statement),
        signature: 'c2ln',
        keyId: 'cd'.repeat(32),
        publicKey: 'cGs=',
      },
      { uuid: 'a1b2c3d4-0000-4000-8000-00000000000a', recorded: statement.at, machineName: 'ws' },
    );
    expect(readAuditEvents(JSON.stringify(cp))).toMatchObject([
      { type: 'checkpoint', userId: null, nhsNumber: null },
    ]);
  });

  it('a successful login and a refused one are different types', () => {
    const ok = readAuditEvents(ndjson([event({ entry: entriesByKind.login })]));
    const minor = readAuditEvents(
      ndjson([event({ entry: { ...entriesByKind['login-refused'], outcome: 'minor-failure' } })]),
    );
    expect([ok[0]?.type, minor[0]?.type]).toEqual(['login', 'login-refused']);
  });

  it('reads the coded facts of an alert and the red identifiers, and nothing else', () => {
    const [f] = readAuditEvents(
      ndjson([event({ entry: alert('legal-override'), recorded: '2026-03-05T23:59:59Z' })]),
    );
    expect(f).toEqual({
      type: 'legal',
      day: '2026-03-05',
      outcome: '0',
      org: 'RXX01',
      role: 'R8000',
      purpose: 'HLEGAL',
      reason: '3',
      record: null,
      nhsNumber: NHS.b,
      userId: '555000000001',
    });
  });

  it('NDJSON and a Bundle of the same events read the same', () => {
    const events = [...many(3, alert('emergency-override')), event({ entry: entriesByKind['record-read'] })];
    const fromNdjson = readAuditEvents(ndjson(events));
    expect(fromNdjson).toHaveLength(4);
    expect(readAuditEvents(bundle(events))).toEqual(fromNdjson);
    expect(readAuditEvents(JSON.stringify(JSON.parse(bundle(events)), null, 2))).toEqual(fromNdjson);
  });

  it('takes blank lines, CRLF line ends, a byte order mark, a file without a final newline, and an empty file', () => {
    const a = good();
    const b = good();
    expect(readAuditEvents(`\ufeff${a}\r\n\r\n${b}`)).toHaveLength(2);
    expect(readAuditEvents(`${a}\n\n   \n${b}\n`)).toHaveLength(2);
    expect(readAuditEvents('')).toEqual([]);
    expect(readAuditEvents('\n')).toEqual([]);
    expect(readAuditEvents(bundle([]))).toEqual([]);
  });

  it('takes one event pretty-printed over several lines', () => {
    const e = event({ entry: alert('lr-self-claim') });
    expect(readAuditEvents(JSON.stringify(e, null, 2))).toHaveLength(1);
  });

  it('counts an event delivered twice once, and keeps unknown elements (a server’s meta) out of the way', () => {
    const e = event({ entry: alert('emergency-override') });
    const again = { ...e, meta: { versionId: '2', lastUpdated: '2026-11-25T00:00:00Z' } };
    expect(readAuditEvents(ndjson([e, again]))).toHaveLength(1);
  });
});

describe('refusing a file', () => {
  it('a line that is not JSON, by line number', () => {
    expect(refusal(`${good()}\n${good()}\n{"resourceType": "AuditEvent",\n`)).toBe(
      'line 3: not JSON (each line must be one AuditEvent)',
    );
  });

  it('a line that is JSON but not an AuditEvent, by line number and what is wrong', () => {
    expect(refusal(`${good()}\n${JSON.stringify({ resourceType: 'Patient', id: 'x' })}\n`)).toMatch(
      /^line 2: not an AuditEvent: .*resourceType/,
    );
    const e = event({ entry: alert('emergency-override') });
    expect(
      refusal(ndjson([e, { ...e, id: 'other', agent: [{ ...e.agent[0], requestor: 'yes' }] } as never])),
    ).toMatch(/^line 2: not an AuditEvent: .*agent\[0\]\.requestor/);
    expect(refusal(`${good()}\n42\n`)).toMatch(/^line 2: not an AuditEvent/);
  });

  it('a good line before a bad one does not make a partial report', () => {
    const lines = [...many(5, alert('emergency-override'))].map((e) => JSON.stringify(e));
    lines.splice(3, 0, '{"resourceType":"AuditEvent"}');
    expect(() => readAuditEvents(lines.join('\n'))).toThrow(/^line 4: /);
  });

  it('an event type this workstation does not write', () => {
    const e = event({ entry: entriesByKind.login });
    const odd = { ...e, type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110101' } };
    expect(refusal(ndjson([odd]))).toBe(
      "line 1: the event's type (110101 / 110122) is not one this workstation writes",
    );
  });

  it('a time that is not a FHIR instant, or not a real one', () => {
    for (const recorded of [
      '2026-11-24',
      '2026-02-30T10:00:00Z',
      '2026-11-24T24:00:00Z',
      '2026-11-24T10:00:00',
    ]) {
      const e = { ...event({ entry: alert('emergency-override') }), recorded };
      expect(refusal(ndjson([e]))).toMatch(
        /^line 1: not an AuditEvent: recorded: expected a FHIR instant .*$/,
      );
    }
  });

  it('an invalid NHS number, without repeating it', () => {
    const e = event({ entry: alert('emergency-override', { nhsNumber: '9990000019' }) });
    const message = refusal(ndjson([e]));
    expect(message).toBe("line 1: the patient's NHS number is not a valid NHS number");
    expect(message).not.toContain('9990000019');
  });

  it('codes out of their shape, without repeating them', () => {
    const e = event({ entry: alert('emergency-override', { actor: undefined }) });
    const withOrg = (value: string) => ({
      ...e,
      agent: e.agent.map((a) =>
        a.who?.identifier?.system === 'https://fhir.nhs.uk/Id/ods-organization-code'
          ? { ...a, who: { identifier: { ...a.who.identifier, value } } }
          : a,
      ),
    });
    const message = refusal(ndjson([withOrg('Dr Ada Testwell')]));
    expect(message).toBe('line 1: the organisation code is not an ODS code');
    expect(message).not.toContain('Ada');
    const lr = event({ entry: alert('lr-self-claim', { reason: 'Told me she was his sister' }) });
    expect(refusal(ndjson([lr]))).toBe('line 1: the relationship reason is not a reason code');
    const read = event({ entry: entriesByKind['record-read'] });
    const odd = {
      ...read,
      entity: read.entity?.map((en) =>
        en.detail ? { ...en, detail: [{ type: 'record', valueString: 'the whole GP record' }] } : en,
      ),
    };
    expect(refusal(ndjson([odd]))).toBe('line 1: the record is not a known record kind');
    // Details of other events are not read: a report run's parameters may be called anything.
    const run = event({
      entry: { ...entriesByKind['report-run'], parameters: { record: 'the whole GP record' } },
    });
    expect(readAuditEvents(ndjson([run]))[0]?.record).toBeNull();
  });

  it('the same id twice for different events', () => {
    const a = event({ entry: alert('emergency-override'), uuid: 'f4a1c7de-0000-4000-8000-000000000001' });
    const b = event({ entry: alert('legal-override'), uuid: 'f4a1c7de-0000-4000-8000-000000000001' });
    expect(refusal(ndjson([a, b]))).toBe('line 2: the same event id as line 1 but a different event');
  });

  it('a Bundle: an entry by number, one page of a search, not a Bundle of AuditEvents', () => {
    const events = many(2, alert('emergency-override'));
    const withPatient = JSON.parse(bundle(events)) as { entry: { resource: unknown }[] };
    withPatient.entry.push({ resource: { resourceType: 'Patient', id: 'p1' } });
    expect(refusal(JSON.stringify(withPatient))).toMatch(
      /^Bundle entry 3 \(entry\[2\]\): not an AuditEvent: /,
    );
    const noResource = JSON.parse(bundle(events)) as { entry: object[] };
    noResource.entry.push({ fullUrl: 'urn:uuid:x' });
    expect(refusal(JSON.stringify(noResource))).toBe('Bundle entry 3 (entry[2]): has no resource');
    expect(
      refusal(
        bundle(events, {
          link: [
            { relation: 'self', url: 'https://audit.example/AuditEvent?_count=2' },
            { relation: 'next', url: 'https://audit.example/AuditEvent?_count=2&page=2' },
          ],
        }),
      ),
    ).toMatch(/one page of a search/);
    expect(refusal(JSON.stringify({ resourceType: 'Bundle', entry: 'none' }))).toMatch(
      /^not a FHIR Bundle of AuditEvents: /,
    );
  });

  it('a JSON array', () => {
    expect(refusal(`[${good()}]`)).toMatch(/JSON array/);
  });
});
