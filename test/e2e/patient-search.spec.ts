/**
 * Finding the right patient (hazards H-01, H-02): only the answer to the search last asked is on screen (a new
 * search, a refused input and a failed search each clear the results at once); several matches are listed with
 * what tells them apart and none is preselected; a surname search that finds nobody says what to try next.
 * Every screen passes axe in both themes.
 */
import { test, expect } from './fixtures';
import { expectAccessible, patient, signIn } from './ui-steps';
import { formatNhsNumber } from '../../src-shared/domain/nhs-number';
import type { Page } from '@playwright/test';
import type { AppHandle } from './fixtures';

async function searchByNameAndBirth(page: Page, family: string, birthDate: string): Promise<void> {
  const [year, month, day] = birthDate.split('-');
  await page.getByLabel('Family name (surname)').fill(family);
  await page.getByLabel('Day').fill(String(Number(day)));
  await page.getByLabel('Month').fill(String(Number(month)));
  await page.getByLabel('Year').fill(year!);
  await page.getByRole('button', { name: 'Search by name and date of birth' }).click();
}

/**
 * Holds main's answers to patient searches until released, or answers them with a failure (browser host only:
 * the test wraps the real dispatcher, the renderer and main are unchanged).
 */
function interceptSearch(app: AppHandle) {
  const ws = app.workstation!;
  const real = ws.dispatcher.dispatch.bind(ws.dispatcher);
  let mode: 'pass' | 'hold' | 'fail' = 'pass';
  const held: (() => void)[] = [];
  ws.dispatcher.dispatch = async (channel, payload) => {
    if (channel !== 'patients.search' || mode === 'pass') return real(channel, payload);
    if (mode === 'fail')
      return {
        ok: false,
        error: { code: 'unavailable', message: 'The demographics service did not answer.' },
      };
    await new Promise<void>((resolve) => held.push(resolve));
    return real(channel, payload);
  };
  return {
    set: (m: typeof mode) => (mode = m),
    release: () => held.splice(0).forEach((r) => r()),
  };
}

test('stale results: a new search, a refused input and a failed search each clear the last results at once', async ({
  app,
}) => {
  test.skip(app.kind !== 'browser-host', 'holds answers through the in-process dispatcher');
  const { page } = app;
  await signIn(app, 'gp');
  const search = interceptSearch(app);
  const first = patient('end-of-life');
  const results = page.getByTestId('search-results');
  const showFirst = async () => {
    await searchByNameAndBirth(page, 'Crowther', first.birthDate);
    await expect(results).toContainText(formatNhsNumber(first.nhsNumber));
  };

  // A slow search: the first results go the moment it is asked, not when its answer comes.
  await showFirst();
  search.set('hold');
  const nhs = page.getByLabel('NHS number', { exact: true });
  await nhs.pressSequentially(patient('core-only').nhsNumber);
  await page.getByRole('button', { name: 'Search by NHS number' }).click();
  await expect(page.getByTestId('searching')).toBeVisible();
  await expect(results).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('CROWTHER');
  search.set('pass');
  search.release();
  await expect(results).toContainText('BRACKLEY, Olivia Jane');
  await expect(results).not.toContainText('CROWTHER');

  // A refused input (the check digit is wrong): no results stay under it.
  await showFirst();
  const good = first.nhsNumber;
  await nhs.fill('');
  await nhs.pressSequentially(`${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`);
  await page.getByRole('button', { name: 'Search by NHS number' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('not a valid NHS number');
  await expect(results).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('CROWTHER');

  // A refused name search (no surname) clears them too.
  await showFirst();
  await page.getByLabel('Family name (surname)').fill('');
  await page.getByRole('button', { name: 'Search by name and date of birth' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter the family name');
  await expect(results).toHaveCount(0);

  // A search that fails: the error, and none of the earlier results.
  await showFirst();
  search.set('fail');
  await page.getByRole('button', { name: 'Search by name and date of birth' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('did not answer');
  await expect(results).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('CROWTHER');
  await expectAccessible(page, 'search failed');
});

test('several matches are listed with what tells them apart, and none is preselected', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  const a = patient('namesake-practice');
  const b = patient('namesake-other');
  expect(a.birthDate).toBe(b.birthDate);
  await searchByNameAndBirth(page, 'Marsden', a.birthDate);
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('heading', { name: '2 patients found' })).toBeFocused();
  await expect(page.getByTestId('several-found')).toContainText('None is selected');
  const items = results.locator('.app-results__item');
  await expect(items).toHaveCount(2);
  const expected = [
    { who: a, gender: 'Male', postcode: 'AM1 5PL', gp: 'Example Surgery' },
    { who: b, gender: 'Female', postcode: 'DN4 6TW', gp: 'Moorside Medical Centre' },
  ];
  for (const e of expected) {
    const item = items.filter({ hasText: formatNhsNumber(e.who.nhsNumber) });
    await expect(item).toContainText('5 May 1991');
    await expect(item).toContainText(e.gender);
    await expect(item).toContainText(e.postcode);
    await expect(item).toContainText(e.gp);
  }
  // Nothing is chosen for the user: no patient is open and no result is marked.
  await expect(page.getByTestId('patient-banner')).toHaveCount(0);
  await expect(results.locator('[aria-selected="true"], [aria-current], :checked')).toHaveCount(0);
  await expectAccessible(page, 'several matches');
  await page.getByRole('button', { name: 'Night theme' }).click();
  await expectAccessible(page, 'several matches, night theme');
  await app.screenshot('search-several');
});

test('a surname search that finds nobody says to check the exact surname or use the NHS number', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'gp');
  await searchByNameAndBirth(page, 'Crowthers', patient('end-of-life').birthDate);
  await expect(page.getByRole('heading', { name: 'No patients found' })).toBeVisible();
  const hint = page.getByTestId('fuzzy-hint');
  await expect(hint).toContainText('Check the surname is spelt exactly as the patient spells it');
  await expect(hint).toContainText('search by NHS number');
  // With the given name too, the hint stays and similar spellings are offered.
  await page.getByLabel('Given name (optional)').fill('Edith');
  await page.getByRole('button', { name: 'Search by name and date of birth' }).click();
  await expect(hint).toContainText('search by NHS number');
  await expect(page.getByTestId('fuzzy-search')).toBeVisible();
  await expectAccessible(page, 'no patients found');
  await page.getByRole('button', { name: 'Night theme' }).click();
  await expectAccessible(page, 'no patients found, night theme');
});
