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

export function isTrustedSender(facts: SenderFacts, appOrigin: string): boolean {
  if (!facts.isMainFrame || !facts.knownWindow) return false;
  let origin: string;
  try {
    origin = new URL(facts.frameUrl).origin;
  } catch {
    return false;
  }
  return origin === appOrigin;
}
