/**
 * The lock screen. Shown the moment main says the session is locked: the record is already gone from the DOM and
 * from React state. The same card and its PIN resume the session where it was; another card opens its own
 * session, and this one waits, locked. It lists the other sessions locked here (names only) and whose card is in.
 */
import { useLayoutEffect } from 'react';
import type { SessionView } from '../../../src-shared/domain/session';
import { useFocusOnMount } from '../app/focus';
import { markNow } from '../app/marks';
import { PinForm } from '../components/PinForm';
import { LockedHere } from '../components/LockedHere';

export function LockScreen({
  session,
  onSession,
}: {
  session: Extract<SessionView, { state: 'locked' }>;
  onSession: (s: SessionView) => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  useLayoutEffect(() => {
    markNow('lock-shown');
  }, []);
  return (
    <main
      className="nhsuk-main-wrapper app-lock"
      id="maincontent"
      data-screen="locked"
      data-lock-reason={session.reason}
    >
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
            This workstation is locked
          </h1>
          <p className="nhsuk-body-l">
            {session.reason === 'card-removed'
              ? 'Your smartcard was removed.'
              : 'The workstation was left unattended, so it locked itself.'}{' '}
            Patient information has been cleared from the screen.
          </p>
          {session.cardPresent ? (
            <>
              <p className="nhsuk-body">
                Enter the PIN for {session.holder.displayName}&apos;s card to carry on.
              </p>
              <PinForm
                triesLeft={session.triesLeft}
                lastAttemptFailed={false}
                submitLabel="Unlock"
                onSession={onSession}
              />
            </>
          ) : (
            <div className="nhsuk-inset-text" role="status">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                Put {session.holder.displayName}&apos;s card back in the reader and enter the PIN to carry on
                where you were. Someone else can use this workstation with their own card: this session stays
                locked until this card and its PIN come back.
              </p>
            </div>
          )}
          <LockedHere
            names={session.lockedSessions}
            cardIn={session.cardPresent ? session.holder.displayName : null}
          />
        </div>
      </div>
    </main>
  );
}
