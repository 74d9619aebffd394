/**
 * A blocked card (too many wrong PINs): refuse plainly and say how to get it unblocked.
 */
import type { SessionView } from '../../../src-shared/domain/session';
import { useFocusOnMount } from '../app/focus';

export function CardBlocked({ session }: { session: Extract<SessionView, { state: 'card-blocked' }> }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="card-blocked">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
            Your smartcard is blocked
          </h1>
          <div className="nhsuk-card nhsuk-card--warning">
            <div className="nhsuk-card__content">
              <h2 className="nhsuk-card__heading">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>You cannot sign in with this
                  card
                </span>
              </h2>
              <p className="nhsuk-card__description">{session.message}</p>
            </div>
          </div>
          <h2 className="nhsuk-heading-m">What to do now</h2>
          <ol className="nhsuk-list nhsuk-list--number">
            <li>Take your card out of the reader.</li>
            <li>
              Contact your Registration Authority (RA) or local smartcard administrator. They can unblock the
              card and set a new PIN once they have checked who you are.
            </li>
            <li>If you need to see a patient record now, ask a colleague who is signed in to help.</li>
          </ol>
          <p className="nhsuk-body">
            Card holder: {session.holder.displayName} (user ID {session.holder.userId}).
          </p>
        </div>
      </div>
    </main>
  );
}
