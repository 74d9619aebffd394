/**
 * RFC 5424 formatting of queued AuditEvents: header fields, severity by outcome, structured data, BOM, octet
 * counting in bytes, and the fast header-field reader agreeing with a full parse on real events of every kind.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../../../../src-main/audit/events/build';
import { canonicalJson } from '../../../../src-main/audit/events/canonical';
import {
  readAuditEventFields,
  readHeaderFields,
  readHeaderFieldsFromBytes,
} from '../../../../src-main/audit/shipping/audit-event-fields';
import {
  formatSyslogMessage,
  frame,
  frameParts,
  headerField,
  severityFor,
  syslogHeader,
  writeFrame,
} from '../../../../src-main/audit/shipping/atna/syslog-message';
import type { AuditEntry, OutboxItem } from '../../../../src-main/audit/types';

const actor = { userId: '555000000017', urid: '555000000017001', orgCode: 'X99TS', workstationId: 'WS-1' };
const patient = { nhsNumber: '9990000018' };
const prefs = { scr: 'core', sensitive: 'excluded', mig: 'share' } as const;
const prefsAfter = { scr: 'core-and-additional', sensitive: 'included', mig: 'dissent' } as const;

const entries: AuditEntry[] = [
  { kind: 'login', actor, outcome: 'success' },
  { kind: 'login-refused', actor, reason: 'PIN blocked "card" ]\\', outcome: 'serious-failure' },
  { kind: 'logout', actor },
  { kind: 'session-locked', actor, reason: 'card-removed' },
  { kind: 'session-unlocked', actor },
  { kind: 'ptv', actor, patient, decision: 'given' },
  { kind: 'record-read', actor, patient, record: 'scr-core', sections: ['medications'], purpose: 'TREAT' },
  {
    kind: 'emergency-override',
    actor,
    patient,
    reasonCode: 5,
    reasonText: 'Unconscious — "type":{"code":"x"}',
  },
  { kind: 'legal-override', actor, patient, reasonCode: 2, reasonText: 'Court order' },
  { kind: 'lr-self-claim', actor, patient, reason: 'care', reasonText: 'Direct care' },
  {
    kind: 'preference-changed',
    actor,
    patient,
    from: prefs,
    to: prefsAfter,
    patientStatement: 'Patient asked',
  },
  { kind: 'delivery-failure', actor, transport: 'fhir', error: 'HTTP 422 "outcome":"8"' },
  { kind: 'tamper-detected', actor, firstBadSeq: 42, detail: 'hash mismatch' },
];

function item(entry: AuditEntry, seq = 7): OutboxItem {
  const uuid = randomUUID();
  const recorded = '2026-11-24T19:00:00.123Z';
  const json = canonicalJson(buildAuditEvent(entry, { uuid, recorded, machineName: 'host-1' }));
  return { seq, uuid, priority: 0, recordedAt: recorded, json };
}

describe('readHeaderFields', () => {
  it.each(entries.map((e) => [e.kind, e] as const))('agrees with a full parse for %s', (_kind, entry) => {
    const it0 = item(entry);
    const full = readAuditEventFields(it0.json);
    expect(readHeaderFields(it0.json)).toEqual({ typeCode: full.typeCode, outcome: full.outcome });
    expect(full.typeCode).not.toBeNull();
    expect(full.outcome).not.toBeNull();
  });

  it('falls back to a full parse for JSON that is not in canonical order', () => {
    const json = JSON.stringify({
      type: { code: '110114' },
      resourceType: 'AuditEvent',
      outcome: '4',
      extra: { a: 1 },
    });
    expect(readHeaderFields(json)).toEqual({ typeCode: '110114', outcome: '4' });
  });

  it('throws on text that is not an AuditEvent', () => {
    expect(() => readHeaderFields('{"resourceType":"Patient"}')).toThrow(/not a FHIR AuditEvent/);
    expect(() => readHeaderFields('not json')).toThrow(/not valid JSON/);
  });
});

/** The oracle: the two header fields of a full JSON parse. */
function fullParse(json: string) {
  const f = readAuditEventFields(json);
  return { typeCode: f.typeCode, outcome: f.outcome };
}

