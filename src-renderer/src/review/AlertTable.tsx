/**
 * Alerts as rows (the queue and a drawn sample): when, type, coded reason, role, workstation, review status and
 * owner. No patient and no name other than the owner's: red data is shown only on one alert's own screen.
 */
import type { AlertRow } from '../../../src-shared/ipc/channels/review';
import { formatDateTime } from '../view/dates';
import { ALERT_TYPE_LABEL, REVIEW_STATUS_LABEL, ownerText } from '../view/review';

export function AlertTable({
  caption,
  alerts,
  me,
  onOpen,
}: {
  caption: string;
  alerts: readonly AlertRow[];
  /** The signed-in officer's user id, to say "you" for alerts she owns. */
  me: string;
  onOpen: (id: string) => void;
}) {
  return (
    <div className="app-table-scroll">
      <table className="nhsuk-table app-alert-table" data-testid="alert-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col" className="nhsuk-table__header">
              Time
            </th>
            <th scope="col" className="nhsuk-table__header">
              Type
            </th>
            <th scope="col" className="nhsuk-table__header">
              Reason
            </th>
            <th scope="col" className="nhsuk-table__header">
              Role
            </th>
            <th scope="col" className="nhsuk-table__header">
              Workstation
            </th>
            <th scope="col" className="nhsuk-table__header">
              Status
            </th>
            <th scope="col" className="nhsuk-table__header">
              Owner
            </th>
            <th scope="col" className="nhsuk-table__header">
              <span className="nhsuk-u-visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {alerts.map((a) => (
            <tr className="nhsuk-table__row" key={a.id} data-alert-id={a.id} data-own={a.own || undefined}>
              <td className="nhsuk-table__cell">
                {formatDateTime(a.recorded)}
                {a.own ? (
                  <>
                    <br />
                    <strong className="nhsuk-tag nhsuk-tag--grey app-own-tag">Your own access</strong>
                  </>
                ) : null}
              </td>
              <td className="nhsuk-table__cell">{ALERT_TYPE_LABEL[a.type]}</td>
              <td className="nhsuk-table__cell">{a.reasonLabel}</td>
              <td className="nhsuk-table__cell">{a.roleName ?? 'Not recorded'}</td>
              <td className="nhsuk-table__cell">{a.workstationId ?? 'Not recorded'}</td>
              <td className="nhsuk-table__cell" data-testid="alert-status">
                {REVIEW_STATUS_LABEL[a.status]}
              </td>
              <td className="nhsuk-table__cell">{ownerText(a.owner, me)}</td>
              <td className="nhsuk-table__cell">
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                  onClick={() => onOpen(a.id)}
                >
                  Open
                  <span className="nhsuk-u-visually-hidden">
                    {' '}
                    {ALERT_TYPE_LABEL[a.type].toLowerCase()} alert from {formatDateTime(a.recorded)}
                  </span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
