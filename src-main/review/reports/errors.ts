/**
 * The reports' own errors, in plain words for the person running the report. Messages never quote a value read
 * from the events or the key file (a value may be personal data or key material); they name where and what.
 */

/** The events file cannot be used as it is: the whole file is refused (see README.md, "Input"). */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}

/** The pseudonymisation key file is missing, unsafe or unusable. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/** The report asked for is not one this library makes (e.g. an unknown grouping field). */
export class ReportRequestError extends Error {
  override readonly name = 'ReportRequestError';
}
