/**
 * The banner over a record: which permission or override is in force and when it ends. Overrides are drawn in
 * warning colours and say whether the privacy officer has been told yet: main pushes the alert's delivery as it
 * moves on, and the banner asks once when it appears (a push may have come before it was there).
 */
import { useEffect, useState } from 'react';
import type { AlertDelivery, PtvView } from '../../../src-shared/domain/records';
import { api } from '../app/api';
import { useAlive } from '../app/alive';
import { accessSentence, accessTitle, isOverride } from '../view/access';

/** The override alert's delivery: as given with the permission view, then as main reports it. */
function useAlertDelivery(initial: AlertDelivery | undefined): AlertDelivery | undefined {
  const alive = useAlive();
  const [alert, setAlert] = useState(initial);
  const id = initial?.id;
  useEffect(() => {
    if (!id) return;
    const off = api().events.alertDelivery((d) => {
      if (d.id === id) setAlert(d);
    });
    void api()
      .encounter.alertDelivery({ id })
      .then((r) => {
        if (alive.current && r.ok) setAlert((now) => (now?.state === 'told' ? now : r.value));
      });
    return off;
  }, [id, alive]);
  return alert;
}

export function AccessBanner({ ptv }: { ptv: Extract<PtvView, { state: 'granted' }> }) {
  const override = isOverride(ptv.basis);
  const alert = useAlertDelivery(ptv.alert);
  return (
    <div
      className={`app-access-banner${override ? ' app-access-banner--override' : ''}`}
      role="region"
      aria-labelledby="access-banner-title"
      data-testid="access-banner"
      data-basis={ptv.basis}
      data-alert={override ? (alert?.state ?? 'unknown') : undefined}
    >
      <h2
        className={`nhsuk-heading-s nhsuk-u-margin-bottom-2${override ? ' app-override__title' : ''}`}
        id="access-banner-title"
      >
        {override ? <span className="nhsuk-u-visually-hidden">Warning: </span> : null}
        {accessTitle(ptv.basis)}
      </h2>
      <p className="nhsuk-body nhsuk-u-margin-bottom-0" aria-live="polite">
        {accessSentence(ptv.basis, ptv.expiresAt, ptv.reasonCode, alert)}
      </p>
    </div>
  );
}
