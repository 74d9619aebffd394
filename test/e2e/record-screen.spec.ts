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

async function openWithPermission(
  app: Parameters<typeof signIn>[0],
  key: Parameters<typeof openPatientByNhs>[1],
) {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, key);
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toBeVisible();
}

/** The element's box lies wholly inside the viewport as it is now (no scrolling). */
async function expectOnFirstScreen(page: Page, what: string, selector: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  const vp = page.viewportSize()!;
  expect(box, `${what} is drawn`).not.toBeNull();
  expect(box!.y, `${what} top`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what} bottom within ${vp.height} px`).toBeLessThanOrEqual(vp.height);
}

test('at 1024 × 600, after permission, the end-of-life warning and the allergies heading are on the first screen', async ({
  app,
}) => {
  const { page } = app;
  await page.setViewportSize({ width: 1024, height: 600 });
  await openWithPermission(app, 'end-of-life');
  const warning = page.getByTestId('warning-end-of-life');
  await expect(warning).toContainText('End of life care and DNACPR');
  await expect(warning).toContainText('DNACPR decision in place');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expectOnFirstScreen(page, 'the end-of-life warning', '[data-testid="warning-end-of-life"]');
  await expectOnFirstScreen(page, 'the allergies heading', '#section-allergies');
  await app.screenshot('record-1024x600');
  await bothThemes(page, 'record at 1024 × 600');
});

test('a high-criticality allergy is a warning first; medication is in tables; the record says where it comes from', async ({
  app,
}) => {
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWithPermission(app, 'sensitive-excluded');
  await expect(page.getByTestId('warning-allergy')).toContainText('Ibuprofen: Bronchospasm');
  await expectOnFirstScreen(page, 'the allergy warning', '[data-testid="warning-allergy"]');
  const scr = page.getByTestId('record-scr');
  await expect(page.getByTestId('record-origin')).toHaveText(
    /^Summary Care Record from Example Surgery, last updated \d{1,2} \w+ \d{4}, through the Summary Care Record service\.$/,
  );
  for (const key of ['medications-acute', 'medications-repeat', 'medications-discontinued'])
    await expect(scr.locator(`[data-section="${key}"]`)).toBeVisible();
  const repeat = scr.locator('[data-section="medications-repeat"] table');
  for (const col of ['Medication', 'Dosage', 'Quantity', 'Start date', 'Last issued'])
    await expect(repeat.locator('th', { hasText: col })).toHaveCount(1);
  await expect(repeat).toContainText('Salbutamol');

  // The NHS.UK tabs pattern; the GP record names its source practice and lists medication as a table.
  await expect(page.locator('.nhsuk-tabs__list [role="tab"]')).toHaveCount(3);
  await page.getByRole('tab', { name: 'GP record (MIG)' }).click();
  await expect(page.getByRole('tab', { name: 'GP record (MIG)' })).toHaveAttribute('aria-selected', 'true');
  const mig = page.getByTestId('record-mig');
  await expect(mig.getByTestId('record-origin')).toHaveText(
    'GP record from Example Surgery, through the shared care record service.',
  );
  const meds = mig.locator('[data-section="medication"] table');
  await expect(meds).toContainText('Beclometasone');
  for (const col of ['Medication', 'Dosage', 'Quantity', 'Start date', 'Last issued', 'Status'])
    await expect(meds.locator('th', { hasText: col })).toHaveCount(1);
  // Each row carries its quantity and last issue date, as the GP system records them.
  const beclometasone = meds.locator('tr', { hasText: 'Beclometasone' });
  await expect(beclometasone.locator('td').nth(2)).toHaveText(/^\d+ \S.*$/);
  await expect(beclometasone.locator('td').nth(4)).toHaveText(/^\d{1,2} \w+ \d{4}$/);
  await bothThemes(page, 'GP record with tables');

  // The banner stays on screen while the record scrolls under it.
  await mig.locator('[data-section="referrals"]').scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
  await expectOnFirstScreen(page, 'the patient banner', '[data-testid="patient-banner"]');
  await expect(page.getByTestId('patient-banner')).toContainText('999 000 0026');
  await expect(page.getByTestId('patient-banner')).toContainText('(38 years)');
});

test('the record uses the full width at 1280 and 1920, and the status bar is one line at 1280', async ({
  app,
}) => {
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWithPermission(app, 'end-of-life');
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    const used = await page.locator('main').evaluate((el) => el.getBoundingClientRect().width);
    // The whole window less the gutters (32 px each side), not a 960 px page column.
    expect(used, `main's width at ${width}`).toBeGreaterThanOrEqual(width - 64 - 20);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  const tops = await page
    .getByTestId('status-bar')
    .locator('.app-status-bar__list > li')
    .evaluateAll((els) =>
      els.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)),
    );
  expect(tops.length).toBeGreaterThan(3);
  expect(new Set(tops).size, `status bar items on one line: ${tops.join(', ')}`).toBe(1);
  await bothThemes(page, 'record at 1280');
});
