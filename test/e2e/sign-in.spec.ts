/**
 * Sign-in screens with the demo reader and virtual cards: reader empty, untrusted card refused before any PIN,
 * wrong PIN with tries left, a blocked card with guidance, and role selection for a card with two role profiles.
 * Each screen is checked with axe-core (WCAG 2.2 AA) and kept as a screenshot.
 */
import { test, expect } from './fixtures';
import { card, enterPin, expectAccessible, insertCard, screen } from './ui-steps';

test('the reader is shown empty, and an untrusted card is refused before any PIN is asked', async ({
  app,
}) => {
  const { page } = app;
  await expect(screen(page, 'sign-in')).toHaveAttribute('data-reader-state', 'awaiting-card');
  await expect(page.getByText('Reader ready, no card in it.')).toBeVisible();
  await expectAccessible(page, 'sign-in, reader empty');
  await app.screenshot('sign-in');

  await insertCard(page, 'untrusted');
  await expect(screen(page, 'sign-in')).toHaveAttribute('data-reader-state', 'card-refused');
  const refusal = page.getByRole('heading', { name: 'This card cannot be used' });
  await expect(refusal).toBeVisible();
  await expect(page.locator('[data-refusal]')).toContainText(/not trusted|trust/i);
  await expect(page.getByLabel('Enter your PIN')).toHaveCount(0);
  await expectAccessible(page, 'sign-in, card refused');
  await app.screenshot('sign-in-card-refused');
});

test('a wrong PIN shows the tries left; three wrong PINs block the card with guidance', async ({ app }) => {
  const { page } = app;
  await insertCard(page, 'receptionist');
  await expect(screen(page, 'pin')).toBeVisible();
  await expect(screen(page, 'pin')).toContainText(card('receptionist').displayName);
  await expect(page.getByLabel('Enter your PIN')).toHaveAttribute('type', 'password');
  await expectAccessible(page, 'PIN entry');
  await app.screenshot('pin');

  // Checked before anything is sent: a short PIN costs no try.
  await enterPin(page, '123');
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Your PIN must be 6 to 8 numbers');

  await enterPin(page, '000000');
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'The PIN was not correct. You have 2 tries left.',
  );
  // The problem takes focus so it is read out, and its link leads to the field.
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  await page.locator('.nhsuk-error-summary').getByRole('link').click();
  await expect(page.getByLabel('Enter your PIN')).toBeFocused();
  await expect(page.getByLabel('Enter your PIN')).toHaveValue('');
  await expectAccessible(page, 'PIN entry, wrong PIN');
  await app.screenshot('pin-wrong');

  await enterPin(page, '000000');
  await expect(page.locator('.nhsuk-error-summary')).toContainText('1 try left');
  await enterPin(page, '000000');
  await expect(page.getByRole('heading', { level: 1, name: 'Your smartcard is blocked' })).toBeVisible();
  await expect(page.getByText(/Contact your Registration Authority \(RA\)/)).toBeVisible();
  await expectAccessible(page, 'card blocked');
  await app.screenshot('card-blocked');
});

test('a card with two role profiles asks which role, showing organisation and role', async ({ app }) => {
  const { page } = app;
  await insertCard(page, 'two-roles');
  await enterPin(page, card('two-roles').pin);
  await expect(screen(page, 'role-select')).toBeVisible();
  await expect(page.getByLabel(/Example Surgery/)).toBeVisible();
  await expect(page.getByLabel(/Example Out of Hours Service/)).toBeVisible();
  await expect(screen(page, 'role-select')).toContainText('Clinical Practitioner Access Role');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Select the role you are working in');
  await expectAccessible(page, 'role selection');
  await app.screenshot('role-select');

  await page.getByLabel(/Example Out of Hours Service/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  await expect(page.getByTestId('status-user')).toHaveText(card('two-roles').displayName);
  await expect(page.getByTestId('status-org')).toContainText('Example Out of Hours Service');
  await expect(page.getByTestId('status-role')).toContainText('R8000');
});
