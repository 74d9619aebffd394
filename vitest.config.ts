/**
 * Vitest tiers: `unit` (test/unit, mirrors the source tree, no outside parts) and `integration` (test/integration,
 * real pcscd + vpcd, SQLite files, rsyslog over TLS, OpenSC). End-to-end tests run under Playwright (test/e2e).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration tests start daemons on fixed private ports; run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
