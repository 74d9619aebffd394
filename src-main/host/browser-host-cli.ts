/**
 * `npm run host`: the browser host as a program. Builds the workstation from `--config FILE` (or demo mode in
 * `--data-dir DIR`), opens the UI in Chromium (headed when $DISPLAY is set, else headless), and runs until
 * interrupted. `--screenshot FILE` saves the first screen; `--exit-after-screenshot` then quits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveStartupConfig } from '../config/startup';
import { buildWorkstation } from '../services/workstation';
import { startBrowserHost } from './browser-host';

async function main(argv: string[]): Promise<number> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const config = resolveStartupConfig(argv);
  const headless = argv.includes('--headless') || !process.env['DISPLAY'];
  const shotIdx = argv.indexOf('--screenshot');
  const shot = shotIdx >= 0 ? argv[shotIdx + 1] : undefined;
  const workstation = await buildWorkstation(config, { host: 'browser-host' });
  const profile = mkdtempSync(join(tmpdir(), 'steth-host-profile-'));
  const host = await startBrowserHost({
    workstation,
    rendererRoot: join(root, 'out/renderer'),
    userDataDir: profile,
    headless,
  });
  const stop = async () => {
    await host.close().catch(() => undefined);
    await workstation.close();
    rmSync(profile, { recursive: true, force: true });
  };
  if (shot) {
    await host.page.locator('main').first().waitFor();
    await host.page.screenshot({ path: shot, fullPage: true });
    process.stderr.write(`screenshot saved to ${shot}\n`);
    if (argv.includes('--exit-after-screenshot')) {
      await stop();
      return 0;
    }
  }
  process.stderr.write(
    `Stethoscope is running in ${config.mode} mode (browser host, ${headless ? 'headless' : 'headed'}); data in ${config.dataDir}. Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    host.page.once('close', () => resolve());
  });
  await stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `Stethoscope could not start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
