/**
 * The audit entry each report run and each refusal produces (privacy-officer spec: "Every report and extract ...
 * A refusal is audited too"). The caller records it in the workstation's trail before the report is shown or
 * saved; the command line has no trail and records nothing.
 */
import type { AuditActor, AuditEntry } from '../../audit/types';
import type { AmberFormat } from './amber';
import type { GroupField } from './green';
import { isPurposeWord, type PurposeDecision, type ReportPurposeCode } from './purpose';

export type ReportRunEntry = Extract<AuditEntry, { kind: 'report-run' }>;
export type ReportKind = ReportRunEntry['report'];

export type ProducedRun =
  | { report: 'green'; purpose: ReportPurposeCode; by: readonly GroupField[]; events: number; rows: number }
  | { report: 'amber'; purpose: ReportPurposeCode; format: AmberFormat; events: number; rows: number };

/** The entry for a report or extract that was made: purpose, what it was grouped by or its format, and sizes. */
export function reportRunEntry(actor: AuditActor, run: ProducedRun): ReportRunEntry {
  const sizes = { events: String(run.events), rows: String(run.rows) };
  return {
    kind: 'report-run',
    actor,
    report: run.report,
    purpose: { code: run.purpose },
    parameters:
      run.report === 'green' ? { by: run.by.join(','), ...sizes } : { format: run.format, ...sizes },
  };
}

/** The entry for a refused run: the purpose as declared (a code when it is one) and the reason given. */
export function reportRefusalEntry(
  actor: AuditActor,
  report: ReportKind,
  decision: Extract<PurposeDecision, { ok: false }>,
): ReportRunEntry {
  return {
    kind: 'report-run',
    actor,
    report,
    purpose: isPurposeWord(decision.given) ? { code: decision.given } : { text: decision.given },
    parameters: {},
    refusal: decision.reason,
  };
}
