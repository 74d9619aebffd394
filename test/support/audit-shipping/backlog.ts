/**
 * Real audit logs for the shipping tests: opens H3's SQLite trail (WAL, synchronous=FULL, hash chain, outbox) in
 * a scratch folder and fills it with synthetic events (NHS numbers in the 999 range with valid check digits,
 * invented names), recorded in the same transactions that queue them for each transport.
 */
import { join } from 'node:path';
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import { openAuditTrail, type SqliteAuditTrail } from '../../../src-main/audit/log/trail';
import type { AuditEntry, TransportName } from '../../../src-main/audit/types';
import type { BackoffPolicy } from '../../../src-main/retry/backoff';

/** The n-th synthetic NHS number: 999 + six digits + a valid mod-11 check digit (skipping impossible ones). */
export function syntheticNhsNumber(n: number): string {
  for (let k = n; ; k++) {
    const nine = `999${String(k % 1_000_000).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

const actor = {
  userId: '555000000017',
  displayName: 'Dr Ada Testwell',
  urid: '555000000017001',
  roleCode: 'S0030:G0100:R0570',
  orgCode: 'X99TS',
  workstationId: 'WS-TEST-01',
};

/** The i-th synthetic entry: mostly record reads, every 97th an emergency override (a priority alert). */
export function syntheticEntry(i: number): AuditEntry {
  const patient = { nhsNumber: syntheticNhsNumber(i) };
  if (i % 97 === 0) {
    return {
      kind: 'emergency-override',
      actor,
      patient,
      reasonCode: 5,
      reasonText: 'Unconscious, no PTV possible',
    };
  }
  return {
    kind: 'record-read',
    actor,
    patient,
    record: 'scr-core',
    sections: ['medications', 'allergies', 'adverse-reactions'],
    purpose: 'TREAT',
  };
}

export interface TestTrailOptions {
  dir: string;
  transports: readonly TransportName[];
  /** Outbox retry delays; small in tests so recoveries happen within seconds. */
  backoff?: BackoffPolicy;
}

export function openTestTrail(o: TestTrailOptions): SqliteAuditTrail {
  return openAuditTrail({
    file: join(o.dir, 'audit.sqlite'),
    keyFile: join(o.dir, 'workstation-key.pem'),
    workstationId: 'WS-TEST-01',
    transports: o.transports,
    backoff: o.backoff ?? { initialMs: 20, maxMs: 300, factor: 2 },
    statusThrottleMs: 10,
  });
}

/** Records `count` synthetic events in transactions of up to 5,000; returns the head seq (checkpoints included). */
export function recordBacklog(trail: SqliteAuditTrail, count: number, from = 1): number {
  for (let i = 0; i < count; i += 5_000) {
    const n = Math.min(5_000, count - i);
    trail.recordMany(Array.from({ length: n }, (_, k) => syntheticEntry(from + i + k)));
  }
  return trail.head().seq;
}
