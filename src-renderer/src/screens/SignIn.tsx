/**
 * The sign-in screen: asks for the smartcard and reports the reader's state.
 */
import { useEffect } from 'react';
import type { SessionView } from '../../../src-shared/domain/session';
import { markOnce } from '../app/marks';

export function SignIn({ session }: { session: SessionView }) {
  useEffect(() => {
    requestAnimationFrame(() => markOnce('signin-painted'));
  }, []);
  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="sign-in">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l">Insert your smartcard</h1>
          <p className="nhsuk-body-l">Put your NHS smartcard in the reader. You will then be asked for your PIN.</p>
          <ReaderState session={session} />
        </div>
      </div>
    </main>
  );
}

function ReaderState({ session }: { session: SessionView }) {
  switch (session.state) {
    case 'no-reader':
      return (
        <div className="nhsuk-inset-text" role="status">
          <p>No smartcard reader found.{session.detail ? ` ${session.detail}` : ''}</p>
        </div>
      );
    case 'awaiting-card':
      return (
        <div className="nhsuk-inset-text" role="status">
          <p>Reader ready: {session.readers.map((r) => r.name).join(', ') || 'none'}.</p>
        </div>
      );
    case 'reading-card':
      return (
        <div className="nhsuk-inset-text" role="status">
          <p>Reading your card…</p>
        </div>
      );
    case 'card-refused':
      return (
        <div className="nhsuk-error-summary" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title">This card cannot be used</h2>
          <div className="nhsuk-error-summary__body">
            <p>{session.message}</p>
          </div>
        </div>
      );
    default:
      return null;
  }
}
