/**
 * Turns Node TLS/socket errors into one clear sentence for the audit status, telling apart "the server's
 * certificate is wrong", "the server refused our certificate" and "the server is unreachable".
 */

const SERVER_CERT_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_PURPOSE',
]);

export interface DescribedError {
  message: string;
  /** A certificate or trust problem: retrying will not help until someone fixes configuration. */
  misconfigured: boolean;
}

function codeOf(e: Error): string | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `where` is e.g. "ATNA audit.example.nhs.uk:6514". `secured` says the TLS handshake had completed on our side
 * (for HTTPS, pass false when unknown: a reset then reads as a refusal of the connection, not of the data).
 */
export function describeSocketError(where: string, e: Error, secured: boolean): DescribedError {
  const code = codeOf(e);
  if (code && SERVER_CERT_CODES.has(code)) {
    return {
      message: `${where}: the server's certificate was rejected (${code}): ${e.message}`,
      misconfigured: true,
    };
  }
  if (
    code &&
    /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_REQUIRED|ACCESS_DENIED|HANDSHAKE_FAILURE)/.test(code)
  ) {
    return {
      message: `${where}: the server refused our client certificate during the TLS handshake (${code})`,
      misconfigured: true,
    };
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { message: `${where}: connection refused (server down or wrong port)`, misconfigured: false };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: `${where}: host name not found (${code}); offline?`, misconfigured: false };
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return { message: `${where}: network unreachable (${code}); offline?`, misconfigured: false };
    case 'ECONNRESET':
    case 'EPIPE':
      return secured
        ? {
            message:
              `${where}: the server reset the connection before confirming it had read the batch (${code}); ` +
              'the batch will be sent again. If this repeats straight after connecting, the server is ' +
              'probably refusing our client certificate.',
            misconfigured: false,
          }
        : {
            message:
              `${where}: the server closed the connection without answering (${code}${e.message ? `: ${e.message}` : ''}); ` +
              'if this repeats, it is probably refusing our client certificate',
            misconfigured: false,
          };
    default:
      return { message: `${where}: ${code ? `${code}: ` : ''}${e.message}`, misconfigured: false };
  }
}
