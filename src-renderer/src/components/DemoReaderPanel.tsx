/**
 * Demo mode only: a virtual card reader. Insert, remove or swap the demo cards; each shows its label and PIN so a
 * demonstrator can sign in. Kept in sync with the reader through the `readersChanged` event.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DemoReaderState } from '../../../src-shared/ipc/channels/demo';
import type { IpcResult } from '../../../src-shared/ipc/result';
import { api } from '../app/api';

export function DemoReaderPanel() {
  const [state, setState] = useState<DemoReaderState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const take = useCallback((r: IpcResult<DemoReaderState>) => {
    if (r.ok) {
      setState(r.value);
      setProblem(null);
    } else setProblem(r.error.message);
  }, []);

  useEffect(() => {
    void api().demo.state({}).then(take);
    return api().events.readersChanged(() => {
      void api().demo.state({}).then(take);
    });
  }, [take]);

  const run = async (action: () => Promise<IpcResult<DemoReaderState>>) => {
    setBusy(true);
    try {
      take(await action());
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="app-demo-panel" aria-labelledby="demo-reader-title" data-testid="demo-reader">
      <h2 className="nhsuk-heading-s" id="demo-reader-title">
        Demo reader (virtual cards)
      </h2>
      <p className="nhsuk-body-s">
        Demonstration only. Synthetic cards: insert one, then sign in with the PIN shown.
      </p>
      {problem ? <p className="nhsuk-error-message">{problem}</p> : null}
      {state ? (
        <>
          <ul className="app-demo-panel__cards">
            {state.cards.map((card) => {
              const inserted = state.inserted === card.id;
              return (
                <li
                  key={card.id}
                  className={`app-demo-panel__card${inserted ? ' app-demo-panel__card--inserted' : ''}`}
                  data-card-id={card.id}
                >
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                    <strong>{card.label}</strong>
                    {inserted ? ' (in the reader)' : ''}
                  </p>
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{card.description}</p>
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
                    PIN: <span className="app-demo-pin">{card.pin}</span>
                  </p>
                  <button
                    type="button"
                    className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                    disabled={busy || inserted}
                    onClick={() => void run(() => api().demo.insert({ cardId: card.id }))}
                  >
                    Insert<span className="nhsuk-u-visually-hidden"> {card.label}</span>
                  </button>
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            disabled={busy || state.inserted === null}
            onClick={() => void run(() => api().demo.remove({}))}
          >
            Remove card
          </button>
        </>
      ) : problem ? null : (
        <p className="nhsuk-body-s">Loading the demo reader…</p>
      )}
    </aside>
  );
}
