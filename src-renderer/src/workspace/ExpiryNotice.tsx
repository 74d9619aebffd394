/**
 * Certificate housekeeping at sign-in: the card's certificate (or the card) or its access rights expire within 90
 * days (a warning) or 14 days (urgent), with what to do: the local Registration Authority renews them.
 */
import type { ExpiryWarning } from '../../../src-shared/domain/session';
import { formatDate } from '../view/dates';

export function expiryWords(e: ExpiryWarning): { heading: string; text: string } {
  const when = e.days === 0 ? 'today' : e.days === 1 ? 'tomorrow' : `in ${e.days} days`;
  const what =
    e.what === 'certificate'
      ? `Your smartcard's certificate expires on ${formatDate(e.notAfter)} (${when}).`
      : `The access rights (role profiles) on your smartcard expire on ${formatDate(e.notAfter)} (${when}).`;
  const todo =
    e.what === 'certificate'
      ? 'Contact your local Registration Authority (RA) to renew your smartcard before then. After that date you will not be able to sign in with it.'
      : 'Ask your local Registration Authority (RA) to renew your access rights before then. After that date you will not be able to sign in with this card.';
  return {
    heading:
      e.level === 'urgent' ? 'Important: your smartcard expires soon' : 'Your smartcard needs renewing',
    text: `${what} ${todo}`,
  };
}

export function ExpiryNotice({ expiry }: { expiry: ExpiryWarning }) {
  const w = expiryWords(expiry);
  return (
    <section
      className={`nhsuk-warning-callout app-expiry app-expiry--${expiry.level}`}
      aria-labelledby="expiry-heading"
      data-testid="expiry-notice"
      data-level={expiry.level}
    >
      <h2 className="nhsuk-warning-callout__label" id="expiry-heading">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">
            {expiry.level === 'urgent' ? 'Urgent: ' : 'Warning: '}
          </span>
          {w.heading}
        </span>
      </h2>
      <p>{w.text}</p>
    </section>
  );
}
