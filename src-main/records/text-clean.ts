/**
 * Cleaning of text that comes from a remote record service, before it becomes display text.
 *
 * Removed: C0 control characters other than the HTML whitespace ones (tab, line feed, form feed, carriage
 * return), DEL, the C1 controls, and the bidirectional embedding, override and isolate controls
 * (U+202A-U+202E, U+2066-U+2069): those could make text display in another order than it is stored
 * ("10 mg" shown as something else). Runs of HTML whitespace become one space, as a browser shows them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const CONTROLS = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const WHITESPACE = /[\t\n\f\r ]+/g;
/** A control (tab, line feed, form feed and carriage return among them) or a bidirectional character. */
// eslint-disable-next-line no-control-regex -- as above
export const SPECIAL_CHARACTER = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const SPECIAL = SPECIAL_CHARACTER;

/** True when cleanChunk would change the text. Two plain scans: a regex with an alternative is slower. */
export function needsCleaning(text: string): boolean {
  return SPECIAL.test(text) || text.indexOf('  ') >= 0;
}

/** Controls removed and whitespace runs made one space; not trimmed (chunks of one text are joined later). */
export function cleanChunk(text: string): string {
  return needsCleaning(text) ? text.replace(CONTROLS, '').replace(WHITESPACE, ' ') : text;
}

/** cleanChunk for text already known to need it. */
export function cleanDirtyChunk(text: string): string {
  return text.replace(CONTROLS, '').replace(WHITESPACE, ' ');
}

/** One whole piece of display text (a title, a name, an address line): cleaned and trimmed. */
export function cleanText(text: string): string {
  return cleanChunk(text).trim();
}
