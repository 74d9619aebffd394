/**
 * Synthetic audit entries for tests and benchmarks: one of every AuditEntry kind (the Record type makes the
 * compiler insist on a new kind being added here), invented people, NHS numbers in the 999 test range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditActor, AuditEntry } from '../../../src-main/audit/types';

export const actor: AuditActor = {
  userId: '555000000001',
  displayName: 'Dr Ada Testwell',
  urid: '555000000001-01',
  roleCode: 'R8000',
  orgCode: 'RXX01',
  workstationId: 'WS-TEST-01',
};

/** Valid modulus-11 NHS numbers in the 999 range. */
export const NHS = { a: '9990000018', b: '9990000026', c: '9997654323' } as const;

const prefs = { scr: 'core', sensitive: 'excluded', mig: 'share' } as const;

export const entriesByKind: { [K in AuditEntry['kind']]: Extract<AuditEntry, { kind: K }> } = {
  login: { kind: 'login', actor, outcome: 'success' },
  'login-refused': {
    kind: 'login-refused',
    actor: { workstationId: actor.workstationId, displayName: 'Unknown Card' },
    reason: 'certificate-revoked',
    outcome: 'serious-failure',
  },
  logout: { kind: 'logout', actor },
  'session-locked': { kind: 'session-locked', actor, reason: 'card-removed' },
  'session-unlocked': { kind: 'session-unlocked', actor },
  ptv: { kind: 'ptv', actor, patient: { nhsNumber: NHS.a }, decision: 'refused' },
  'record-read': {
    kind: 'record-read',
    actor,
    patient: { nhsNumber: NHS.a },
    record: 'scr-core',
    sections: ['medications', 'allergies'],
    purpose: 'ETREAT',
  },
  'emergency-override': {
    kind: 'emergency-override',
    actor,
    patient: { nhsNumber: NHS.b },
    reasonCode: 5,
    reasonText: 'Unconscious on arrival, no relative present',
  },
  'legal-override': {
    kind: 'legal-override',
    actor,
    patient: { nhsNumber: NHS.b },
    reasonCode: 3,
    reasonText: 'Court order 2026/117',
  },
  'lr-self-claim': {
    kind: 'lr-self-claim',
    actor,
    patient: { nhsNumber: NHS.c },
    reason: 'treating-clinician',
    reasonText: 'Seen in minor injuries today',
  },
  'preference-changed': {
    kind: 'preference-changed',
    actor,
    patient: { nhsNumber: NHS.c },
    from: prefs,
    to: { ...prefs, scr: 'core-and-additional' },
    patientStatement: 'I want A&E to see my full summary.',
  },
  'preferences-read': { kind: 'preferences-read', actor, patient: { nhsNumber: NHS.c } },
  'override-pin-refused': {
    kind: 'override-pin-refused',
    actor,
    patient: { nhsNumber: NHS.c },
    override: 'emergency',
    outcome: 'wrong-pin',
    triesLeft: 2,
  },
  'report-run': {
    kind: 'report-run',
    actor: { ...actor, roleCode: 'R0001' },
    report: 'green',
    purpose: { code: 'service-evaluation' },
    parameters: { by: 'org,month', events: '40', rows: '3' },
  },
  'review-action': {
    kind: 'review-action',
    actor: { ...actor, roleCode: 'R0001' },
    action: 'close',
    alertId: '0a0d17e0-0000-4000-8000-000000000001',
    patient: { nhsNumber: '9990000018' },
    parameters: { status: 'closed-appropriate', version: '3' },
  },
  'delivery-failure': {
    kind: 'delivery-failure',
    actor: { workstationId: actor.workstationId },
    transport: 'fhir',
    error: 'HTTP 503',
  },
  'tamper-detected': {
    kind: 'tamper-detected',
    actor: { workstationId: actor.workstationId },
    firstBadSeq: 42,
    detail: 'hash mismatch',
  },
};

export const allEntries: AuditEntry[] = Object.values(entriesByKind);

/** A routine entry whose text varies with i (so rows differ). */
export function readEntry(i: number): AuditEntry {
  return {
    kind: 'record-read',
    actor,
    patient: { nhsNumber: NHS.a },
    record: 'scr-core',
    sections: ['medications', `allergies-${i}`],
    purpose: 'TREAT',
  };
}

/** A private temp folder under /tmp/steth-h3-*, and its remover. */
export function tempDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `steth-h3-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
