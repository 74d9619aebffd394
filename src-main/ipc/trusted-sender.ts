/**
 * The one check on who is calling: our own origin, the main frame, a window we created.
 * Both IPC wrappers (Electron's and the browser host's) describe the caller with this shape and ask here.
 */
export interface SenderFacts {
  /** URL of the frame that sent the message. */
  frameUrl: string;
  isMainFrame: boolean;
  /** The sender belongs to a window (or page) this process created and still tracks. */
  knownWindow: boolean;
}

/**
 * scheme://host[:port] of a URL, or null. Node's URL gives origin "null" for non-special schemes such as our
 * `app:`, so the origin is composed from its parts rather than read from `.origin`.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (!u.host) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function isTrustedSender(facts: SenderFacts, appOrigin: string): boolean {
  if (!facts.isMainFrame || !facts.knownWindow) return false;
  return originOf(facts.frameUrl) === appOrigin;
}
