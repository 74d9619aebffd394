/**
 * Walking skeleton: the app opens and shows the sign-in screen, rendered by React; its screenshot is kept.
 */
import { test, expect } from './fixtures';

test('the app opens on the sign-in screen', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { level: 1, name: 'Insert your smartcard' })).toBeVisible();
  // Rendered by React through the bridge: the screen reflects a session view fetched from main.
  await expect(page.locator('[data-screen="sign-in"]')).toBeVisible();
  const info = await page.evaluate(async () => window.stethoscope.app.info({}));
  expect(info.ok).toBe(true);
  if (info.ok) expect(info.value.host).toBe(app.kind);
  await app.screenshot('sign-in');
});

test('the page cannot reach the network or open windows', async ({ app }) => {
  const { page } = app;
  await expect(page.locator('[data-screen="sign-in"]')).toBeVisible();
  const fetched = await page.evaluate(async () => {
    try {
      await fetch('https://example.org/');
      return 'fetched';
    } catch {
      return 'blocked';
    }
  });
  expect(fetched).toBe('blocked');
  const opened = await page.evaluate(() => window.open('https://example.org/') === null);
  expect(opened).toBe(true);
});

test('garbage from the renderer gets a typed error, not a crash', async ({ app }) => {
  const { page } = app;
  await expect(page.locator('[data-screen="sign-in"]')).toBeVisible();
  const result = await page.evaluate(async () =>
    // Deliberately outside the types: what a compromised renderer might send.
    (window.stethoscope.session.submitPin as unknown as (x: unknown) => Promise<unknown>)({
      pin: { $gt: '' },
      extra: 1,
    }),
  );
  expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
});
