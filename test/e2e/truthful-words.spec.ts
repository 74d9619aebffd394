/**
 * Truthful words after an override: the banner says the privacy officer has been told only once the alert reached
 * the organisation's audit service. In demo mode the audit goes to the demo's own repository in process, so "told"
 * follows quickly; with the audit service unreachable the banner says the officer will be told when the workstation
 * is back online, with how many events wait, and the status bar never says up to date. A role with no legal
 * override is never told that one would pass a MIG dissent.
 */
import { test, expect, type AppHandle } from './fixtures';
import {
  card,
  claimRelationship,
  expectAccessibleDayAndNight,
  openPatientByNhs,
  recordPermissionGiven,
  signIn,
} from './ui-steps';

/** The paramedic's emergency access to the unregistered patient, through the relationship claim. */
async function emergencyAccess(app: AppHandle): Promise<void> {
  const { page } = app;
  await signIn(app, 'paramedic');
  await openPatientByNhs(page, 'unregistered');
  await claimRelationship(page, 'Attending a 999 call: patient found collapsed at home.');
  await page.getByLabel('The patient cannot be asked: emergency (duty of care)').check();
  await page.getByLabel('Medical emergency and the patient cannot consent').check();
  await page.getByLabel('Briefly describe the situation').fill('Unconscious after a collapse, no relatives.');
  await page.getByLabel('Enter your PIN again to confirm').fill(card('paramedic').pin);
  await page.getByRole('button', { name: 'Override and view record' }).click();
  await expect(page.getByTestId('access-banner')).toHaveAttribute('data-basis', 'emergency');
}

test.describe('with the demo audit repository', () => {
  test('the banner says the privacy officer has been told once the alert was delivered', async ({ app }) => {
    const { page } = app;
    await emergencyAccess(app);
    const banner = page.getByTestId('access-banner');
    // Delivered in process to the demo's audit repository: main pushes "told" and the banner follows.
    await expect(banner).toHaveAttribute('data-alert', 'told');
    await expect(banner).toContainText('This access is logged and the privacy officer has been told.');
    await expect(banner).not.toContainText('back online');
    await expect(page.getByTestId('audit-status')).not.toHaveText(/offline|retrying/);
    await expectAccessibleDayAndNight(app, 'record, emergency access told', 'truthful-told');
  });

  test('a role with no legal override is not told that one would pass a MIG dissent', async ({ app }) => {
    const { page } = app;
    await signIn(app, 'paramedic');
    await openPatientByNhs(page, 'mig-dissent');
    await claimRelationship(page, 'Attending a 999 call for high blood sugar.');
    await recordPermissionGiven(page);
    const notes = page.getByTestId('encounter-notes');
    await expect(notes).toContainText('dissented');
    await expect(notes).not.toContainText('legal override');
    await expect(page.locator('body')).not.toContainText('only a legal override');
  });
});

test.describe('with the audit service unreachable', () => {
  // Port 9 (discard) has no listener: every delivery attempt fails and the events wait in the outbox.
  test.use({ config: { audit: { fhir: { baseUrl: 'https://127.0.0.1:9/fhir' } } } });

  test('the banner says the privacy officer will be told when back online, with the queue count; the status bar is not up to date', async ({
    app,
  }) => {
    const { page } = app;
    await emergencyAccess(app);
    const banner = page.getByTestId('access-banner');
    await expect(banner).toHaveAttribute('data-alert', 'waiting');
    await expect(banner).toContainText(
      /The privacy officer will be told when this workstation is back online \(\d+ audit events? waiting\)/,
    );
    await expect(banner).not.toContainText('has been told');
    // The count is the workstation's own queue, as main reports it.
    const status = await page.evaluate(() => window.stethoscope.audit.status({}));
    if (!status.ok) throw new Error('no audit status');
    expect(status.value.queueDepth).toBeGreaterThan(1);
    const audit = page.getByTestId('audit-status');
    await expect(audit).toHaveText(/retrying|offline/);
    await expect(audit).not.toHaveText(/up to date/);
    // The self-claim's note is as truthful.
    await expect(page.getByTestId('encounter-notes')).not.toContainText('has been told');
    await expectAccessibleDayAndNight(app, 'record, emergency access waiting', 'truthful-waiting');
  });
});
