/**
 * An out-of-hours doctor: a patient the service is treating, with permission; the SCR with Additional Information
 * and the MIG record (out-of-hours is an approved MIG consumer). A MIG dissent is respected at the point of care.
 */
import { test, expect } from './fixtures';
import {
  claimRelationship,
  expectAccessible,
  expectNoneInDom,
  openPatientByNhs,
  recordPermissionGiven,
  signIn,
} from './ui-steps';

test('out-of-hours doctor: SCR with Additional Information, then the MIG record, by keyboard', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'ooh-doctor');
  await expect(page.getByTestId('status-org')).toContainText('Example Out of Hours Service');
  await openPatientByNhs(page, 'ooh-treated');
  await recordPermissionGiven(page);
  const scr = page.getByTestId('record-scr');
  await expect(scr).toContainText('Ramipril 5mg capsules');
  await expect(scr).toContainText('Amoxicillin');
  await expect(scr).toContainText('Ischaemic heart disease');
  await expect(page.getByRole('tab', { name: 'GP record (MIG)' })).toBeVisible();

  // The record views are tabs: arrow keys move between them.
  await page.getByRole('tab', { name: 'Summary Care Record' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'GP record (MIG)' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'GP record (MIG)' })).toHaveAttribute('aria-selected', 'true');
  const mig = page.getByTestId('record-mig');
  await expect(mig).toContainText('Electrocardiogram');
  await expect(mig).toContainText('Referral to community physiotherapy');
  await expectAccessible(page, 'MIG record');
  await app.screenshot('record-mig');
});

test('out-of-hours doctor: a MIG dissent keeps the GP record closed; the SCR is still shown', async ({
  app,
}) => {
  const { page } = app;
  await signIn(app, 'ooh-doctor');
  await openPatientByNhs(page, 'mig-dissent');
  // Not treated by this service before: the doctor self-claims the relationship (logged, privacy officer told).
  await claimRelationship(page, 'Out-of-hours home visit tonight for high blood sugar.');
  await expect(page.getByTestId('encounter-notes')).toContainText('self-claimed');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Metformin 500mg tablets');
  await expect(page.getByTestId('encounter-notes')).toContainText('dissented');
  await expect(page.getByRole('tab', { name: 'GP record (MIG)' })).toHaveCount(0);
  await expectNoneInDom(page, ['HbA1c', 'Referral to diabetes clinic']);
});
