/**
 * The status bar: who is signed in, in which role and organisation, and the audit delivery state kept current by
 * main's auditStatus events. The FHIR audit endpoint here is a closed local port, so events queue on the laptop.
 */
import { test, expect } from './fixtures';
import { card, expectAccessible, openPatientByNhs, recordPermissionGiven, signIn } from './ui-steps';

// Port 9 (discard) has no listener here: every delivery attempt is refused and the events wait in the outbox.
test.use({ config: { audit: { fhir: { baseUrl: 'https://127.0.0.1:9/fhir' } } } });

test('status bar: user, role, organisation and the audit queue while the audit service is unreachable', async ({
  app,
}) => {
  const { page } = app;
  await expect(page.getByTestId('status-bar')).toContainText('Not signed in');
  await signIn(app, 'paramedic');
  const c = card('paramedic');
  const role = c.roles[0];
  if (!role) throw new Error('the paramedic card has no role');
  await expect(page.getByTestId('status-user')).toHaveText(c.displayName);
  await expect(page.getByTestId('status-role')).toHaveText(`${role.roleName} (${role.roleCode})`);
  await expect(page.getByTestId('status-org')).toHaveText(`${role.orgName} (${role.orgCode})`);

  await openPatientByNhs(page, 'ooh-treated');
  await page.getByLabel('I am treating this patient now').check();
  await page.getByLabel('Describe your relationship with the patient').fill('999 call: chest pain at home.');
  await page.getByRole('button', { name: 'Record relationship and continue' }).click();
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Ramipril');

  // The sign-in, the claim, the permission and the record view are all audited and now wait to be delivered.
  const audit = page.getByTestId('audit-status');
  await expect(audit).toHaveText(/\d+ events? waiting/);
  await expect(audit).toHaveText(/retrying|offline/);
  const status = await page.evaluate(() => window.stethoscope.audit.status({}));
  expect(status.ok && status.value.queueDepth).toBeGreaterThan(0);
  await expectAccessible(page, 'status bar with audit queue');
  await app.screenshot('status-bar-audit-queued');
});
