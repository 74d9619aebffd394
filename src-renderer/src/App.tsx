/**
 * The app shell: follows the session view pushed by main and shows the matching screen.
 * Session changes are applied with flushSync, so a lock replaces the record in the same task as the event: the
 * workspace (which holds every piece of patient data) is unmounted before the event handler returns.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { SessionView } from '../../src-shared/domain/session';
import type { AppInfo } from '../../src-shared/ipc/channels/app';
import { api } from './app/api';
import { markNow } from './app/marks';
import { errorText } from './app/errors';
import { useActivityReporter } from './app/activity';
import { applyTheme, loadTheme, type Theme } from './app/theme';
import { sessionKey } from './view/session';
import { StatusBar } from './components/StatusBar';
import { DemoReaderPanel } from './components/DemoReaderPanel';
import { RemoveCard, SignIn } from './screens/SignIn';
import { PinEntry } from './screens/PinEntry';
import { CardBlocked } from './screens/CardBlocked';
import { RoleSelect } from './screens/RoleSelect';
import { LockScreen } from './screens/LockScreen';
import { Workspace } from './workspace/Workspace';

export function App() {
  const [session, setSession] = useState<SessionView | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [theme, setTheme] = useState<Theme>(loadTheme);
  const heardEvent = useRef(false);
  // Signed out with the card still in: ask for the card to be removed before anything else (not a fresh sign-in
  // the user did not ask for). Cleared when the card leaves (or the user chooses to sign in again with it).
  const [removeCard, setRemoveCard] = useState(false);

  /** Takes a new session view; once the card has left (or anything else happened), the next read is a sign-in. */
  const follow = (s: SessionView) => {
    setSession(s);
    if (!cardStillIn(s)) setRemoveCard(false);
  };

  useEffect(() => {
    const off = api().events.sessionChanged((s) => {
      if (s.state === 'signed-in') markNow('signed-in-heard');
      heardEvent.current = true;
      flushSync(() => follow(s));
    });
    void api()
      .session.get({})
      .then((r) => {
        // An event that arrived meanwhile is newer than this answer.
        if (heardEvent.current) return;
        if (r.ok) setSession(r.value);
        else setFatal(errorText(r.error));
      });
    void api()
      .app.info({})
      .then((r) => {
        if (r.ok) setInfo(r.value);
      });
    return off;
  }, []);

  const onSession = useCallback((s: SessionView) => flushSync(() => follow(s)), []);
  const toggleTheme = () => {
    const next = theme === 'night' ? 'day' : 'night';
    applyTheme(next);
    setTheme(next);
  };
  const signOut = () => {
    void api()
      .session.signOut({})
      .then((r) => {
        if (!r.ok) return;
        setRemoveCard(cardStillIn(r.value));
        onSession(r.value);
      });
  };
  const changeRole = () => {
    void api()
      .session.changeRole({})
      .then((r) => {
        if (r.ok) onSession(r.value);
      });
  };
  const stillIn = removeCard && session !== null && cardStillIn(session);

  useActivityReporter(session?.state === 'signed-in');

  return (
    <>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <header role="banner">
        <div className="nhsuk-header">
          <div className="nhsuk-header__container app-width">
            <span className="nhsuk-header__service-name app-service-name">Stethoscope</span>
          </div>
        </div>
        <StatusBar
          session={session}
          theme={theme}
          onToggleTheme={toggleTheme}
          onSignOut={signOut}
          onChangeRole={changeRole}
        />
      </header>
      {/* An application, not a page: the full width of the window (app-width), not nhsuk's 960 px column. */}
      <div className="app-width">
        {fatal ? (
          <main className="nhsuk-main-wrapper" id="maincontent" data-screen="error">
            <h1 className="nhsuk-heading-l">Stethoscope cannot start</h1>
            <p className="nhsuk-body">{fatal}</p>
          </main>
        ) : (
          <Screen
            session={session}
            onSession={onSession}
            removeCard={stillIn ? () => setRemoveCard(false) : null}
          />
        )}
        {info?.mode === 'demo' ? <DemoReaderPanel /> : null}
      </div>
    </>
  );
}

/** After sign-out main starts reading the card still in the reader: these are the states it goes through. */
function cardStillIn(s: SessionView): boolean {
  return s.state === 'reading-card' || s.state === 'pin-required';
}

function Screen({
  session,
  onSession,
  removeCard,
}: {
  session: SessionView | null;
  onSession: (s: SessionView) => void;
  /** Set just after sign-out while the card is still in: the sign-in screen asks for it to be removed. */
  removeCard: (() => void) | null;
}) {
  if (removeCard) return <RemoveCard onSignInAgain={removeCard} />;
  // Until main answers, show the sign-in screen: at start-up nobody is signed in, and the reader state follows.
  if (!session) return <SignIn session={null} />;
  switch (session.state) {
    case 'no-reader':
    case 'awaiting-card':
    case 'reading-card':
    case 'card-refused':
      return <SignIn session={session} />;
    case 'pin-required':
      return <PinEntry session={session} onSession={onSession} />;
    case 'card-blocked':
      return <CardBlocked session={session} />;
    case 'role-select':
      return <RoleSelect session={session} onSession={onSession} />;
    case 'locked':
      return <LockScreen session={session} onSession={onSession} />;
    case 'signed-in':
      // Keyed by the session: a new sign-in never inherits an old workspace.
      return <Workspace key={sessionKey(session)} session={session} />;
  }
}
