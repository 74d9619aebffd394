/**
 * The purpose of use every report and extract declares (privacy-officer spec, "Red, amber, green"). A short list
 * of codes is accepted; insurance and marketing are refused always, in the words of the document the project was
 * made from; anything else is refused with the list.
 */

/** Accepted purposes, with the words --help and the screens show for each. */
export const REPORT_PURPOSES = {
  'direct-care-audit': "monitoring access to records made for direct care (the organisation's own audit)",
  'ig-investigation': 'investigating an information governance concern or incident',
  'service-evaluation': "evaluating the organisation's own service (e.g. how often emergency access is used)",
  'research-approved': 'research with its approvals in place (ethics committee and HRA, or CAG)',
  'statutory-reporting': 'a return the law requires (e.g. to NHS England, the ICO or the CQC)',
} as const;
export type ReportPurposeCode = keyof typeof REPORT_PURPOSES;

/** The two purposes refused always, and the reason given, word for word from the seed document. */
export const REFUSED_PURPOSES = {
  insurance:
    'Data will not be made available for the purposes of selling or administering any kind of insurance',
  marketing: 'Data will not be shared or used for marketing purposes',
} as const;
export type RefusedPurposeCode = keyof typeof REFUSED_PURPOSES;

export const PURPOSE_CODES = Object.keys(REPORT_PURPOSES) as ReportPurposeCode[];

export type PurposeDecision =
  | { ok: true; code: ReportPurposeCode }
  | {
      ok: false;
      /** insurance / marketing: refused always; unknown: not on the list. */
      refused: RefusedPurposeCode | 'unknown';
      /** What was declared, as given. */
      given: string;
      /** One line for the user: the seed's words for insurance and marketing. */
      reason: string;
    };

const isListed = (code: string): code is ReportPurposeCode => Object.hasOwn(REPORT_PURPOSES, code);

/** True for a listed or a refused purpose code (what an audited report run may carry as a code). */
export function isPurposeWord(code: string): boolean {
  return isListed(code) || Object.hasOwn(REFUSED_PURPOSES, code);
}

// Any declaration that speaks of insurance (insurer, insured...) or marketing (market research...) gets the
// seed's refusal, however it is spelled or dressed up, before the list is even looked at.
const REFUSAL_PATTERNS: readonly [RegExp, RefusedPurposeCode][] = [
  [/insur/i, 'insurance'],
  [/market/i, 'marketing'],
];

/** Decides a declared purpose of use. */
export function decidePurpose(given: string): PurposeDecision {
  for (const [pattern, code] of REFUSAL_PATTERNS) {
    if (pattern.test(given)) return { ok: false, refused: code, given, reason: REFUSED_PURPOSES[code] };
  }
  if (isListed(given)) return { ok: true, code: given };
  const shown = given.length > 40 ? `${given.slice(0, 40)}...` : given;
  return {
    ok: false,
    refused: 'unknown',
    given,
    reason:
      `${JSON.stringify(shown)} is not a purpose of use this report accepts; declare one of: ${PURPOSE_CODES.join(', ')} ` +
      '(insurance and marketing are always refused)',
  };
}

/** The list for help texts: one code and its meaning a line, then the two refused ones with their reasons. */
export function purposeHelp(indent: string): string {
  const refused = Object.keys(REFUSED_PURPOSES) as RefusedPurposeCode[];
  const width = Math.max(...[...PURPOSE_CODES, ...refused].map((c) => c.length));
  return [
    ...PURPOSE_CODES.map((c) => `${indent}${c.padEnd(width)}  ${REPORT_PURPOSES[c]}`),
    `${indent}Always refused, however worded:`,
    ...refused.map((c) => `${indent}${c.padEnd(width)}  "${REFUSED_PURPOSES[c]}"`),
  ].join('\n');
}
