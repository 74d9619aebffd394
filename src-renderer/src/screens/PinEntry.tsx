/**
 * PIN screen after a trusted card is read: names the card holder, takes the PIN, shows tries left.
 * The cursor goes straight to the PIN field (the card has just gone in; the PIN is all that is asked); the field's
 * label and hint are read out with it. After a wrong PIN the error summary takes focus instead.
 */
import type { SessionView } from '../../../src-shared/domain/session';
import { PinForm } from '../components/PinForm';
import { LockedHere } from '../components/LockedHere';

export function PinEntry({
  session,
  onSession,
}: {
  session: Extract<SessionView, { state: 'pin-required' }>;
  onSession: (s: SessionView) => void;
}) {
  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="pin">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l" tabIndex={-1}>
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
            focusPin
          />
          <LockedHere names={session.lockedSessions} cardIn={session.holder.displayName} />
        </div>
      </div>
    </main>
  );
}
