/**
 * The banner over a record: which permission or override is in force and when it ends. Overrides are drawn in
 * warning colours and say they are logged and reported.
 */
import type { PtvView } from '../../../src-shared/domain/records';
import { accessSentence, accessTitle, isOverride } from '../view/access';

export function AccessBanner({ ptv }: { ptv: Extract<PtvView, { state: 'granted' }> }) {
  const override = isOverride(ptv.basis);
  return (
    <div
      className={`app-access-banner${override ? ' app-access-banner--override' : ''}`}
      role="region"
      aria-labelledby="access-banner-title"
      data-testid="access-banner"
      data-basis={ptv.basis}
    >
      <h2
        className={`nhsuk-heading-s nhsuk-u-margin-bottom-2${override ? ' app-override__title' : ''}`}
        id="access-banner-title"
      >
        {override ? <span className="nhsuk-u-visually-hidden">Warning: </span> : null}
        {accessTitle(ptv.basis)}
      </h2>
      <p className="nhsuk-body nhsuk-u-margin-bottom-0">
        {accessSentence(ptv.basis, ptv.expiresAt, ptv.reasonCode)}
      </p>
    </div>
  );
}