describe('readHeaderFieldsFromBytes', () => {
  it.each(entries.map((e) => [e.kind, e] as const))('agrees with a full parse for %s', (_kind, entry) => {
    const json = item(entry).json;
    expect(readHeaderFieldsFromBytes(Buffer.from(json, 'utf8'))).toEqual(fullParse(json));
  });

  it('agrees with a full parse on odd shapes: non-canonical order, a second outcome, multi-byte text; broken JSON throws', () => {
    const odd = [
      JSON.stringify({ type: { code: '110114' }, resourceType: 'AuditEvent', outcome: '4', extra: { a: 1 } }),
      '{"a":{"outcome":"0"},"outcome":"8","resourceType":"AuditEvent","type":{"code":"rest"}}',
      '{"outcome":"4","resourceType":"AuditEvent","text":"Zoë — ☃","type":{"code":"1101☃4"}}',
    ];
    for (const json of odd) expect(readHeaderFieldsFromBytes(Buffer.from(json))).toEqual(fullParse(json));
    expect(() => readHeaderFieldsFromBytes(Buffer.from('{"resourceType":"Patient"}'))).toThrow(
      /not a FHIR AuditEvent/,
    );
    expect(() => readHeaderFieldsFromBytes(Buffer.from('{"outcome":"0"}}'))).toThrow(/not valid JSON/);
  });
});

describe('writeFrame', () => {
  it.each(entries.map((e) => [e.kind, e] as const))(
    'writes exactly the bytes of frame(formatSyslogMessage) for %s',
    (_kind, entry) => {
      const it0 = item(entry, 4711);
      const info = { hostname: 'WS-1', procId: '4242' };
      const json = Buffer.from(it0.json, 'utf8');
      const parts = frameParts(syslogHeader(it0, readHeaderFieldsFromBytes(json), info), json);
      const buf = Buffer.alloc(parts.size + 10, 0xaa);
      expect(writeFrame(buf, 5, parts)).toBe(5 + parts.size);
      expect(buf.subarray(5, 5 + parts.size)).toEqual(frame(formatSyslogMessage(it0, info)));
      expect(buf[4]).toBe(0xaa);
      expect(buf[5 + parts.size]).toBe(0xaa);
    },
  );
});

describe('formatSyslogMessage', () => {
  it('writes PRI, VERSION, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID, SD and the BOM-prefixed JSON', () => {
    const it0 = item(
      { kind: 'record-read', actor, patient, record: 'mig', sections: ['a'], purpose: 'ETREAT' },
      123,
    );
    const msg = formatSyslogMessage(it0, { hostname: 'WS 1\u00e9', procId: '4242' });
    const full = readAuditEventFields(it0.json);
    expect(msg).toBe(
      `<85>1 2026-11-24T19:00:00.123Z WS1 stethoscope 4242 ${full.typeCode} ` +
        `[stethoscope@32473 seq="123" uuid="${it0.uuid}"] \ufeff${it0.json}`,
    );
  });

  it('sets severity by outcome under facility authpriv', () => {
    expect([
      severityFor('0'),
      severityFor('4'),
      severityFor('8'),
      severityFor('12'),
      severityFor(null),
    ]).toEqual([5, 4, 3, 2, 5]);
    const refused = formatSyslogMessage(item(entries[1] as AuditEntry), { hostname: 'h', procId: '1' });
    expect(refused.startsWith('<83>1 ')).toBe(true);
  });

  it('writes NILVALUE for an unreadable time and empty header fields', () => {
    const it0 = { ...item(entries[0] as AuditEntry), recordedAt: 'yesterday' };
    expect(formatSyslogMessage(it0, { hostname: '  ', procId: '' })).toMatch(/^<85>1 - - stethoscope - /);
    expect(headerField('x'.repeat(300), 255)).toHaveLength(255);
  });
});

describe('frame', () => {
  it('counts octets of the UTF-8 message, BOM and multi-byte characters included', () => {
    const msg = '<85>1 - - stethoscope - - - \ufeff{"n":"Zoë — ☃"}';
    const f = frame(msg);
    const space = f.indexOf(0x20);
    const len = Number(f.subarray(0, space).toString('ascii'));
    expect(len).toBe(Buffer.byteLength(msg, 'utf8'));
    expect(len).toBeGreaterThan(msg.length);
    expect(f.subarray(space + 1).toString('utf8')).toBe(msg);
    expect(f.length).toBe(space + 1 + len);
  });
});
