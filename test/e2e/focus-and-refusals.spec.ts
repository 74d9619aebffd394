/**
 * Focus and refusals (issue 14, point 6): the cursor is in the PIN field once the card is read; a role that cannot
 * view records is told what it can do on its first screen, not when a record is refused; signing out with the card
 * still in asks for the card to be taken out. Each screen touched is checked with axe in both themes.
 */
import { test, expect } from './fixtures';
import {
  card,
  enterPin,
  expectAccessibleDayAndNight,
  insertCard,
  removeCard,
  screen,
  signIn,
} from './ui-steps';

test('after the card is read, focus is in the PIN field', async ({ app }) => {
  const { page } = app;
  await insertCard(page, 'gp');
  await expect(screen(page, 'pin')).toBeVisible();
  await expect(page.getByLabel('Enter your PIN')).toBeFocused();
  // Typing straight away goes into the field.
  await page.keyboard.type(card('gp').pin);
  await expect(page.getByLabel('Enter your PIN')).toHaveValue(card('gp').pin);
  await expectAccessibleDayAndNight(app, 'PIN entry, focus in the field');
});

test('a receptionist is told at sign-in that her role reads and records sharing preferences, not records', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'receptionist');
  const scope = page.getByTestId('role-scope');
  await expect(scope).toContainText("Your role lets you read and record patients' sharing preferences.");
  await expect(scope).toContainText("It does not let you view patients' records.");
  await expectAccessibleDayAndNight(app, 'patient search, receptionist');
});

test('a privacy officer is told on her first screen what her role can do', async ({ app }) => {
  const { page } = app;
  await insertCard(page, 'privacy-officer');
  await enterPin(page, card('privacy-officer').pin);
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  await expect(page.getByTestId('role-scope')).toContainText(
    'Your role lets you review alerts about overridden access, review alerts about self-claimed relationships and run access reports.',
  );
  await expectAccessibleDayAndNight(app, 'alert queue with role scope');
});

test('a GP who views records gets no role notice', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await expect(page.getByTestId('role-scope')).toHaveCount(0);
});

test('signing out with the card still in asks for the card to be removed', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await page.getByRole('button', { name: 'Sign out' }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'Remove your smartcard' });
  await expect(heading).toBeVisible();
  await expect(heading).toBeFocused();
  await expect(screen(page, 'sign-in')).toHaveAttribute('data-reader-state', 'card-present');
  await expect(page.getByLabel('Enter your PIN')).toHaveCount(0);
  await expectAccessibleDayAndNight(app, 'signed out, card still in');

  await removeCard(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Insert your smartcard' })).toBeVisible();
  await expect(screen(page, 'sign-in')).not.toHaveAttribute('data-reader-state', 'card-present');
});

test('after signing out, the same card can sign in again without leaving the reader', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in again with this card' }).click();
  await expect(screen(page, 'pin')).toBeVisible();
  await expect(page.getByLabel('Enter your PIN')).toBeFocused();
  await enterPin(page, card('gp').pin);
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
});
