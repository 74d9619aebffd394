/**
 * Demo CA and card issuing: ensureCa, issueCard, issueCrl.
 */
export { ensureCa, loadCa, type CaBundle, type Authority } from './ca';
export { issueCard, type IssueCardOptions, yyyymmdd, MAX_CERT_DAYS, DEFAULT_ROLES_DAYS } from './issue-card';
export { issueCrl } from './issue-crl';
export { makeAtr } from './atr';
