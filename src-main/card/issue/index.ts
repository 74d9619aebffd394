/**
 * Demo CA and card issuing: ensureCa, issueCard, issueCrl.
 */
export { ensureCa, loadCa, type CaBundle } from './ca';
export { issueCard, type IssueCardOptions, MAX_CERT_DAYS } from './issue-card';
export { issueCrl } from './issue-crl';
