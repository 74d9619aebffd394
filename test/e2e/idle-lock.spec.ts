/**
 * The idle lock: with a short idle time configured, an unattended record is replaced by the lock screen when main
 * locks the session, with no patient data left in the page; the card is still in the reader, so its PIN resumes.
 */
import { test, expect } from './fixtures';
import {
  card,
  enterPin,
  expectNoneInDom,
  openPatientByNhs,
  patientStrings,
  recordPermissionGiven,
  screen,
  signIn,
} from './ui-steps';

// 6 seconds: long enough for the short journey below, short enough for a test.
test.use({ config: { card: { idleLockMinutes: 0.1 } } });

test('an unattended record locks after the idle time; the PIN resumes', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');

  await app.waitForSession((s) => s.state === 'locked', 30_000);
  await expect(screen(page, 'locked')).toHaveAttribute('data-lock-reason', 'idle');
  await expect(page.getByText('The workstation was left unattended')).toBeVisible();
  await expectNoneInDom(page, patientStrings('end-of-life', ['Morphine sulfate', 'Heart failure', 'DNACPR']));
  await app.screenshot('locked-idle');

  // Back where she was: the permission is still within its time, so the record is read again.
  await enterPin(page, card('gp').pin, 'Unlock');
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');
});
