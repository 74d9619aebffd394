/**
 * A GP's journey: search (NHS number formatted and checked as typed; name and date of birth), results without
 * clinical data, the permission-to-view question before anything is shown, the SCR core first; refusal; an
 * opted-out patient; sensitive items withheld until the patient consents, recorded through the preferences form.
 */
import { test, expect } from './fixtures';
import {
  expectAccessible,
  expectNoneInDom,
  openPatientByNhs,
  patient,
  recordPermissionGiven,
  screen,
  signIn,
} from './ui-steps';
import { formatNhsNumber } from '../../src-shared/domain/nhs-number';

test('GP: search both ways, permission to view, then the SCR with the core first', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await expect(page.getByTestId('status-org')).toContainText('Example Surgery');
  await expectAccessible(page, 'patient search');
  await app.screenshot('search');

  // As-you-type: grouped 3-3-4, and a wrong check digit is called out at the tenth digit.
  const good = patient('end-of-life').nhsNumber;
  const bad = `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`;
  const nhsField = page.getByLabel('NHS number', { exact: true });
  await nhsField.pressSequentially(bad.slice(0, 4));
  await expect(nhsField).toHaveValue(`${bad.slice(0, 3)} ${bad[3]}`);
  await nhsField.pressSequentially(bad.slice(4));
  await expect(nhsField).toHaveValue(formatNhsNumber(bad));
  await expect(page.locator('#nhs-number-error')).toContainText('not a valid NHS number');
  await expect(nhsField).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'patient search, invalid NHS number');
  await app.screenshot('search-invalid-nhs-number');
  await nhsField.fill('');

  // By name and date of birth: the result identifies the person and carries no clinical data.
  await page.getByLabel('Family name (surname)').fill('Crowther');
  await page.getByLabel('Day').fill('11');
  await page.getByLabel('Month').fill('2');
  await page.getByLabel('Year').fill('1931');
  await page.getByRole('button', { name: 'Search by name and date of birth' }).click();
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('heading', { name: '1 patient found' })).toBeVisible();
  await expect(results).toContainText('CROWTHER, Edith May (Mrs)');
  await expect(results).toContainText(formatNhsNumber(good));
  await expect(results).toContainText('11 February 1931');
  await expectNoneInDom(page, ['Morphine', 'Heart failure', 'Furosemide']);
  await expectAccessible(page, 'search results');
  await app.screenshot('search-results');

  await results.getByRole('button', { name: /^Select/ }).click();
  await expect(screen(page, 'permission')).toBeVisible();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Has the patient given permission to view their records?' }),
  ).toBeFocused();
  // No route to record data before this question: main refuses, and nothing is in the page.
  const early = await page.evaluate((n) => window.stethoscope.record.scr({ nhsNumber: n }), good);
  expect(early).toMatchObject({ ok: false, error: { code: 'ptv-required' } });
  await expectNoneInDom(page, ['Morphine', 'Heart failure']);
  await page.getByRole('button', { name: 'Record permission and view record' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Select whether the patient gave permission',
  );
  await expectAccessible(page, 'permission to view');
  await app.screenshot('permission-to-view');

  await recordPermissionGiven(page);
  await expect(page.getByTestId('access-banner')).toHaveAttribute('data-basis', 'permission');
  await expect(page.getByTestId('access-banner')).toContainText('The patient gave permission to view');
  await expect(page.getByTestId('access-banner')).toContainText('Access ends at');
  const scr = page.getByTestId('record-scr');
  await expect(scr).toContainText('Morphine sulfate 10mg/5ml oral solution');
  await expect(scr).toContainText('Elastoplast adhesive dressing');
  // Core first, in the SCR's order: allergies, then acute, repeat and discontinued medication; then Additional
  // Information (she chose it).
  const order = (await scr
    .locator('[data-section]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-section')))) as string[];
  expect(order[0]).toBe('allergies');
  const firstAi = order.findIndex((k) => k !== 'allergies' && !k.startsWith('medications-'));
  expect(firstAi).toBeGreaterThan(1);
  expect(order.slice(1, firstAi).every((k) => k.startsWith('medications-'))).toBe(true);
  await expect(scr.getByRole('heading', { name: 'Additional Information' })).toBeVisible();
  await expect(scr).toContainText('Preferred place of care and death: home');
  await expectAccessible(page, 'SCR');
  await app.screenshot('record-scr');
});

