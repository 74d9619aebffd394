/**
 * AuditEvents for report tests, made by the workstation's own builder (buildAuditEvent) from AuditEntries, so the
 * reports are tested on exactly the shape the project writes and delivers. Invented people, NHS numbers in the
 * 999 test range.
 */
import { randomUUID } from 'node:crypto';
import { buildAuditEvent } from '../../../src-main/audit/events/build';
import type { AuditEvent } from '../../../src-main/audit/events/fhir';
import type { AuditActor, AuditEntry } from '../../../src-main/audit/types';
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import { actor as fixtureActor, NHS } from '../audit-log/fixtures';

export { NHS };

/** A valid NHS number in the 999 range from any whole number (skips numbers with no check digit). */
export function testNhsNumber(seed: number): string {
  for (let n = Math.abs(Math.trunc(seed)) % 1_000_000; ; n = (n + 1) % 1_000_000) {
    const nine = `999${String(n).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

export function actor(over: Partial<AuditActor> = {}): AuditActor {
  return { ...fixtureActor, ...over };
}

export interface Timed {
  entry: AuditEntry;
  /** FHIR instant; default 2026-11-24T10:15:30.123Z. */
  recorded?: string;
  uuid?: string;
  machineName?: string;
}

export function event(t: Timed): AuditEvent {
  return buildAuditEvent(t.entry, {
    uuid: t.uuid ?? randomUUID(),
    recorded: t.recorded ?? '2026-11-24T10:15:30.123Z',
    machineName: t.machineName ?? 'ws-test-01',
  });
}

/** NDJSON text, one event a line, as the repository exports them (JSON text, trailing newline). */
export function ndjson(events: readonly AuditEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

/** A FHIR searchset Bundle of the events. */
export function bundle(events: readonly AuditEvent[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'searchset',
    total: events.length,
    entry: events.map((e) => ({ fullUrl: `urn:uuid:${e.id}`, resource: e, search: { mode: 'match' } })),
    ...extra,
  });
}

type AlertKind = 'emergency-override' | 'legal-override' | 'lr-self-claim';

/** One privacy-officer alert entry of the given kind. */
export function alert(
  kind: AlertKind,
  over: { actor?: AuditActor; nhsNumber?: string; reasonCode?: number; reason?: string; text?: string } = {},
): AuditEntry {
  const a = over.actor ?? actor();
  const patient = { nhsNumber: over.nhsNumber ?? NHS.b };
  const reasonText = over.text ?? 'Unconscious on arrival, no relative present';
  switch (kind) {
    case 'emergency-override':
      return { kind, actor: a, patient, reasonCode: (over.reasonCode ?? 5) as 4 | 5, reasonText };
    case 'legal-override':
      return { kind, actor: a, patient, reasonCode: (over.reasonCode ?? 3) as 1 | 2 | 3 | 6, reasonText };
    case 'lr-self-claim':
      return { kind, actor: a, patient, reason: over.reason ?? 'treating-now', reasonText };
  }
}

/** n copies of an entry as events (fresh ids), all at `recorded`. */
export function many(n: number, entry: AuditEntry, recorded?: string): AuditEvent[] {
  return Array.from({ length: n }, () => event({ entry, ...(recorded ? { recorded } : {}) }));
}
