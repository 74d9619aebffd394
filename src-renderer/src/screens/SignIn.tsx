/**
 * The sign-in screen: asks for the smartcard and reports the reader's state (no reader, empty, reading, refused).
 */
import { useEffect } from 'react';
import type { SessionView } from '../../../src-shared/domain/session';
import { markOnce } from '../app/marks';
import { useFocusOnMount } from '../app/focus';
import { refusalAdvice } from '../view/session';
import { LockedHere } from '../components/LockedHere';

type SignInView = Extract<
  SessionView,
  { state: 'no-reader' | 'awaiting-card' | 'reading-card' | 'card-refused' }
>;

export function SignIn({ session }: { session: SignInView | null }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  useEffect(() => {
    requestAnimationFrame(() => markOnce('signin-painted'));
  }, []);
  return (
    <main
      className="nhsuk-main-wrapper"
      id="maincontent"
      data-screen="sign-in"
      data-reader-state={session?.state ?? 'checking'}
    >
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
            Insert your smartcard
          </h1>
          <p className="nhsuk-body-l">
            Put your NHS smartcard in the reader. You will then be asked for your PIN.
          </p>
          <ReaderState session={session} />
          <LockedHere names={session?.lockedSessions} />
        </div>
      </div>
    </main>
  );
}

/**
 * Just signed out with the card still in the reader: ask for it to be taken out (a card left behind is the next
 * person's way in). Signing in again with the same card is one button away.
 */
export function RemoveCard({ onSignInAgain }: { onSignInAgain: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main
      className="nhsuk-main-wrapper"
      id="maincontent"
      data-screen="sign-in"
      data-reader-state="card-present"
    >
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
            Remove your smartcard
          </h1>
          <div className="nhsuk-inset-text" role="status">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              <strong>You have signed out.</strong> Your smartcard is still in the reader. Take it out and
              keep it with you.
            </p>
          </div>
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onSignInAgain}>
            Sign in again with this card
          </button>
        </div>
      </div>
    </main>
  );
}

function ReaderState({ session }: { session: SignInView | null }) {
  if (!session) {
    return (
      <div className="nhsuk-inset-text" role="status">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>Checking the card reader…</p>
      </div>
    );
  }
  switch (session.state) {
    case 'no-reader':
      return (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            <strong>No smartcard reader found.</strong> Check the reader is plugged in.
            {session.detail ? ` ${session.detail}` : ''}
          </p>
        </div>
      );
    case 'awaiting-card':
      return (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            <strong>Reader ready, no card in it.</strong>{' '}
            {session.readers.length ? `Reader: ${session.readers.map((r) => r.name).join(', ')}.` : ''}
          </p>
        </div>
      );
    case 'reading-card':
      return (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            <strong>Reading your card…</strong> Do not remove it.
          </p>
        </div>
      );
    case 'card-refused':
      return <CardRefused session={session} />;
  }
}

function CardRefused({ session }: { session: Extract<SessionView, { state: 'card-refused' }> }) {
  const ref = useFocusOnMount<HTMLDivElement>(session.reason);
  return (
    <div
      className="nhsuk-error-summary"
      ref={ref}
      tabIndex={-1}
      aria-labelledby="card-refused-title"
      data-refusal={session.reason}
    >
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading" id="card-refused-title">
          This card cannot be used
        </h2>
        <div className="nhsuk-error-summary__body">
          <p>{session.message}</p>
          <p>{refusalAdvice(session.reason)}</p>
        </div>
      </div>
    </div>
  );
}
