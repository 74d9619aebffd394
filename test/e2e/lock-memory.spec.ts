/**
 * Pulling the card drops the patient from renderer memory, not just from the screen: a heap snapshot taken while the
 * record is shown finds its texts (so the probe can see them), one taken after the lock finds none.
 */
import { test, expect } from './fixtures';
import {
  claimRelationship,
  heapStringsMatching,
  openPatientByNhs,
  recordPermissionGiven,
  removeCard,
  screen,
  signIn,
} from './ui-steps';

const KERRIDGE = /Kerridge|KERRIDGE|Ramipril|Gabapentin|Ischaemic heart disease|Foundry Street/;

test('after the card is pulled, no patient data is left in the renderer heap', async ({ app }) => {
  const { page } = app;
  await signIn(app, 'paramedic');
  await openPatientByNhs(page, 'ooh-treated');
  await claimRelationship(page, 'Attending a 999 call for chest pain.');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toContainText('Ramipril');
  expect((await heapStringsMatching(page, KERRIDGE)).length).toBeGreaterThan(0);

  await removeCard(page);
  await expect(screen(page, 'locked')).toBeVisible();
  expect(await heapStringsMatching(page, KERRIDGE)).toEqual([]);
});
