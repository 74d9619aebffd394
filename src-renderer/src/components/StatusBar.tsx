/**
 * The status bar: who is signed in with which role and organisation, the audit delivery state (kept current by
 * the `auditStatus` event), the night-theme toggle and sign-out. It never shows patient data.
 */
import { useEffect, useState } from 'react';
import type { SessionView } from '../../../src-shared/domain/session';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';
import { api } from '../app/api';
import type { Theme } from '../app/theme';
import { auditLine } from '../view/audit';

export function StatusBar({
  session,
  theme,
  onToggleTheme,
  onSignOut,
  onChangeRole,
}: {
  session: SessionView | null;
  theme: Theme;
  onToggleTheme: () => void;
  onSignOut: () => void;
  onChangeRole: () => void;
}) {
  const [audit, setAudit] = useState<AuditStatus | null>(null);
  useEffect(() => {
    let fresh = false;
    const off = api().events.auditStatus((s) => {
      fresh = true;
      setAudit(s);
    });
    void api()
      .audit.status({})
      .then((r) => {
        if (r.ok && !fresh) setAudit(r.value);
      });
    return off;
  }, []);
  const line = auditLine(audit);
  const signedIn = session?.state === 'signed-in' ? session : null;
  const holder = session && 'holder' in session ? session.holder : null;

  return (
    <div className="app-status-bar" data-testid="status-bar">
      <div className="app-width">
        <ul className="app-status-bar__list">
          {signedIn ? (
            <>
              <li className="app-status-bar__item">
                <span className="app-status-bar__label">User:</span>
                <span data-testid="status-user">{signedIn.holder.displayName}</span>
              </li>
              <li className="app-status-bar__item">
                <span className="app-status-bar__label">Role:</span>
                <span data-testid="status-role">
                  {signedIn.role.roleName} ({signedIn.role.roleCode})
                </span>
              </li>
              <li className="app-status-bar__item">
                <span className="app-status-bar__label">Organisation:</span>
                <span data-testid="status-org">
                  {signedIn.role.orgName} ({signedIn.role.orgCode})
                </span>
              </li>
            </>
          ) : holder ? (
            <li className="app-status-bar__item">
              <span className="app-status-bar__label">Card:</span>
              {holder.displayName}
            </li>
          ) : (
            <li className="app-status-bar__item">Not signed in</li>
          )}
          <li className="app-status-bar__item">
            <span className={`app-audit--${line.tone}`} data-testid="audit-status" role="status">
              {line.text}
            </span>
          </li>
          <li className="app-status-bar__actions">
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
              aria-pressed={theme === 'night'}
              onClick={onToggleTheme}
            >
              Night theme
            </button>
            {signedIn?.canChangeRole ? (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                onClick={onChangeRole}
              >
                Change role
              </button>
            ) : null}
            {signedIn || session?.state === 'locked' || session?.state === 'role-select' ? (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                onClick={onSignOut}
              >
                Sign out
              </button>
            ) : null}
          </li>
        </ul>
      </div>
    </div>
  );
}
