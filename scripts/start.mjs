// Starts the app: real Electron when its binary is installed, otherwise the browser host in Debian's Chromium
// (headed when a display is available). Arguments are passed through (--config FILE, --data-dir DIR).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const pathFile = join(root, 'node_modules/electron/path.txt');
const electronBin = existsSync(pathFile) ? join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()) : null;

let child;
if (electronBin && existsSync(electronBin)) {
  child = spawn(electronBin, [join(root, 'out/main/index.js'), ...args], { stdio: 'inherit' });
} else {
  process.stderr.write('Electron binary not installed: starting the browser host (Chromium).\n');
  child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src-main/host/browser-host-cli.ts'), ...args], {
    stdio: 'inherit',
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