test('GP: a refusal shows nothing and is recorded', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await page.getByLabel('No, the patient refused').check();
  await page.getByRole('button', { name: 'Record refusal' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'The patient refused permission to view' }),
  ).toBeVisible();
  await expectNoneInDom(page, ['Morphine', 'Heart failure', 'Elastoplast']);
  await expectAccessible(page, 'refused');
  await app.screenshot('refused');
  const after = await page.evaluate(
    (n) => window.stethoscope.record.scr({ nhsNumber: n }),
    patient('end-of-life').nhsNumber,
  );
  expect(after.ok).toBe(false);
  await page.getByRole('button', { name: 'Search for another patient' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
});

test('GP: an opted-out patient has no SCR to show, even with permission', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'opted-out');
  await expect(page.getByTestId('encounter-notes')).toContainText('opted out');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-area')).toContainText(
    /No Summary Care Record can be shown|opted out/,
  );
  await expectNoneInDom(page, ['Bisoprolol', 'Apixaban', 'Atrial fibrillation', 'Codeine']);
  await expectAccessible(page, 'opted-out patient');
  await app.screenshot('record-opted-out');
});

test('GP: sensitive items are withheld until the patient consents; private items never shown', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'sensitive-excluded');
  await recordPermissionGiven(page);
  const scr = page.getByTestId('record-scr');
  await expect(scr).toContainText('Salbutamol');
  await expect(scr).toContainText('Asthma');
  await expect(page.getByTestId('withheld')).toContainText('Some information is not shown.');
  await expect(page.getByTestId('withheld')).toContainText('ask the patient or their GP practice');
  await expectNoneInDom(page, ['Chlamydia', 'In vitro fertilisation', 'Bereavement counselling']);
  await app.screenshot('record-withheld');

  // The patient now gives specific consent to share sensitive information; the GP records it (B0020).
  await page.getByRole('tab', { name: 'Sharing preferences' }).click();
  const prefs = page.getByTestId('preferences');
  await expect(prefs).toContainText('Sensitive information not shared');
  await prefs.getByLabel('Sensitive information shared (patient gave specific consent)').check();
  await prefs.getByRole('button', { name: 'Save sharing preferences' }).click();
  await expect(prefs.locator('.nhsuk-error-summary')).toContainText("Record the patient's wishes");
  const statement = 'Please share my sexual health and fertility history with clinicians treating me.';
  await prefs.getByLabel("The patient's wishes, as they gave them").fill(statement);
  await prefs.getByRole('button', { name: 'Save sharing preferences' }).click();
  await expect(prefs.getByText('Sharing preferences saved.')).toBeVisible();
  await expect(prefs.locator('dl')).toContainText('Sensitive information shared');
  await expect(page.getByTestId('preferences-history')).toContainText(statement);
  await expect(page.getByTestId('preferences-history')).toContainText('Dr Amara Okafor');
  await expectAccessible(page, 'sharing preferences');
  await app.screenshot('preferences');

  await page.getByRole('tab', { name: 'Summary Care Record' }).click();
  await expect(scr).toContainText('Chlamydia trachomatis infection');
  await expect(scr).toContainText('In vitro fertilisation treatment cycle');
  // Marked private by the GP: never shared, so the withheld marker stays.
  await expectNoneInDom(page, ['Bereavement counselling']);
  await expect(page.getByTestId('withheld')).toBeVisible();
  await app.screenshot('record-sensitive-shown');
});
