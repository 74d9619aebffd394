/**
 * The emergency path: a paramedic with no recorded relationship and a patient who cannot be asked fills one form
 * (why, one account in their own words, the PIN again) that records both the self-claimed relationship and the
 * emergency access, audited in the one encounter. Re-opening the same patient inside the encounter keeps the
 * access; ending emergency access asks to confirm first.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { card, expectAccessibleDayAndNight, openPatientByNhs, screen, signIn } from './ui-steps';
import { ENCOUNTER_ID_SYSTEM } from '../../src-main/audit/events/parts';

const ACCOUNT = 'Found collapsed at home on a 999 call; unconscious, no relatives present.';

interface StoredEvent {
  type?: { code?: string };
  subtype?: { code?: string }[];
  entity?: { what?: { identifier?: { system?: string; value?: string } } }[];
}

/** The audit events recorded on this workstation whose text holds `needle`, read from the local log. */
function eventsMentioning(dataDir: string, needle: string): StoredEvent[] {
  const db = new Database(join(dataDir, 'audit.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT json FROM audit_log ORDER BY seq').all() as { json: Buffer | string }[];
    return rows
      .map((r) => (typeof r.json === 'string' ? r.json : r.json.toString('utf8')))
      .filter((j) => j.includes(needle))
      .map((j) => JSON.parse(j) as StoredEvent);
  } finally {
    db.close();
  }
}

const encounterOf = (e: StoredEvent) =>
  e.entity?.find((x) => x.what?.identifier?.system === ENCOUNTER_ID_SYSTEM)?.what?.identifier?.value;

test('emergency path: one form records the relationship and the emergency access; re-opening keeps it; ending asks to confirm', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'paramedic');
  await openPatientByNhs(page, 'unregistered');
  await expect(screen(page, 'relationship')).toBeVisible();
  const form = page.locator('[data-override="emergency-claim"]');
  await expect(form).toContainText('Or, if the patient cannot be asked and you need their record now');
  await expect(form).toContainText('privacy officer is');

  // Nothing filled in: each missing part is named.
  await form.getByRole('button', { name: 'Record emergency access and view record' }).click();
  const errors = form.locator('.nhsuk-error-summary');
  await expect(errors).toContainText('Select why the patient cannot be asked');
  await expect(errors).toContainText('Describe the situation and your part in it');
  await expect(errors).toContainText('Enter your PIN');
  await expectAccessibleDayAndNight(app, 'emergency path form', 'emergency-path-form');

  await form.getByLabel('Medical emergency and the patient cannot consent').check();
  await form.getByLabel("Describe the situation and your part in the patient's care").fill(ACCOUNT);
  await form.getByLabel('Enter your PIN again to confirm').fill(card('paramedic').pin);
  await form.getByRole('button', { name: 'Record emergency access and view record' }).click();

  const banner = page.getByTestId('access-banner');
  await expect(banner).toHaveAttribute('data-basis', 'emergency');
  await expect(page.getByTestId('record-scr')).toContainText('Cetirizine 10mg tablets');
  await expect(page.getByTestId('encounter-notes')).toContainText(
    'You self-claimed a legitimate relationship',
  );
  await expect(banner).toHaveAttribute('data-alert', 'told');
  await expectAccessibleDayAndNight(app, 'record after the emergency path', 'emergency-path-record');

  // Both audit entries, each a privacy officer alert (DCM 110113), with the one account and the same encounter id.
  const events = eventsMentioning(app.dataDir, ACCOUNT);
  expect(events).toHaveLength(2);
  expect(events.map((e) => e.type?.code)).toEqual(['110113', '110113']);
  expect(events[1]?.subtype?.map((s) => s.code)).toContain('110127');
  const ids = events.map(encounterOf);
  expect(ids[0]).toBeTruthy();
  expect(ids[1]).toBe(ids[0]);

  // Back to search and the same patient again, inside the encounter: the access holds, nothing is asked again.
  await page.getByRole('button', { name: 'Change patient' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  await openPatientByNhs(page, 'unregistered');
  await expect(page.getByTestId('access-banner')).toHaveAttribute('data-basis', 'emergency');
  await expect(page.getByTestId('record-scr')).toContainText('Cetirizine 10mg tablets');
  expect(eventsMentioning(app.dataDir, ACCOUNT)).toHaveLength(2);

  // Ending emergency access asks first; "No" keeps it.
  await page.getByRole('button', { name: 'End emergency access' }).click();
  const confirm = page.getByTestId('confirm-end-access');
  await expect(confirm.getByRole('heading', { name: 'End emergency access now?' })).toBeFocused();
  await expectAccessibleDayAndNight(app, 'confirm the end of emergency access', 'emergency-path-confirm-end');
  await confirm.getByRole('button', { name: 'No, keep access' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('record-scr')).toContainText('Cetirizine 10mg tablets');

  await page.getByRole('button', { name: 'End emergency access' }).click();
  await page.getByRole('button', { name: 'Yes, end emergency access' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Cetirizine');
  // Ended: the same patient now needs a relationship and permission (or an override) again.
  await openPatientByNhs(page, 'unregistered');
  await expect(screen(page, 'relationship')).toBeVisible();
  await expect(page.getByTestId('access-banner')).toHaveCount(0);
});

test('emergency path with a wrong PIN records neither the relationship nor the access', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'paramedic');
  await openPatientByNhs(page, 'unregistered');
  const form = page.locator('[data-override="emergency-claim"]');
  await form.getByLabel('Medical emergency and the patient cannot consent').check();
  await form.getByLabel("Describe the situation and your part in the patient's care").fill(ACCOUNT);
  await form.getByLabel('Enter your PIN again to confirm').fill('000000');
  await form.getByRole('button', { name: 'Record emergency access and view record' }).click();
  await expect(form.locator('.nhsuk-error-summary')).toContainText('The PIN was not correct');
  await expect(screen(page, 'relationship')).toBeVisible();
  await expect(page.getByTestId('access-banner')).toHaveCount(0);
  expect(eventsMentioning(app.dataDir, ACCOUNT)).toHaveLength(0);
});
