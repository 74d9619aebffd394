/**
 * Two clinicians alternating on one workstation (shared workstations): a GP with an end-of-life patient's record
 * open and an out-of-hours doctor with another patient's take turns in the demo reader. Each swap shows the
 * right user's own workspace where they left it, and never the other's, not even for a frame: a mutation
 * observer in the page records any moment the other user's patient appears while this user is at the screen. The
 * lock screen lists who has a locked session here (names only) and whose card is in; axe checks it in both themes.
 */
import { test, expect, type AppHandle } from './fixtures';
import {
  card,
  enterPin,
  expectAccessibleDayAndNight,
  expectNoneInDom,
  insertCard,
  openPatientByNhs,
  patientStrings,
  recordPermissionGiven,
  removeCard,
  screen,
  signIn,
} from './ui-steps';

const GP_PATIENT = patientStrings('end-of-life', ['Morphine sulfate']);
const OOH_PATIENT = patientStrings('ooh-treated', ['Ramipril 5mg capsules']);

/** From now on, records every DOM change that shows any of `needles` (checked on each mutation batch). */
async function watchFor(app: AppHandle, needles: string[]): Promise<void> {
  await app.page.evaluate((words) => {
    const w = window as unknown as { __seen: string[]; __watch?: MutationObserver };
    w.__watch?.disconnect();
    w.__seen = [];
    const check = () => {
      const text = document.body.innerText;
      for (const n of words) if (text.includes(n)) w.__seen.push(n);
    };
    w.__watch = new MutationObserver(check);
    w.__watch.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  }, needles);
}
async function seenSinceWatch(app: AppHandle): Promise<string[]> {
  return app.page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
}

test('two clinicians alternate on one workstation, each back where they were, never seeing the other’s patient', async ({
  app,
}) => {
  const { page } = app;
  const gp = card('gp').displayName;
  const ooh = card('ooh-doctor').displayName;

  // The GP opens a record.
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');

  // The out-of-hours doctor takes the reader: the GP's session locks; the PIN screen names who is locked here.
  await removeCard(page);
  await expect(screen(page, 'locked')).toBeVisible();
  await watchFor(app, GP_PATIENT);
  await insertCard(page, 'ooh-doctor');
  const pin = screen(page, 'pin');
  await expect(pin).toContainText(ooh);
  await expect(pin.getByTestId('locked-session')).toHaveText([`Locked session: ${gp}`]);
  await enterPin(page, card('ooh-doctor').pin);
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  await expect(page.getByTestId('status-user')).toHaveText(ooh);
  await openPatientByNhs(page, 'ooh-treated');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Ramipril 5mg capsules');
  expect(await seenSinceWatch(app)).toEqual([]);

  // Out-of-hours doctor steps away: the lock screen lists both, and is accessible in both themes.
  await removeCard(page);
  const lock = screen(page, 'locked');
  await expect(lock).toContainText(`Put ${ooh}'s card back`);
  await expect(lock.getByTestId('locked-session')).toHaveText([`Locked session: ${gp}`]);
  await expectAccessibleDayAndNight(app, 'lock screen with another session locked here');
  await app.screenshot('shared-lock-screen');

  // The GP comes back: her own lock screen with her card in, then her record where she left it.
  await watchFor(app, OOH_PATIENT);
  await insertCard(page, 'gp');
  await expect(lock).toContainText(`Enter the PIN for ${gp}'s card`);
  await expect(lock.getByTestId('card-in')).toHaveText(`Card in the reader: ${gp}`);
  await expect(lock.getByTestId('locked-session')).toHaveText([`Locked session: ${ooh}`]);
  await expectAccessibleDayAndNight(app, 'lock screen with the card back in');
  await enterPin(page, card('gp').pin, 'Unlock');
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');
  await expect(page.getByTestId('status-user')).toHaveText(gp);
  await expectNoneInDom(page, OOH_PATIENT);
  expect(await seenSinceWatch(app)).toEqual([]);

  // And the out-of-hours doctor again: straight back to his patient, none of the GP's.
  await removeCard(page);
  await expect(screen(page, 'locked')).toBeVisible();
  await watchFor(app, GP_PATIENT);
  await insertCard(page, 'ooh-doctor');
  await expect(screen(page, 'locked')).toContainText(`Enter the PIN for ${ooh}'s card`);
  await enterPin(page, card('ooh-doctor').pin, 'Unlock');
  await expect(page.getByTestId('record-scr')).toContainText('Ramipril 5mg capsules');
  await expect(page.getByTestId('status-user')).toHaveText(ooh);
  await expectNoneInDom(page, GP_PATIENT);
  expect(await seenSinceWatch(app)).toEqual([]);
});

test('a clinician with two role profiles changes role without removing the card; permission is asked again', async ({
  app,
}) => {
  const { page } = app;
  const both = card('two-roles');
  const [practice, ooh] = [both.roles[0]!.orgName, both.roles[1]!.orgName];
  await signIn(app, 'two-roles', practice);
  await openPatientByNhs(page, 'end-of-life');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');

  const changeRole = async (to: string) => {
    await page.getByRole('button', { name: 'Change role' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Change your role' })).toBeVisible();
    await page.getByLabel(new RegExp(to)).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByTestId('status-org')).toContainText(to);
    await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  };
  await page.getByRole('button', { name: 'Change role' }).click();
  await expect(screen(page, 'role-select')).toBeVisible();
  await expectNoneInDom(page, GP_PATIENT);
  await expectAccessibleDayAndNight(app, 'change of role');
  await page.getByLabel(new RegExp(ooh)).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('status-org')).toContainText(ooh);
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  await expectNoneInDom(page, GP_PATIENT);

  // Back in the practice role, the same patient needs permission to view again.
  await changeRole(practice);
  await openPatientByNhs(page, 'end-of-life');
  await expect(screen(page, 'permission')).toBeVisible();
  await expect(page.getByTestId('record-scr')).toHaveCount(0);
});
