/**
 * Playwright end-to-end tests: the real UI, real main-process services, through one fixture (test/e2e/fixtures.ts)
 * that launches Electron when its binary is present and the browser host (Debian Chromium) otherwise.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two cores: one browser at a time keeps timings honest and the machine responsive.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  forbidOnly: !!process.env['CI'],
});
