/**
 * Helpers over the session view: what a refused card should be told, and a key per signed-in session.
 */
import type { CardRefusal, SessionView } from '../../../src-shared/domain/session';

/** What to do about a refused card, in addition to main's own sentence. */
export function refusalAdvice(reason: CardRefusal): string {
  switch (reason) {
    case 'card-removed':
      return 'The card was taken out before it could be read. Put it back in the reader.';
    case 'card-unreadable':
      return 'Take the card out, check it is the right way round and put it back. If it still cannot be read, try another reader.';
    case 'card-blocked':
      return 'Your PIN has been entered wrongly too many times. Contact your Registration Authority to unblock your card.';
    case 'certificate-expired':
    case 'card-expired':
    case 'roles-expired':
      return 'Your card or its access rights have expired. Contact your Registration Authority to renew them.';
    case 'no-role-profiles':
      return 'Your card carries no role you can use here. Contact your Registration Authority.';
    default:
      return 'This card is not trusted by this workstation. Take it out and contact your Registration Authority or local smartcard administrator.';
  }
}

/** A stable key for one signed-in session, so a new sign-in starts with a fresh workspace. */
export function sessionKey(session: Extract<SessionView, { state: 'signed-in' }>): string {
  return `${session.holder.userId}|${session.role.urid}|${session.since}`;
}
