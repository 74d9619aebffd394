/**
 * PIN screen after a trusted card is read: names the card holder, takes the PIN, shows tries left.
 */
import type { SessionView } from '../../../src-shared/domain/session';
import { useFocusOnMount } from '../app/focus';
import { PinForm } from '../components/PinForm';

export function PinEntry({
  session,
  onSession,
}: {
  session: Extract<SessionView, { state: 'pin-required' }>;
  onSession: (s: SessionView) => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="pin">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
            Enter your PIN
          </h1>
          <p className="nhsuk-body-l">
            Card for <strong>{session.holder.displayName}</strong> (user ID {session.holder.userId}).
          </p>
          <PinForm
            triesLeft={session.triesLeft}
            lastAttemptFailed={session.lastAttemptFailed}
            submitLabel="Sign in"
            onSession={onSession}
          />
        </div>
      </div>
    </main>
  );
}
