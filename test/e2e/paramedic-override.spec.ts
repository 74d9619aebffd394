/**
 * A paramedic with an unconscious patient they have no recorded relationship with: self-claim, emergency access
 * (duty of care) with reason, account and PIN; the override banner; then the card is pulled mid-record and no
 * patient data remains in the page. The same card and PIN resume (with nothing carried over); another card starts
 * afresh.
 */
import { test, expect } from './fixtures';
import {
  card,
  claimRelationship,
  enterPin,
  expectAccessible,
  expectNoneInDom,
  insertCard,
  openPatientByNhs,
  patientStrings,
  recordPermissionGiven,
  removeCard,
  screen,
  signIn,
} from './ui-steps';

const TILBURY_ITEMS = ['Cetirizine 10mg tablets', 'Peanut', 'Anaphylaxis'];

test('paramedic: emergency access for an unconscious patient, then the card is pulled mid-record', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'paramedic');
  await openPatientByNhs(page, 'unregistered');
  await expect(
    page.getByRole('heading', { level: 1, name: 'You have no recorded relationship with this patient' }),
  ).toBeVisible();
  await expectAccessible(page, 'legitimate relationship claim');
  await app.screenshot('relationship-claim');
  await claimRelationship(page, 'Attending a 999 call: patient found collapsed at home.');

  await page.getByLabel('The patient cannot be asked: emergency (duty of care)').check();
  const override = page.locator('[data-override="emergency"]');
  await expect(override).toContainText('This access is logged');
  await expect(override).toContainText('privacy officer is');
  await expect(page.getByRole('button', { name: 'Override and view record' })).toHaveClass(
    /nhsuk-button--warning/,
  );
  await page.getByRole('button', { name: 'Override and view record' }).click();
  const errors = page.locator('.nhsuk-error-summary');
  await expect(errors).toContainText('Select why the patient cannot be asked');
  await expect(errors).toContainText('Describe the situation');
  await expect(errors).toContainText('Enter your PIN');
  await expectAccessible(page, 'emergency override form');
  await app.screenshot('permission-emergency');

  await page.getByLabel('Medical emergency and the patient cannot consent').check();
  await page
    .getByLabel('Briefly describe the situation')
    .fill('Unconscious after a collapse, no relatives present.');
  await page.getByLabel('Enter your PIN again to confirm').fill(card('paramedic').pin);
  await page.getByRole('button', { name: 'Override and view record' }).click();

  const banner = page.getByTestId('access-banner');
  await expect(banner).toHaveAttribute('data-basis', 'emergency');
  await expect(banner).toContainText('duty of care');
  // "Has been told" only once the alert reached the (demo) audit repository, never while it is queued.
  await expect(banner).toHaveAttribute('data-alert', 'told');
  await expect(banner).toContainText('logged and the privacy officer has been told');
  await expect(page.getByTestId('record-scr')).toContainText('Cetirizine 10mg tablets');
  await expect(page.getByTestId('record-scr')).toContainText('Peanut');
  await expectAccessible(page, 'record under emergency access');
  await app.screenshot('record-emergency');

  // Pull the card: the lock screen replaces the record and nothing about the patient is left in the page.
  await removeCard(page);
  await expect(screen(page, 'locked')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'This workstation is locked' })).toBeVisible();
  await expectNoneInDom(page, patientStrings('unregistered', TILBURY_ITEMS));
  await expectAccessible(page, 'lock screen');
  await app.screenshot('locked');

  // The same card and its PIN resume the session where it was: the emergency access is still within its time,
  // so the record is read again (audited again) under it.
  await insertCard(page, 'paramedic');
  await expect(page.getByLabel('Enter your PIN')).toBeVisible();
  await app.screenshot('locked-card-back');
  await enterPin(page, card('paramedic').pin, 'Unlock');
  await expect(page.getByTestId('status-user')).toHaveText(card('paramedic').displayName);
  await expect(page.getByTestId('access-banner')).toHaveAttribute('data-basis', 'emergency');
  await expect(page.getByTestId('record-scr')).toContainText('Cetirizine 10mg tablets');
});

test('after a lock, another card starts a fresh session with nothing carried over', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');
  await removeCard(page);
  await expect(screen(page, 'locked')).toBeVisible();
  const crowther = patientStrings('end-of-life', ['Morphine sulfate', 'Heart failure', 'DNACPR']);
  await expectNoneInDom(page, crowther);

  await insertCard(page, 'ooh-doctor');
  await expect(screen(page, 'pin')).toBeVisible();
  await expect(screen(page, 'pin')).toContainText(card('ooh-doctor').displayName);
  await enterPin(page, card('ooh-doctor').pin);
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  await expect(page.getByTestId('status-user')).toHaveText(card('ooh-doctor').displayName);
  await expectNoneInDom(page, crowther);
});

test('swapping cards in the demo reader mid-record locks the first session and clears the record', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');
  // Insert another card without removing the first: the demo reader swaps them, as a quick hand would.
  await insertCard(page, 'paramedic');
  await expect(screen(page, 'pin')).toContainText(card('paramedic').displayName);
  await expect(screen(page, 'pin').getByTestId('locked-session')).toHaveText([
    `Locked session: ${card('gp').displayName}`,
  ]);
  await expectNoneInDom(page, patientStrings('end-of-life', ['Morphine sulfate', 'Heart failure', 'DNACPR']));
});
