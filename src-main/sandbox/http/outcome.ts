/**
 * Errors as the NHS APIs answer them: an OperationOutcome with the FHIR issue code, a Spine error code where PDS
 * and SCR use one, and the reason in plain words (in details.text and diagnostics, where the two APIs put it).
 */

export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'security'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'conflict'
  | 'business-rule'
  | 'multiple-matches'
  | 'processing'
  | 'transient'
  | 'exception'
  | 'too-costly'
  | 'informational';

export type SpineCode =
  | 'MISSING_VALUE'
  | 'INVALID_VALUE'
  | 'ACCESS_DENIED'
  | 'RESOURCE_NOT_FOUND'
  | 'INVALID_RESOURCE_ID'
  | 'INVALID_SEARCH_DATA'
  | 'ADDITIONAL_PROPERTIES'
  | 'TOO_MANY_MATCHES'
  | 'UNSUPPORTED_SERVICE'
  | 'PRECONDITION_FAILED'
  | 'VERSION_CONFLICT';

const SPINE_DISPLAY: Record<SpineCode, string> = {
  MISSING_VALUE: 'A required value is missing',
  INVALID_VALUE: 'A value is not valid',
  ACCESS_DENIED: 'Access has been denied',
  RESOURCE_NOT_FOUND: 'The resource was not found',
  INVALID_RESOURCE_ID: 'The resource id is not valid',
  INVALID_SEARCH_DATA: 'The search parameters are not valid together',
  ADDITIONAL_PROPERTIES: 'A parameter is not recognised',
  TOO_MANY_MATCHES: 'Too many matches',
  UNSUPPORTED_SERVICE: 'The request is not supported',
  PRECONDITION_FAILED: 'The precondition failed',
  VERSION_CONFLICT: 'The version does not match',
};

export const SPINE_ERROR_SYSTEM = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: {
    severity: 'fatal' | 'error' | 'warning' | 'information';
    code: IssueCode;
    details: { coding?: { system: string; version: string; code: string; display: string }[]; text: string };
    diagnostics: string;
  }[];
}

export function operationOutcome(
  code: IssueCode,
  text: string,
  spine?: SpineCode,
  severity: OperationOutcome['issue'][number]['severity'] = 'error',
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity,
        code,
        details: {
          ...(spine
            ? {
                coding: [
                  { system: SPINE_ERROR_SYSTEM, version: '1', code: spine, display: SPINE_DISPLAY[spine] },
                ],
              }
            : {}),
          text,
        },
        diagnostics: text,
      },
    ],
  };
}

/** Thrown by a service handler; the dispatcher answers it as an OperationOutcome with this status. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    readonly spine?: SpineCode,
  ) {
    super(message);
  }
}

export const badRequest = (text: string, spine: SpineCode = 'INVALID_VALUE', code: IssueCode = 'value') =>
  new ServiceError(400, code, text, spine);
export const notFound = (text: string) => new ServiceError(404, 'not-found', text, 'RESOURCE_NOT_FOUND');
export const forbidden = (text: string) => new ServiceError(403, 'forbidden', text, 'ACCESS_DENIED');
