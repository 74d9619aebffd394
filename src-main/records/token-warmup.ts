/**
 * Signs the user's tokens for the record services as soon as the session is in use (after the PIN, an unlock or
 * the role choice), one after another on the card, for a role that reads records. Over PC/SC each signature takes
 * tens of milliseconds; without this it fell on the first search, the first patient opened and, worst, on the SCR
 * read right after the permission click. Only tokens (the user's identity for each service, held in memory by the
 * token port as always, dropped on lock), nothing about a patient; a failure here is met again at the request.
 */
import { capabilities, mayViewRecords } from '../policy/engine';
import type { Policy } from '../policy/policy-file';
import type { SessionPort, UserTokenPort } from '../session/port';

/** Starts warming; returns a function that stops listening to the session. */
export function warmTokensOnSignIn(
  session: SessionPort,
  tokens: UserTokenPort,
  policy: Policy,
  /** The services' base URLs (each one's token audience), in the order a journey first needs them. */
  audiences: readonly string[],
): () => void {
  return session.onChange((change, user) => {
    if (change === 'locked' || change === 'signed-out' || !user) return;
    if (!mayViewRecords(capabilities(policy, user.role))) return;
    // Listeners run synchronously inside the session's change: ask once it has finished.
    setImmediate(() => {
      void (async () => {
        for (const audience of audiences) {
          if (session.current()?.sessionId !== user.sessionId) return;
          await tokens.token(audience);
        }
      })().catch(() => undefined);
    });
  });
}
