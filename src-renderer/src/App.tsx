/**
 * The app shell: follows the session view pushed by main and shows the matching screen.
 */
import { useEffect, useState } from 'react';
import type { SessionView } from '../../src-shared/domain/session';
import { api } from './app/api';
import { SignIn } from './screens/SignIn';

export function App() {
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const off = api().events.sessionChanged(setSession);
    void api()
      .session.get({})
      .then((r) => (r.ok ? setSession(r.value) : setError(r.error.message)));
    return off;
  }, []);

  return (
    <>
      <header className="nhsuk-header" role="banner">
        <div className="nhsuk-header__container nhsuk-width-container">
          <span className="nhsuk-header__service-name app-service-name">Stethoscope</span>
        </div>
      </header>
      <div className="nhsuk-width-container">
        {error ? (
          <div className="nhsuk-error-summary" role="alert">
            <p>{error}</p>
          </div>
        ) : session ? (
          <SignIn session={session} />
        ) : (
          <p className="nhsuk-body" role="status">
            Starting…
          </p>
        )}
      </div>
    </>
  );
}
