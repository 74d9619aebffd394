/**
 * Role profile selection when the card carries several: each shows organisation and role, as NHS role selection.
 * Also the change of role of a signed-in user (session.current set): the role in use is marked, and changing it
 * has already closed any patient record (permission to view is asked again).
 */
import { useState, type FormEvent } from 'react';
import type { SessionView } from '../../../src-shared/domain/session';
import { api } from '../app/api';
import { errorText } from '../app/errors';
import { useFocusOnMount } from '../app/focus';
import { ErrorSummary } from '../components/ErrorSummary';
import { RadioGroup } from '../components/Fields';

export function RoleSelect({
  session,
  onSession,
}: {
  session: Extract<SessionView, { state: 'role-select' }>;
  onSession: (s: SessionView) => void;
}) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [urid, setUrid] = useState<string | null>(session.current ?? null);
  const changing = session.current !== undefined;
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!urid) {
      setProblem('Select the role you are working in');
      return;
    }
    setBusy(true);
    try {
      const r = await api().session.selectRole({ urid });
      if (r.ok) onSession(r.value);
      else setProblem(errorText(r.error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="nhsuk-main-wrapper" id="maincontent" data-screen="role-select">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1 className="nhsuk-heading-l" ref={heading} tabIndex={-1}>
            {changing ? 'Change your role' : 'Choose your role'}
          </h1>
          <p className="nhsuk-body">
            {changing
              ? `${session.holder.displayName}, choose the role you are working in now. Any patient record you had open has been closed: you will be asked for permission to view again.`
              : `${session.holder.displayName}, your card carries more than one role. Choose the one you are working in now.`}
          </p>
          {problem ? <ErrorSummary items={[{ text: problem, fieldId: 'role' }]} /> : null}
          <form noValidate onSubmit={(e) => void submit(e)}>
            <RadioGroup
              id="role"
              legend="Role and organisation"
              error={problem}
              value={urid}
              onChange={setUrid}
              options={session.roles.map((r) => ({
                value: r.urid,
                label: (
                  <>
                    <strong>{r.orgName}</strong> ({r.orgCode}): {r.roleName}
                  </>
                ),
                hint: `Role ${r.roleCode}, role profile ${r.urid}${r.urid === session.current ? ' (the role you were using)' : ''}`,
              }))}
            />
            <button type="submit" className="nhsuk-button" disabled={busy}>
              Continue
            </button>
          </form>
        </div>
      </div>
    </main>
  );
}
