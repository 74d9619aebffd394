/**
 * The privacy officer's alerts (B0015, B0016): the queue, one alert, and sampling for second-line review. The
 * queue's filter and page and the last sample are kept here, so going back from an alert finds them as they were.
 * The new-alert notice (`reviewNotice`) carries a count and nothing else.
 */
import { useEffect, useState } from 'react';
import type { SessionView } from '../../../src-shared/domain/session';
import type { QueueView, SampleView } from '../../../src-shared/ipc/channels/review';
import { api } from '../app/api';
import { EMPTY_DAY, EMPTY_QUEUE_FORM, type SampleForm } from '../view/review';
import { Queue, type QueueState } from './Queue';
import { AlertScreen } from './AlertScreen';
import { Sampling } from './Sampling';

type Screen =
  { kind: 'queue' } | { kind: 'sample' } | { kind: 'alert'; id: string; back: 'queue' | 'sample' };

type SignedIn = Extract<SessionView, { state: 'signed-in' }>;

export function AlertsArea({ session }: { session: SignedIn }) {
  const me = session.holder.userId;
  const [screen, setScreen] = useState<Screen>({ kind: 'queue' });
  const [queue, setQueue] = useState<QueueState>({ form: EMPTY_QUEUE_FORM, filter: {}, page: 0 });
  const [queueView, setQueueView] = useState<QueueView | null>(null);
  const [newAlerts, setNewAlerts] = useState(0);
  const [sampleForm, setSampleForm] = useState<SampleForm>({
    from: EMPTY_DAY,
    to: EMPTY_DAY,
    kind: null,
    value: '',
    seed: '',
  });
  const [sample, setSample] = useState<SampleView | null>(null);

  useEffect(() => api().events.reviewNotice((n) => setNewAlerts(n.newAlerts)), []);

  switch (screen.kind) {
    case 'queue':
      return (
        <Queue
          me={me}
          state={queue}
          onState={setQueue}
          view={queueView}
          onView={(v) => {
            setQueueView(v);
            setNewAlerts(0);
          }}
          newAlerts={newAlerts}
          onOpen={(id) => setScreen({ kind: 'alert', id, back: 'queue' })}
          onSample={() => setScreen({ kind: 'sample' })}
        />
      );
    case 'sample':
      return (
        <Sampling
          me={me}
          form={sampleForm}
          onForm={setSampleForm}
          result={sample}
          onResult={setSample}
          onOpen={(id) => setScreen({ kind: 'alert', id, back: 'sample' })}
          onBack={() => setScreen({ kind: 'queue' })}
        />
      );
    case 'alert':
      return (
        <AlertScreen
          key={screen.id}
          id={screen.id}
          me={me}
          orgNames={queueView?.scope ?? []}
          backLabel={screen.back === 'sample' ? 'Back to the sample' : 'Back to the queue'}
          onBack={() => setScreen({ kind: screen.back })}
        />
      );
  }
}
