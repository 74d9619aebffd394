/**
 * Privacy-officer reports over AuditEvents: green (aggregated, suppressed) reports and amber (pseudonymised)
 * extracts, the purpose of use each must declare, and the audit entry each run or refusal produces.
 * Decisions and their reasons: README.md beside this file.
 */
export { auditFactsOf, readAuditEvents } from './input';
export { ALERT_TYPES, EVENT_TYPES, type AlertType, type AuditFacts, type EventType } from './facts';
export {
  decidePurpose,
  purposeHelp,
  PURPOSE_CODES,
  REFUSED_PURPOSES,
  REPORT_PURPOSES,
  type PurposeDecision,
  type RefusedPurposeCode,
  type ReportPurposeCode,
} from './purpose';
export { suppress, SUPPRESSED, type ShownCount } from './suppression';
export {
  GROUP_FIELDS,
  greenCsv,
  greenReport,
  isoWeek,
  parseGroupFields,
  TOTAL_LABEL,
  UNKNOWN,
  type GreenReport,
  type GreenRow,
  type GroupField,
} from './green';
export { loadPseudonymKey, MIN_KEY_BYTES, PseudonymKey, type PseudonymKind } from './pseudonym';
export {
  AMBER_COLUMNS,
  AMBER_FORMATS,
  amberCsv,
  amberExtract,
  amberNdjson,
  amberOutput,
  parseAmberFormat,
  type AmberColumn,
  type AmberFormat,
  type AmberRow,
} from './amber';
export {
  reportRefusalEntry,
  reportRunEntry,
  type ProducedRun,
  type ReportKind,
  type ReportRunEntry,
} from './audit-entry';
export { KeyFileError, ReportInputError, ReportRequestError } from './errors';
