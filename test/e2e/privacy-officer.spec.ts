/**
 * The privacy officer's journey in demo mode. A GP makes an emergency override on a demo patient and reads the
 * record; the events are delivered to the demo audit repository. The privacy officer's card then lands on her alert
 * queue (no patient in it), opens the alert (who, patient, the GP's own words, what was read, the attendance
 * check), takes it, adds a note and closes it as appropriate. In Reports a green report runs (table, weekly chart,
 * CSV) and an extract declared for marketing is refused in the seed's words. Axe runs on the queue, the alert and
 * the reports screens in the day and night themes. A second test shows a review someone else changed first: the
 * newer state, the message with focus, and the officer's draft note kept.
 */
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';
import {
  card,
  enterPin,
  expectAccessible,
  expectAccessibleDayAndNight,
  expectNoneInDom,
  insertCard,
  openPatientByNhs,
  patient,
  patientStrings,
  removeCard,
  screen,
  signIn,
} from './ui-steps';
import { formatNhsNumber } from '../../src-shared/domain/nhs-number';

const SITUATION = 'Collapsed in the waiting room, unresponsive; no relatives present.';
const NOTE = 'Spoke to Dr Okafor: patient collapsed at the practice, record needed for medication.';
const CLOSE_NOTE = 'Emergency access was appropriate: the patient could not be asked.';
const MARKETING_REFUSAL = 'Data will not be shared or used for marketing purposes';

/** Waits until main has delivered every audit event (the alerts live in the audit repository, not this laptop). */
async function waitForAuditDelivered(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const r = await page.evaluate(() => window.stethoscope.audit.status({}));
      return r.ok ? r.value.queueDepth : -1;
    })
    .toBe(0);
}

