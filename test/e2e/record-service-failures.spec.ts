/**
 * A record service that fails, is slow or cuts a section short, on the record screen (hazards H-09, H-15): a failure
 * is shown as a failure with the service's words and "Try again", never as an empty record; a wait past 3 seconds
 * says the service is slow; a narrative cut short says so under its section. Main's answers are held, failed or
 * marked cut short by wrapping the in-process dispatcher (browser host only: the renderer and main are unchanged).
 * Each screen passes axe in both themes.
 */
import { test, expect, type AppHandle } from './fixtures';
import { expectAccessibleDayAndNight, openPatientByNhs, recordPermissionGiven, signIn } from './ui-steps';
import { truncationNotice } from '../../src-shared/domain/scr-view';
import type { RecordView } from '../../src-shared/domain/records';

const FAILURE = 'The Summary Care Record service did not answer. Nothing from it has been shown.';

/** Answers `record.scr` as the test says: passed through, held until released, failed, or with a section cut short. */
function interceptScr(app: AppHandle) {
  const ws = app.workstation!;
  const real = ws.dispatcher.dispatch.bind(ws.dispatcher);
  let mode: 'pass' | 'hold' | 'fail' | 'cut-short' = 'pass';
  const held: (() => void)[] = [];
  let cut: { key: string; lastText: string } | null = null;
  ws.dispatcher.dispatch = async (channel, payload) => {
    if (channel !== 'record.scr' || mode === 'pass') return real(channel, payload);
    if (mode === 'fail') return { ok: false, error: { code: 'unavailable', message: FAILURE } };
    if (mode === 'hold') {
      await new Promise<void>((resolve) => held.push(resolve));
      return real(channel, payload);
    }
    // Cut short: the real record, with the first section that has narrative marked as stopped at the block bound.
    const r = await real(channel, payload);
    if (!r.ok) return r;
    const record = structuredClone(r.value) as RecordView;
    const section = record.sections.find((s) => s.narrative && s.narrative.blocks.length > 0);
    if (!section?.narrative) throw new Error('no SCR section with narrative to cut short');
    section.narrative.truncated = 'blocks';
    const last = section.narrative.blocks.at(-1)!;
    cut = {
      key: section.key,
      lastText: last.type === 'heading' || last.type === 'paragraph' ? last.text : '',
    };
    return { ok: true, value: record };
  };
  return {
    set: (m: typeof mode) => (mode = m),
    release: () => held.splice(0).forEach((r) => r()),
    cut: () => cut,
  };
}

test('a failed SCR read shows the failure and Try again, never an empty record; a slow one says it is slow', async ({
  app,
}) => {
  test.skip(app.kind !== 'browser-host', 'fails and holds answers through the in-process dispatcher');
  const { page } = app;
  const scr = interceptScr(app);
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');

  scr.set('fail');
  await recordPermissionGiven(page);
  const failure = page.getByTestId('record-unavailable');
  await expect(failure).toContainText(FAILURE);
  await expect(failure.getByRole('button', { name: 'Try again' })).toBeVisible();
  const area = page.getByTestId('record-area');
  await expect(area.locator('[data-section]')).toHaveCount(0);
  await expect(page.getByTestId('record-scr')).toHaveCount(0);
  await expect(area).not.toContainText('None recorded');
  await expect(area).not.toContainText('None shown');
  await expectAccessibleDayAndNight(app, 'record, SCR service failed');

  // Try again while the service is slow: "Loading", then after 3 seconds the slow notice, still no record.
  scr.set('hold');
  await failure.getByRole('button', { name: 'Try again' }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('Loading the Summary Care Record…');
  await expect(panel).toContainText('The service is slow to answer; still waiting', { timeout: 10_000 });
  await expect(area.locator('[data-section]')).toHaveCount(0);
  await expect(area).not.toContainText('None recorded');
  await expectAccessibleDayAndNight(app, 'record, SCR service slow');

  // The answer arrives: the record, and neither notice.
  scr.set('pass');
  scr.release();
  await expect(page.getByTestId('record-scr')).toBeVisible();
  await expect(area.locator('[data-section]').first()).toBeVisible();
  await expect(panel).not.toContainText('slow to answer');
  await expect(page.getByTestId('record-unavailable')).toHaveCount(0);
});

test('an SCR section whose narrative was cut short says so under what was shown', async ({ app }) => {
  test.skip(app.kind !== 'browser-host', 'marks the answer through the in-process dispatcher');
  const { page } = app;
  const scr = interceptScr(app);
  scr.set('cut-short');
  await signIn(app, 'gp');
  await openPatientByNhs(page, 'end-of-life');
  await recordPermissionGiven(page);
  await expect(page.getByTestId('record-scr')).toBeVisible();

  const cut = scr.cut();
  expect(cut, 'a section was cut short').not.toBeNull();
  const narrative = page.locator(`[data-section="${cut!.key}"]`).getByTestId('narrative');
  const notice = truncationNotice('blocks');
  await expect(narrative).toContainText(notice);
  // Under what was shown: the notice is its own paragraph after the section's blocks (the last one included).
  const at = await narrative.evaluate(
    (el, { text, last }) => {
      const texts = Array.from(el.children).map((c) => c.textContent ?? '');
      return { notice: texts.indexOf(text), last: last ? texts.findIndex((t) => t.includes(last)) : -1 };
    },
    { text: notice, last: cut!.lastText },
  );
  expect(at.notice, 'the notice follows at least one block').toBeGreaterThan(0);
  expect(at.last).toBeLessThan(at.notice);
  // Other sections are not marked.
  await expect(page.getByText(notice, { exact: true })).toHaveCount(1);
  await expectAccessibleDayAndNight(app, 'record, a section cut short');
});
