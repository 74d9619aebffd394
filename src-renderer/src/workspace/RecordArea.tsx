/**
 * The record area, reached only with permission (or an override) in force: the access banner, then the SCR, the
 * MIG record where the role and the patient allow it, and the sharing preferences, as keyboard-operable tabs.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { EncounterView, PtvView, RecordView } from '../../../src-shared/domain/records';
import type { IpcResult } from '../../../src-shared/ipc/result';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useAlive } from '../app/alive';
import { useFocusOnMount } from '../app/focus';
import { AccessBanner } from './AccessBanner';
import { RecordSections } from './RecordSections';
import { SharingPreferences } from './SharingPreferences';

type Tab = 'scr' | 'mig' | 'prefs';
type Loaded<T> =
  { state: 'idle' } | { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; message: string };

const TAB_LABEL: Record<Tab, string> = {
  scr: 'Summary Care Record',
  mig: 'GP record (MIG)',
  prefs: 'Sharing preferences',
};

export function RecordArea({
  encounter,
  ptv,
  prefetchedScr,
  onPreferencesChanged,
}: {
  encounter: EncounterView;
  ptv: Extract<PtvView, { state: 'granted' }>;
  /** The SCR asked for together with the encounter when permission was recorded (saves a round trip). */
  prefetchedScr: IpcResult<RecordView> | null;
  onPreferencesChanged: () => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  // The record starts at the top of the window (the permission screen may have been scrolled to its button), so
  // the banner, warnings and allergies are the first thing seen.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);
  const alive = useAlive();
  const nhsNumber = encounter.patient.nhsNumber;
  const tabs: Tab[] = ['scr', ...(encounter.can.viewMig ? (['mig'] as const) : []), 'prefs'];
  const [chosen, setTab] = useState<Tab>('scr');
  // A tab can disappear when what may be shown changes (e.g. after a preferences change): fall back to the SCR.
  const tab: Tab = tabs.includes(chosen) ? chosen : 'scr';
  const [scr, setScr] = useState<Loaded<RecordView>>(() =>
    prefetchedScr ? loaded(prefetchedScr) : { state: 'idle' },
  );
  const [mig, setMig] = useState<Loaded<RecordView>>({ state: 'idle' });
  const tabRefs = useRef(new Map<Tab, HTMLAnchorElement>());

  const load = async (
    fetcher: () => Promise<IpcResult<RecordView>>,
    set: (l: Loaded<RecordView>) => void,
  ): Promise<void> => {
    set({ state: 'loading' });
    const r = await fetcher();
    if (!alive.current) return;
    set(loaded(r));
  };

  useEffect(() => {
    if (tab === 'scr' && scr.state === 'idle' && encounter.can.viewScr)
      void load(() => api().record.scr({ nhsNumber }), setScr);
    if (tab === 'mig' && mig.state === 'idle') void load(() => api().record.mig({ nhsNumber }), setMig);
    // load is stable in effect terms: it only closes over refs and setters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tab, scr.state, mig.state, nhsNumber, encounter.can.viewScr]);

  const onTabKey = (e: KeyboardEvent<HTMLAnchorElement>, current: Tab) => {
    const i = tabs.indexOf(current);
    let next: Tab | undefined;
    if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (!next) return;
    e.preventDefault();
    setTab(next);
    tabRefs.current.get(next)?.focus();
  };

  const preferencesChanged = () => {
    // What may be shown can change with the preferences: fetch again when next viewed.
    setScr({ state: 'idle' });
    setMig({ state: 'idle' });
    onPreferencesChanged();
  };

  return (
    <div data-testid="record-area">
      <div className="app-record-head">
        <h1 className="nhsuk-heading-m" ref={heading} tabIndex={-1}>
          Shared record
        </h1>
        <AccessBanner ptv={ptv} />
      </div>
      {encounter.notes.length ? (
        <div className="nhsuk-inset-text" data-testid="encounter-notes">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          {encounter.notes.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      ) : null}
      {/* The NHS.UK tabs pattern, drawn by React (no nhsuk JS): the class on the wrapper turns its styles on. */}
      <div className="nhsuk-frontend-supported">
        <div className="nhsuk-tabs app-record-tabs">
          <ul className="nhsuk-tabs__list" role="tablist" aria-label="Record views">
            {tabs.map((t) => (
              <li
                key={t}
                role="presentation"
                className={`nhsuk-tabs__list-item${tab === t ? ' nhsuk-tabs__list-item--selected' : ''}`}
              >
                <a
                  href={`#panel-${t}`}
                  role="tab"
                  id={`tab-${t}`}
                  aria-selected={tab === t}
                  aria-controls={`panel-${t}`}
                  tabIndex={tab === t ? 0 : -1}
                  className="nhsuk-tabs__tab"
                  ref={(el) => {
                    if (el) tabRefs.current.set(t, el);
                    else tabRefs.current.delete(t);
                  }}
                  onClick={(e) => {
                    e.preventDefault();
                    setTab(t);
                  }}
                  onKeyDown={(e) => onTabKey(e, t)}
                >
                  {TAB_LABEL[t]}
                </a>
              </li>
            ))}
          </ul>
          <div
            className="nhsuk-tabs__panel"
            role="tabpanel"
            id={`panel-${tab}`}
            aria-labelledby={`tab-${tab}`}
            tabIndex={0}
          >
            {tab === 'scr' ? (
              encounter.can.viewScr ? (
                <Loadable
                  loaded={scr}
                  what="the Summary Care Record"
                  onRetry={() => setScr({ state: 'idle' })}
                />
              ) : (
                <p className="nhsuk-body">No Summary Care Record can be shown for this patient.</p>
              )
            ) : tab === 'mig' ? (
              <Loadable loaded={mig} what="the GP record" onRetry={() => setMig({ state: 'idle' })} />
            ) : (
              <SharingPreferences
                nhsNumber={nhsNumber}
                canChange={encounter.can.changePreferences}
                onChanged={preferencesChanged}
              />
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

function loaded(r: IpcResult<RecordView>): Loaded<RecordView> {
  return r.ok ? { state: 'ok', value: r.value } : { state: 'error', message: errorText(r.error) };
}

/** Mounted while waiting: after SLOW_MS says the service is slow, so a long wait is not mistaken for a hang. */
function SlowNotice() {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(t);
  }, []);
  return slow ? <> The service is slow to answer; still waiting (it gives up after 10 seconds).</> : null;
}

/** After this long without an answer the clinician is told the service is slow (and may keep waiting). */
const SLOW_MS = 3000;

function Loadable({
  loaded,
  what,
  onRetry,
}: {
  loaded: Loaded<RecordView>;
  what: string;
  onRetry: () => void;
}) {
  switch (loaded.state) {
    case 'idle':
    case 'loading':
      return (
        <p className="nhsuk-body" role="status">
          Loading {what}…
          <SlowNotice />
        </p>
      );
    case 'error':
      return (
        <div className="nhsuk-inset-text" role="status" data-testid="record-unavailable">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{loaded.message}</p>
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            onClick={onRetry}
          >
            Try again
          </button>
        </div>
      );
    case 'ok':
      return <RecordSections record={loaded.value} />;
  }
}
