/**
 * The record screen a clinician trusts at 3 a.m.: truthful words where something was withheld (hazard H-03: "None
 * shown", never "None recorded", and a marker that says why and what to do); allergies and end-of-life warnings
 * within the first screen at 1024 × 600; the full width of the window at 1280 and 1920 with the status bar on one
 * line; medication as tables; where the record comes from. axe on each screen, in both themes.
 */
import { test, expect } from './fixtures';
import {
  claimRelationship,
  expectAccessible,
  openPatientByNhs,
  recordPermissionGiven,
  screen,
  signIn,
} from './ui-steps';
import type { Page } from '@playwright/test';

async function bothThemes(page: Page, what: string): Promise<void> {
  await expectAccessible(page, what);
  await page.getByRole('button', { name: 'Night theme' }).click();
  await expectAccessible(page, `${what}, night theme`);
  await page.getByRole('button', { name: 'Night theme' }).click();
}

test('withheld: every empty part says "None shown", never "None recorded", and the marker says why and what to do', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'ooh-doctor');
  await openPatientByNhs(page, 'sensitive-excluded');
  if (await screen(page, 'relationship').isVisible())
    await claimRelationship(page, 'Seen tonight at the out-of-hours centre.');
  await recordPermissionGiven(page);
  const scr = page.getByTestId('record-scr');
  await expect(scr).toContainText('Salbutamol');
  const marker = page.getByTestId('withheld');
  await expect(marker).toContainText('Some information is not shown');
  await expect(marker).toContainText(
    'The patient chose not to share some of their record, or their GP practice decided not to share it.',
  );
  await expect(marker).toContainText('ask the patient or their GP practice');
  // The procedures section lost the IVF cycle and lists nothing: it says that may not mean none recorded.
  const procedures = scr.locator('[data-section="procedures"]');
  await expect(procedures.getByTestId('withheld-note')).toHaveText(
    'None shown here may not mean none recorded: some information is not shown.',
  );
  await expect(page.getByTestId('record-area')).not.toContainText('None recorded');
  await bothThemes(page, 'SCR with information withheld');
  await app.screenshot('record-withheld-none-shown');

  // The GP record: its empty sections say "None shown" in a withheld view.
  await page.getByRole('tab', { name: 'GP record (MIG)' }).click();
  const mig = page.getByTestId('record-mig');
  await expect(mig).toContainText('Asthma');
  await expect(mig.getByTestId('withheld')).toBeVisible();
  await expect(mig.locator('[data-section="investigations"]')).toContainText('None shown.');
  await expect(page.getByTestId('record-area')).not.toContainText('None recorded');
  await bothThemes(page, 'MIG with information withheld');
});

test('nothing withheld: an empty part says "None recorded" and there is no withheld marker', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'ooh-doctor');
  await openPatientByNhs(page, 'end-of-life');
  if (await screen(page, 'relationship').isVisible())
    await claimRelationship(page, 'Seen tonight at home by the out-of-hours doctor.');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Morphine');
  await expect(page.getByTestId('withheld')).toHaveCount(0);
  await page.getByRole('tab', { name: 'GP record (MIG)' }).click();
  await expect(page.getByTestId('record-mig').locator('[data-section="investigations"]')).toContainText(
    'None recorded.',
  );
  await expect(page.getByTestId('record-area')).not.toContainText('None shown');
});
