/**
 * The signed-in workspace. It owns every piece of patient data the renderer holds (search results, encounter,
 * record views, and the privacy officer's alerts, reports and extracts), all in React state under this component,
 * so unmounting it on lock drops them all at once.
 *
 * What it offers comes from the role's activities (view/areas.ts): patient search (B0370, B0020), the alert queue
 * (B0015, B0016) and reports (B0011). A role with more than one area gets a navigation between them. A role that
 * cannot view records is told on its first screen what it can do (view/areas.ts roleScopeText).
 */
import { useEffect, useLayoutEffect, useState } from 'react';
import { markNow } from '../app/marks';
import type { EncounterView } from '../../../src-shared/domain/records';
import type { SessionView } from '../../../src-shared/domain/session';
import { api } from '../app/api';
import { useFocusOnMount } from '../app/focus';
import { AREA_LABEL, areasFor, roleScopeText, type Area } from '../view/areas';
import { AlertsArea } from '../review/AlertsArea';
import { ReportsArea } from '../review/ReportsArea';
import { PatientSearch } from './PatientSearch';
import { Encounter } from './Encounter';
import { ExpiryNotice } from './ExpiryNotice';

type SignedIn = Extract<SessionView, { state: 'signed-in' }>;

export function Workspace({ session }: { session: SignedIn }) {
  const areas = areasFor(session.role.activities);
  const [chosen, setArea] = useState<Area | null>(areas[0] ?? null);
  const area = chosen && areas.includes(chosen) ? chosen : (areas[0] ?? null);
  const [encounter, setEncounter] = useState<EncounterView | null>(null);
  // A resumed session (shared workstations: its own card and PIN) reopens where it was: main kept its encounter.
  const [resuming, setResuming] = useState(session.resumed === true);
  useEffect(() => {
    if (!session.resumed) return;
    let live = true;
    void api()
      .encounter.current({})
      .then((r) => {
        if (!live) return;
        if (r.ok && r.value.encounter) setEncounter(r.value.encounter);
        setResuming(false);
      });
    return () => {
      live = false;
    };
  }, [session.resumed]);

  // Back to search: main keeps the encounter, so re-opening the same patient keeps the access (opening another
  // patient ends it there).
  const changePatient = () => setEncounter(null);
  // Ends the encounter in main too, so permission is asked again next time.
  const endEncounter = () => {
    setEncounter(null);
    void api().encounter.close({});
  };

  const go = (next: Area) => {
    if (next === area) return;
    // Leaving patients ends the encounter: permission is asked again when the user comes back.
    if (encounter) endEncounter();
    setArea(next);
  };

  if (area === null) return <NothingToDo />;
  if (resuming) return <Resuming />;

  const scope = roleScopeText(session.role.activities);
  const firstScreen = area === areas[0] && !encounter;

  return (
    <>
      <ShownMark />
      {areas.length > 1 ? <AreaNav areas={areas} current={area} onGo={go} /> : null}
      {scope && firstScreen ? <RoleScope text={scope} /> : null}
      {session.expiry && firstScreen ? <ExpiryNotice expiry={session.expiry} /> : null}
      {area === 'alerts' ? (
        <AlertsArea session={session} />
      ) : area === 'reports' ? (
        <ReportsArea />
      ) : encounter ? (
        <Encounter
          key={encounter.patient.nhsNumber}
          encounter={encounter}
          onEncounter={setEncounter}
          onChangePatient={changePatient}
          onEndAccess={endEncounter}
        />
      ) : (
        <PatientSearch onOpen={setEncounter} />
      )}
    </>
  );
}

/** Between the areas a role opens: buttons (each area is a screen of this page), the current one marked. */
function AreaNav({ areas, current, onGo }: { areas: Area[]; current: Area; onGo: (a: Area) => void }) {
  return (
    <nav className="app-area-nav" aria-label="Workspace" data-testid="area-nav">
      <ul className="app-area-nav__list">
        {areas.map((a) => (
          <li key={a}>
            <button
              type="button"
              className={`app-area-nav__item${a === current ? ' app-area-nav__item--current' : ''}`}
              aria-current={a === current ? 'page' : undefined}
              onClick={() => onGo(a)}
            >
              {AREA_LABEL[a]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** What this role can do here, said before the user tries to open a record (in a landmark of its own). */
function RoleScope({ text }: { text: string }) {
  return (
    <section className="nhsuk-inset-text" aria-label="What your role lets you do" data-testid="role-scope">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{text}</p>
    </section>
  );
}

/** Marks the workspace's first frame for this session (bench: a card swap back to one's own session). */
function ShownMark() {
  useLayoutEffect(() => markNow('workspace-shown'), []);
  return null;
}

/** The moment between a resumed session's unlock and its kept encounter arriving (no other screen flashes by). */
function Resuming() {
  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="resuming" aria-busy="true">
      <p className="nhsuk-body">Opening where you were…</p>
    </main>
  );
}

function NothingToDo() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="no-area">
      <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
        Your role has nothing to use here
      </h1>
      <p className="nhsuk-body">
        The role you signed in with does not let you view records, review alerts or run reports. If you chose
        the wrong role, sign out and choose again. If you need access, contact your Registration Authority.
      </p>
    </main>
  );
}
