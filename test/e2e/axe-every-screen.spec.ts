/**
 * axe-core (WCAG 2.2 AA) on every screen, in the day theme and in the night theme, for the screens the journey
 * specs check in one theme only or not at all: sign-in (reader empty, no reader, card refused), PIN entry (and
 * with a wrong PIN), card blocked, role selection, patient search and one result, permission to view, the
 * refusal, the lock screen (card removed, card back in, idle), and the privacy officer's sampling (form and a
 * drawn sample), the card being read, and the screen shown when main cannot answer at start. The record, the emergency path, the officer's queue, alert and reports, and signing out with the
 * card in are checked in both themes by their own specs (record-screen, truthful-words, emergency-path,
 * record-service-failures, privacy-officer, focus-and-refusals). One app per test, walking from screen to screen.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import {
  card,
  enterPin,
  expectAccessibleDayAndNight,
  insertCard,
  openPatientByNhs,
  patient,
  removeCard,
  screen,
  signIn,
} from './ui-steps';

test('sign-in, PIN, card blocked, role selection, search, permission, refusal and lock screens', async ({
  app,
}) => {
  const { page } = app;
  await expect(screen(page, 'sign-in')).toHaveAttribute('data-reader-state', 'awaiting-card');
  await expectAccessibleDayAndNight(app, 'sign-in, reader empty');

  await insertCard(page, 'untrusted');
  await expect(page.getByRole('heading', { name: 'This card cannot be used' })).toBeVisible();
  await expectAccessibleDayAndNight(app, 'sign-in, card refused');
  await removeCard(page);

  await insertCard(page, 'receptionist');
  await expect(screen(page, 'pin')).toBeVisible();
  await expectAccessibleDayAndNight(app, 'PIN entry');
  await enterPin(page, '000000');
  await expect(page.locator('.nhsuk-error-summary')).toContainText('2 tries left');
  await expectAccessibleDayAndNight(app, 'PIN entry, wrong PIN');
  await enterPin(page, '000000');
  await expect(page.locator('.nhsuk-error-summary')).toContainText('1 try left');
  await enterPin(page, '000000');
  await expect(page.getByRole('heading', { level: 1, name: 'Your smartcard is blocked' })).toBeVisible();
  await expectAccessibleDayAndNight(app, 'card blocked');
  await removeCard(page);

  await insertCard(page, 'two-roles');
  await enterPin(page, card('two-roles').pin);
  await expect(screen(page, 'role-select')).toBeVisible();
  await expectAccessibleDayAndNight(app, 'role selection');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Select the role you are working in');
  await expectAccessibleDayAndNight(app, 'role selection, nothing chosen');
  await page.getByLabel(/Example Surgery/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  await expectAccessibleDayAndNight(app, 'patient search');

  await page.getByLabel('NHS number', { exact: true }).fill(patient('core-only').nhsNumber);
  await page.getByRole('button', { name: 'Search by NHS number' }).click();
  await expect(page.getByRole('heading', { name: '1 patient found' })).toBeVisible();
  await expectAccessibleDayAndNight(app, 'patient search, one result');
  await page.getByRole('button', { name: /^Select/ }).click();
  await expect(screen(page, 'permission')).toBeVisible();
  await expectAccessibleDayAndNight(app, 'permission to view');
  await page.getByLabel('No, the patient refused').check();
  await page.getByRole('button', { name: 'Record refusal' }).click();
  await expect(screen(page, 'refused')).toBeVisible();
  await expectAccessibleDayAndNight(app, 'permission refused');

  await removeCard(page);
  await expect(screen(page, 'locked')).toHaveAttribute('data-lock-reason', 'card-removed');
  await expectAccessibleDayAndNight(app, 'lock screen, card removed');
  await insertCard(page, 'two-roles');
  await expect(page.getByLabel('Enter your PIN')).toBeVisible();
  await expectAccessibleDayAndNight(app, 'lock screen, card back in');
  // Back where she was: the encounter is kept for her session, its refusal with it.
  await enterPin(page, card('two-roles').pin, 'Unlock');
  await expect(screen(page, 'refused')).toBeVisible();
});

test.describe('idle lock', () => {
  test.use({ config: { card: { idleLockMinutes: 0.1 } } });
  test('lock screen after the idle time', async ({ app }) => {
    const { page } = app;
    await signIn(app, 'gp');
    await openPatientByNhs(page, 'end-of-life');
    await app.waitForSession((s) => s.state === 'locked', 30_000);
    await expect(screen(page, 'locked')).toHaveAttribute('data-lock-reason', 'idle');
    await expectAccessibleDayAndNight(app, 'lock screen, idle');
  });
});

test.describe('no reader', () => {
  // As no-reader.spec.ts: the PC/SC transport pointed at a pcscd socket that does not exist.
  const socket = join(tmpdir(), `steth-axe-nopcscd-${process.pid}`, 'pcscd.comm');
  const saved = process.env['PCSCLITE_CSOCK_NAME'];
  test.beforeAll(() => {
    process.env['PCSCLITE_CSOCK_NAME'] = socket;
  });
  test.afterAll(() => {
    if (saved === undefined) delete process.env['PCSCLITE_CSOCK_NAME'];
    else process.env['PCSCLITE_CSOCK_NAME'] = saved;
  });
  test.use({ config: { card: { transport: 'pcsc' } } });
  test('sign-in with no reader', async ({ app }) => {
    await expect(screen(app.page, 'sign-in')).toHaveAttribute('data-reader-state', 'no-reader');
    await expectAccessibleDayAndNight(app, 'sign-in, no reader');
  });
});

test('the privacy officer’s sampling: the form and a drawn sample', async ({ app }) => {
  const { page } = app;
  await insertCard(page, 'privacy-officer');
  await enterPin(page, card('privacy-officer').pin);
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  await page.getByRole('button', { name: 'Draw a sample' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Draw a sample/ })).toBeFocused();
  await expectAccessibleDayAndNight(app, 'sampling form');
  for (const [legend, d, m, y] of [
    ['From', '1', '1', '2020'],
    ['To', '31', '12', '2030'],
  ] as const) {
    const group = page.getByRole('group', { name: legend, exact: true });
    await group.getByLabel('Day').fill(d);
    await group.getByLabel('Month').fill(m);
    await group.getByLabel('Year').fill(y);
  }
  await page.getByLabel('A number of alerts').check();
  await page.getByLabel('Number of alerts', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Draw the sample' }).click();
  await expect(
    page.getByTestId('sample-result').getByRole('heading', { name: /alerts? drawn from/ }),
  ).toBeVisible();
  await expectAccessibleDayAndNight(app, 'sample drawn');
});

test('the card being read, and the screen shown when main cannot answer at start', async ({ app }) => {
  test.skip(
    app.kind !== 'browser-host',
    'sends the view and fails the answer through the in-process workstation',
  );
  const { page } = app;
  const ws = app.workstation!;
  // The reading state lasts a few milliseconds with the demo card: main's own event for it, sent as main sends it.
  ws.events.emit('sessionChanged', { state: 'reading-card', reader: 'Demo reader' });
  await expect(screen(page, 'sign-in')).toHaveAttribute('data-reader-state', 'reading-card');
  await expect(page.getByText('Reading your card…')).toBeVisible();
  await expectAccessibleDayAndNight(app, 'sign-in, reading the card');

  // Main answers the first question with an error: the app says it cannot start, in words.
  const real = ws.dispatcher.dispatch.bind(ws.dispatcher);
  ws.dispatcher.dispatch = async (channel, payload) =>
    channel === 'session.get'
      ? { ok: false, error: { code: 'unavailable', message: 'The smartcard service could not be reached.' } }
      : real(channel, payload);
  try {
    await page.reload();
    await expect(screen(page, 'error')).toContainText('Stethoscope cannot start');
    await expectAccessibleDayAndNight(app, 'cannot start');
  } finally {
    ws.dispatcher.dispatch = real;
  }
});
