/**
 * Legal override of consent. No demo card carries B0082, so this organisation's policy file (which the access policy
 * says it may change) lets B0020 holders use it too; the GP card then offers it. The override is styled as a warning,
 * needs a reason code, an account and the PIN again, and the record's banner names it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { card, expectAccessible, openPatientByNhs, screen, signIn } from './ui-steps';
import { DEFAULT_POLICY } from '../../src-main/policy/policy-file';

// Written by the worker that runs these tests (Playwright also loads spec files just to list them).
const dir = join(tmpdir(), `steth-h6-policy-${process.pid}`);
const policyFile = join(dir, 'policy.json');
test.beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    policyFile,
    JSON.stringify({
      ...DEFAULT_POLICY,
      activities: { ...DEFAULT_POLICY.activities, legalOverride: ['B0082', 'B0020'] },
    }),
  );
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
test.use({ config: { records: { policyFile } } });

test('legal override: reason code, account and PIN; the banner names the override and says it is reported', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await expect(screen(page, 'permission')).toBeVisible();
  await page.getByLabel('Legal override of consent').check();
  const override = page.locator('[data-override="legal"]');
  await expect(override).toContainText('A legal override is logged and reported');
  await expect(override).toContainText('privacy officer is');
  await override.getByLabel('6: Other').check();
  await expect(override.getByLabel('Explain the reason (required for “Other”)')).toBeVisible();
  await override.getByLabel('3: Court order').check();
  await page.getByRole('button', { name: 'Override and view record' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Give the details of the legal reason');
  await override.getByLabel(/Give the details/).fill('Court order 2026/114 served on the practice today.');
  await override.getByLabel('Enter your PIN again to confirm').fill(card('gp').pin);
  await expectAccessible(page, 'legal override form');
  await app.screenshot('permission-legal');
  await page.getByRole('button', { name: 'Override and view record' }).click();

  const banner = page.getByTestId('access-banner');
  await expect(banner).toHaveAttribute('data-basis', 'legal');
  await expect(banner).toContainText('Legal override of consent');
  await expect(banner).toContainText('Reason: Court order');
  // "Has been told" only once the alert reached the (demo) audit repository, never while it is queued.
  await expect(banner).toHaveAttribute('data-alert', 'told');
  await expect(banner).toContainText('privacy officer has been told');
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');
  await expectAccessible(page, 'record under legal override');
  await app.screenshot('record-legal');
});

test('legal override with a wrong PIN is refused and nothing is shown', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await page.getByLabel('Legal override of consent').check();
  const override = page.locator('[data-override="legal"]');
  await override.getByLabel('1: Public interest').check();
  await override.getByLabel(/Give the details/).fill('Serious crime investigation request.');
  await override.getByLabel('Enter your PIN again to confirm').fill('000000');
  await page.getByRole('button', { name: 'Override and view record' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toBeVisible();
  await expect(page.getByTestId('access-banner')).toHaveCount(0);
  await expect(page.getByTestId('record-area')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('Morphine');
});