test('privacy officer: an emergency override reaches her queue; she reviews it; reports and a refused extract', async ({
  app,
}) => {
  const { page } = app;
  const crowther = patient('end-of-life');

  // The GP: emergency access (duty of care) to a demo patient, then the record is read.
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await expect(screen(page, 'permission')).toBeVisible();
  await page.getByLabel('The patient cannot be asked: emergency (duty of care)').check();
  await page.getByLabel('Medical emergency and the patient cannot consent').check();
  await page.getByLabel('Briefly describe the situation').fill(SITUATION);
  await page.getByLabel('Enter your PIN again to confirm').fill(card('gp').pin);
  await page.getByRole('button', { name: 'Override and view record' }).click();
  await expect(page.getByTestId('access-banner')).toHaveAttribute('data-basis', 'emergency');
  await expect(page.getByTestId('record-scr')).toContainText('Morphine sulfate');
  await waitForAuditDelivered(page);
  await removeCard(page);
  await expect(screen(page, 'locked')).toBeVisible();

  // The privacy officer's card: no patient search, she lands on her queue.
  await insertCard(page, 'privacy-officer');
  await expect(screen(page, 'pin')).toContainText(card('privacy-officer').displayName);
  await enterPin(page, card('privacy-officer').pin);
  const queueHeading = page.getByRole('heading', { level: 1, name: 'Alerts' });
  await expect(queueHeading).toBeVisible();
  await expect(queueHeading).toBeFocused();
  const nav = page.getByRole('navigation', { name: 'Workspace' });
  await expect(nav.getByRole('button', { name: 'Alerts' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('button', { name: 'Reports' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Patients' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Find a patient' })).toHaveCount(0);

  const rows = page.getByTestId('alert-table').locator('tbody tr');
  const alertRow = rows.filter({ hasText: 'Emergency access' }).first();
  await expect(alertRow).toBeVisible();
  await expect(alertRow).toContainText('Clinical Practitioner Access Role');
  await expect(alertRow).toContainText('New');
  await expect(alertRow).toContainText('Nobody yet');
  await expect(page.getByTestId('status-counts')).toContainText(/New \(\d+\)/);
  // The queue carries no patient and no clinician's words.
  await expectNoneInDom(page, [...patientStrings('end-of-life'), SITUATION]);
  await expectAccessibleDayAndNight(app, 'alert queue', 'officer-queue');
  await app.screenshot('officer-queue');

  // One alert: who, when, the patient, the reason in her own words, what was read, the attendance check.
  await alertRow.getByRole('button', { name: /^Open/ }).click();
  await expect(screen(page, 'alert')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Emergency access alert' })).toBeFocused();
  const who = page.getByTestId('alert-who');
  await expect(who).toContainText(card('gp').displayName);
  await expect(who).toContainText(card('gp').userId);
  await expect(who).toContainText('Clinical Practitioner Access Role');
  await expect(who).toContainText('C81007');
  await expect(page.getByTestId('alert-patient')).toContainText(formatNhsNumber(crowther.nhsNumber));
  await expect(page.getByTestId('alert-patient')).toContainText('Crowther');
  await expect(page.getByTestId('reason-text')).toHaveText(SITUATION);
  await expect(page.getByTestId('alert-reads')).toContainText('Record read');
  await expect(page.getByTestId('alert-reads')).toContainText('Summary Care Record');
  await expect(page.getByTestId('alert-attendance')).toContainText(
    /Attendance found|No attendance found|Attendance could not be checked/,
  );
  const attendance = await page
    .getByTestId('alert-attendance')
    .locator('[data-attendance]')
    .getAttribute('data-attendance');
  if (attendance === 'not-found')
    await expect(page.getByTestId('alert-attendance')).toContainText('a flag, not a verdict');
  await expect(page.getByTestId('review-state')).toContainText('New');
  await expectAccessibleDayAndNight(app, 'alert', 'officer-alert');
  await app.screenshot('officer-alert');

  // Take it, add a note, close it as appropriate.
  const actions = page.getByTestId('review-actions');
  await actions.getByRole('button', { name: 'Take this alert' }).click();
  await expect(page.getByTestId('review-saved')).toHaveText('You now own this review.');
  await expect(page.getByTestId('review-state')).toContainText(
    `You (${card('privacy-officer').displayName})`,
  );
  await expect(actions).toContainText('You own this review.');

  await actions.getByRole('button', { name: 'Add note' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter the note');
  await actions.getByLabel('Note', { exact: true }).fill(NOTE);
  await actions.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('review-saved')).toHaveText('Note added.');
  await expect(page.getByTestId('review-notes')).toContainText(NOTE);
  await expect(actions.getByLabel('Note', { exact: true })).toHaveValue('');

  await actions.getByLabel('Appropriate', { exact: true }).check();
  await actions.getByRole('button', { name: 'Close the alert' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Enter a note saying why');
  await actions.getByLabel('Why the access was or was not appropriate').fill(CLOSE_NOTE);
  await actions.getByRole('button', { name: 'Close the alert' }).click();
  await expect(page.getByTestId('review-saved')).toHaveText('Alert closed.');
  await expect(page.getByTestId('review-state')).toContainText('Closed: appropriate');
  await expect(page.getByTestId('review-notes')).toContainText(CLOSE_NOTE);
  await app.screenshot('officer-alert-closed');

  // Back to the queue: the row shows the new state, and the alert's red data has left the page.
  await page.getByRole('button', { name: 'Back to the queue' }).first().click();
  await expect(queueHeading).toBeVisible();
  await expect(rows.filter({ hasText: 'Closed: appropriate' }).first()).toBeVisible();
  await expectNoneInDom(page, [...patientStrings('end-of-life'), SITUATION, NOTE]);

  // Sampling for second-line review: a draw, then the same draw again from its seed.
  await page.getByRole('button', { name: 'Draw a sample' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Draw a sample/ })).toBeFocused();
  const fillDay = async (legend: string, d: string, m: string, y: string) => {
    const group = page.getByRole('group', { name: legend, exact: true });
    await group.getByLabel('Day').fill(d);
    await group.getByLabel('Month').fill(m);
    await group.getByLabel('Year').fill(y);
  };
  await fillDay('From', '1', '1', '2020');
  await fillDay('To', '31', '12', '2030');
  await page.getByLabel('A number of alerts').check();
  await page.getByLabel('Number of alerts', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Draw the sample' }).click();
  const drawn = page.getByTestId('sample-result');
  await expect(drawn.getByRole('heading', { name: /^5 alerts drawn from \d+$/ })).toBeFocused();
  const seedLine = drawn.getByTestId('sample-seed');
  await expect(seedLine).toContainText('enter it again to show the same draw');
  const seed = (await seedLine.locator('code').textContent()) ?? '';
  const ids = () =>
    drawn.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-alert-id')));
  const first = await ids();
  expect(first).toHaveLength(5);
  await expectAccessible(page, 'sample drawn');
  await app.screenshot('officer-sample');
  await page.getByLabel('Seed (optional)').fill(seed);
  await page.getByRole('button', { name: 'Draw the sample' }).click();
  await expect(seedLine.locator('code')).toHaveText(seed);
  await expect.poll(ids).toEqual(first);
  await drawn.locator('tbody tr').first().getByRole('button', { name: /^Open/ }).click();
  await expect(screen(page, 'alert')).toBeVisible();
  await page.getByRole('button', { name: 'Back to the sample' }).first().click();
  await expect(page.getByTestId('sample-result')).toBeVisible();
  await page.getByRole('button', { name: 'Back to the queue' }).click();
  await expect(queueHeading).toBeVisible();

  // Reports: a green report (table, chart, CSV).
  await nav.getByRole('button', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeFocused();
  await expect(nav.getByRole('button', { name: 'Reports' })).toHaveAttribute('aria-current', 'page');
  const green = page.locator('section[aria-labelledby="report-title"]');
  await green.getByRole('button', { name: 'Run the report' }).click();
  await expect(green.locator('.nhsuk-error-summary')).toContainText('Select the purpose of use');
  await green.getByLabel(/^Monitoring access to records made for direct care/).check();
  await green.getByRole('button', { name: 'Run the report' }).click();
  const result = page.getByTestId('report-result');
  await expect(result.getByTestId('report-table')).toBeVisible();
  await expect(result.getByTestId('report-total')).toContainText('Total');
  await expect(result.getByTestId('report-table')).toContainText('Emergency access');
  const chart = result.getByRole('img', { name: /Overrides per week, by type/ });
  await expect(chart).toBeVisible();
  await expect(result.getByTestId('weekly-table')).toBeVisible();
  // The demo's weeks hold a few emergency alerts each: suppressed, drawn as "*".
  await expect(chart.locator('[data-type="emergency"][data-count="*"]').first()).toBeAttached();
  await result.getByTestId('weekly-chart').screenshot({ path: join(screenshotDir, 'officer-chart.png') });
  await expectNoneInDom(page, patientStrings('end-of-life'));
  await expectAccessibleDayAndNight(app, 'reports with a green report', 'officer-report');
  await app.screenshot('officer-report');

  // The CSV is offered as a download made from the report already on screen (the browser host refuses to save
  // files, so only the download's start is seen here).
  const download = page.waitForEvent('download');
  await result.getByRole('button', { name: 'Download CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^stethoscope-report-\d{4}-\d{2}-\d{2}\.csv$/);

  // An amber extract for an accepted purpose is made and offered as a file.
  const amber = page.locator('section[aria-labelledby="extract-title"]');
  await amber.getByLabel(/^Investigating an information governance concern/).check();
  await amber.getByLabel('NDJSON').check();
  await amber.getByRole('button', { name: 'Make the extract' }).click();
  const made = page.getByTestId('extract-result');
  await expect(made.getByRole('heading', { name: 'Extract ready' })).toBeFocused();
  await expect(made).toContainText(/\d+ rows in NDJSON/);
  await expectNoneInDom(page, patientStrings('end-of-life'));
  const extractFile = page.waitForEvent('download');
  await made.getByRole('button', { name: /^Download the extract/ }).click();
  expect((await extractFile).suggestedFilename()).toMatch(/^stethoscope-extract-\d{4}-\d{2}-\d{2}\.ndjson$/);

  // An amber extract for marketing: refused, in the seed's words.
  await amber.getByLabel('Another purpose').check();
  await amber.getByLabel('Describe the purpose').fill('marketing');
  await amber.getByLabel('CSV').check();
  await amber.getByRole('button', { name: 'Make the extract' }).click();
  const refusal = amber.locator('.nhsuk-error-summary');
  await expect(refusal).toContainText('This purpose of use is refused');
  await expect(refusal).toContainText(MARKETING_REFUSAL);
  await expect(refusal).toBeFocused();
  await expect(page.getByTestId('extract-result')).toHaveCount(0);
  await expectAccessibleDayAndNight(app, 'reports with a refused extract', 'officer-extract-refused');
  await app.screenshot('officer-extract-refused');

  // Her card out: the lock screen, nothing of the review left in the page.
  await removeCard(page);
  await expect(screen(page, 'locked')).toBeVisible();
  await expectNoneInDom(page, [...patientStrings('end-of-life'), SITUATION, NOTE, CLOSE_NOTE]);
});

test('privacy officer: a review changed by someone else first is shown, and her draft note is kept', async ({
  app,
}) => {
  const { page } = app;
  await insertCard(page, 'privacy-officer');
  await enterPin(page, card('privacy-officer').pin);
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Alerts by status' })
    .getByRole('button', { name: /^New \(/ })
    .click();
  const row = page.getByTestId('alert-table').locator('tbody tr:not([data-own])').first();
  await expect(row).toContainText('New');
  const id = (await row.getAttribute('data-alert-id')) ?? '';
  await row.getByRole('button', { name: /^Open/ }).click();
  await expect(screen(page, 'alert')).toHaveAttribute('data-alert-id', id);

  // Another reviewer adds a note first (through the same API, on the version the screen is showing).
  const other = 'Looked at by the IG team first.';
  const changed = await page.evaluate(
    async ([alertId, text]) => {
      const shown = await window.stethoscope.review.alert({ id: alertId });
      if (!shown.ok) return shown;
      return window.stethoscope.review.act({
        id: alertId,
        version: shown.value.review.version,
        change: { action: 'note', text },
      });
    },
    [id, other] as const,
  );
  expect(changed).toMatchObject({ ok: true, value: { outcome: 'saved' } });

  const mine = 'My own note, typed on the older version.';
  const actions = page.getByTestId('review-actions');
  await actions.getByLabel('Note', { exact: true }).fill(mine);
  await actions.getByRole('button', { name: 'Add note' }).click();
  const conflict = page.getByTestId('review-conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict).toBeFocused();
  await expect(conflict).toContainText('Someone else changed this review first');
  await expect(page.getByTestId('review-notes')).toContainText(other);
  await expect(page.getByTestId('review-notes')).not.toContainText(mine);
  await expect(actions.getByLabel('Note', { exact: true })).toHaveValue(mine);
  await expectAccessible(page, 'alert after a conflict');
  await app.screenshot('officer-alert-conflict');

  // Sent again on the newer version, it is saved.
  await actions.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('review-saved')).toHaveText('Note added.');
  await expect(page.getByTestId('review-notes')).toContainText(mine);
});
