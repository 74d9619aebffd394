/**
 * What the person at the reader is told when a card is refused: what is wrong and who can help, in plain words.
 * The technical reason (the checks' own wording, library messages) goes in the refusal's `detail`, for the log.
 */
import type { CardRefusal } from '../../../src-shared/domain/session';

export interface RefusalFacts {
  /** The day something expired or starts to be valid, when the check knows it. */
  date?: Date;
  /** For roles-expired: the roles are not valid yet (rather than expired). */
  notYet?: boolean;
  /** For card-unreadable: the part that could not be read. */
  part?: 'certificate' | 'CHUID' | 'care roles';
}

const RA = 'your Registration Authority';

const day = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);

export function refusalWords(reason: CardRefusal, facts: RefusalFacts = {}): string {
  const { date } = facts;
  switch (reason) {
    case 'untrusted-issuer':
      return `This card was not issued by an authority this workstation trusts. Take it out and contact ${RA} or your local smartcard administrator.`;
    case 'certificate-expired':
      return date
        ? `The card's certificate expired on ${day(date)}. Contact ${RA} to renew your card.`
        : 'A certificate of the authority that issued this card has expired. Contact your local smartcard administrator.';
    case 'certificate-not-yet-valid':
      return `The card's certificate is not valid until ${date ? day(date) : 'later'}. Check that this workstation's date and time are right, or contact ${RA}.`;
    case 'certificate-revoked':
      return `This card's certificate has been revoked, so the card cannot be used. Take it out and contact ${RA}.`;
    case 'certificate-invalid':
      return `This card's certificate is not fit for signing in. Contact ${RA}.`;
    case 'card-expired':
      return `The card expired${date ? ` on ${day(date)}` : ''}. Contact ${RA} for a new card.`;
    case 'roles-missing':
      return `The card carries no care roles. Contact ${RA} to have them written to the card.`;
    case 'roles-untrusted':
      return `The care roles on the card were not signed by a role authority this workstation trusts. Contact ${RA}.`;
    case 'roles-signature-invalid':
      return `The care roles on the card do not match their signature, so the card may have been altered. Take it out and contact ${RA}.`;
    case 'roles-not-bound':
      return `The care roles on the card were written for another card or person. Contact ${RA}.`;
    case 'roles-expired':
      return facts.notYet
        ? `The care roles on the card are not valid until ${date ? day(date) : 'later'}. Contact ${RA}.`
        : `The care roles on the card expired${date ? ` on ${day(date)}` : ''}. Contact ${RA} to renew them.`;
    case 'roles-malformed':
      return `The care roles on the card could not be read. Contact ${RA}.`;
    case 'no-role-profiles':
      return `The card carries no role profile you can use here. Contact ${RA}.`;
    case 'card-blocked':
      return `This card is blocked after too many wrong PINs. Take it to ${RA} to have it unblocked.`;
    case 'key-not-proven':
      return 'The card did not prove it holds the key of its certificate; it may be a copy.';
    case 'card-removed':
      return 'The card was removed before sign-in finished.';
    case 'card-unreadable':
      return facts.part === 'certificate'
        ? 'The certificate on the card could not be read.'
        : facts.part === 'CHUID'
          ? 'The card identifier (CHUID) could not be read.'
          : facts.part === 'care roles'
            ? 'The care roles on the card could not be read.'
            : 'The card could not be read.';
  }
}
