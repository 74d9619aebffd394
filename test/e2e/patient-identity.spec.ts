/**
 * Who the patient is, as the demographics service and the shared care record say (the demo's in-process record
 * services, the same clients as live mode): a restricted record shows no address or GP and says so; a superseded
 * NHS number is followed to the current one with a notice; details that differ between the services are warned
 * of, field by field, before any record is asked for. Each screen passes axe.
 */
import { test, expect } from './fixtures';
import { expectAccessible, signIn } from './ui-steps';
import { demoPatient } from '../../src-main/records/demo-data/fixed-patients';
import type { Page } from '@playwright/test';

async function findByNhs(page: Page, nhs: string): Promise<void> {
  const field = page.getByLabel('NHS number', { exact: true });
  await field.fill('');
  await field.pressSequentially(nhs);
  await page.getByRole('button', { name: 'Search by NHS number' }).click();
  await expect(page.getByRole('heading', { name: '1 patient found' })).toBeVisible();
}

test('restricted, superseded and mismatched patients are told apart before any record is shown', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'gp');

  // Restricted: no address or GP in the results or the banner, and the banner says why.
  await findByNhs(page, '9990000107');
  const result = page.getByTestId('search-results');
  await expect(result).toContainText('Restricted: address and GP not shown');
  await page.getByRole('button', { name: /^Select/ }).click();
  const banner = page.getByTestId('patient-banner');
  await expect(banner.getByTestId('restricted-banner')).toContainText('Restricted record');
  await expect(banner).not.toContainText('Address');
  await expectAccessible(page, 'restricted patient');
  await app.screenshot('patient-restricted');

  // Superseded: asked for the old number, the result is the current one, with a notice; the record opens on it.
  await page.getByRole('button', { name: 'Change patient' }).click();
  await findByNhs(page, '9990000131');
  await expect(page.getByTestId('superseded-notice')).toContainText('999 000 0131 has been replaced');
  await expect(page.getByTestId('superseded-notice')).toContainText('999 000 0115');
  await expectAccessible(page, 'superseded number');
  await page.getByRole('button', { name: /^Select/ }).click();
  await expect(page.getByTestId('patient-banner')).toContainText('999 000 0115');

  // Mismatch: name and date of birth differ between PDS and the shared care record, each named.
  await page.getByRole('button', { name: 'Change patient' }).click();
  await findByNhs(page, '9990000123');
  await page.getByRole('button', { name: /^Select/ }).click();
  const warning = page.getByTestId('mismatch-warning');
  await expect(warning).toContainText('Check who this is');
  await expect(warning).toContainText('Name: PDS says Catherine');
  await expect(warning).toContainText('the shared care record says Katherine');
  await expect(warning).toContainText('Date of birth');
  await expectAccessible(page, 'demographic mismatch');
  await app.screenshot('patient-mismatch');
});

test('a surname search that finds nobody offers similar spellings; a close match says so and is not preselected', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'gp');
  const p = demoPatient('core-only');
  const [year, month, day] = p.birthDate.split('-');
  await page.getByLabel('Family name (surname)').fill('Brakley');
  await page.getByLabel('Day').fill(String(Number(day)));
  await page.getByLabel('Month').fill(String(Number(month)));
  await page.getByLabel('Year').fill(year!);
  await page.getByRole('button', { name: 'Search by name and date of birth' }).click();
  await expect(page.getByRole('heading', { name: 'No patients found' })).toBeVisible();
  // Without a given name PDS cannot match similar spellings: the hint says what to do.
  await expect(page.getByTestId('fuzzy-hint')).toContainText('add the given name');
  await page.getByLabel('Given name (optional)').fill('Olivia');
  await page.getByRole('button', { name: 'Search by name and date of birth' }).click();
  await expect(page.getByRole('heading', { name: 'No patients found' })).toBeVisible();
  await page.getByTestId('fuzzy-search').click();
  await expect(page.getByTestId('match-band').first()).toContainText('Close match only');
  await expect(page.getByTestId('search-results')).toContainText('999 000 0018');
  await expect(page.getByTestId('patient-banner')).toHaveCount(0);
  await expectAccessible(page, 'close matches');
});
