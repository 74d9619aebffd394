/**
 * The warning shown with either override: plain words that the access is logged and the privacy officer told once it arrives.
 */
export function OverrideWarning({ title }: { title: string }) {
  return (
    <div className="nhsuk-card nhsuk-card--warning">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading app-override__title">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            {title}
          </span>
        </h2>
        <p className="nhsuk-card__description">
          This access is logged on this workstation and sent to your organisation’s audit service; the privacy
          officer is told when it arrives there. You may be asked to explain it. Use it only when you need the
          record to care for the patient.
        </p>
      </div>
    </div>
  );
}
