/**
 * Shared workstations: who has a locked session here (names only, nothing else of theirs) and whose card is in the
 * reader. Shown on the lock screen and the sign-in and PIN screens whenever another session is held here.
 */
export function LockedHere({
  names,
  cardIn,
}: {
  names: readonly string[] | undefined;
  cardIn?: string | null;
}) {
  if (!names || names.length === 0) return null;
  return (
    <section className="app-locked-here" aria-labelledby="locked-here-heading" data-testid="locked-here">
      <h2 className="nhsuk-heading-s" id="locked-here-heading">
        On this workstation
      </h2>
      <ul className="nhsuk-list">
        {cardIn ? (
          <li data-testid="card-in">
            Card in the reader: <strong>{cardIn}</strong>
          </li>
        ) : null}
        {names.map((n, i) => (
          <li key={`${i}:${n}`} data-testid="locked-session">
            Locked session: {n}
          </li>
        ))}
      </ul>
      <p className="nhsuk-body-s">
        Each locked session opens again only with its own smartcard and PIN. Another card opens its own
        session.
      </p>
    </section>
  );
}
