// Runs @doyensec/electronegativity over the Electron shell and preload, offline (-e pins the Electron version so it
// does not fetch release lists), and fails on any HIGH severity finding. Medium/low findings are printed for the
// README's security section.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const tmp = mkdtempSync(join(tmpdir(), 'steth-eneg-'));
const out = join(tmp, 'report.csv');
const bin = join(root, 'node_modules/.bin/electronegativity');
let failed = false;
// One scan over every process's code together, so global checks (navigation limits, permission handlers, CSP)
// see the shell, the preload and the renderer's HTML at once.
const scanDir = join(tmp, 'app');
for (const dir of ['src-main', 'src-preload', 'src-shared', 'src-renderer']) {
  cpSync(join(root, dir), join(scanDir, dir), { recursive: true });
}
for (const input of [scanDir]) {
  const res = spawnSync(bin, ['-i', input, '-e', electronVersion, '-o', out, '-r', '-v', 'false'], {
    encoding: 'utf8',
  });
  if (res.status !== 0) {
    process.stderr.write(res.stdout + res.stderr);
    process.stderr.write(`electronegativity failed on ${input} (exit ${res.status})\n`);
    process.exit(1);
  }
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean);
  for (const row of rows) {
    const cols = row.split(',').map((c) => c.replace(/^"|"$/g, ''));
    const [issue, severity, confidence, file, line] = cols;
    const tag = severity === 'HIGH' ? 'HIGH' : severity;
    process.stdout.write(`${tag.padEnd(8)} ${issue} (${confidence}) ${file}:${line}\n`);
    if (severity === 'HIGH') failed = true;
  }
  process.stdout.write(`electronegativity: ${rows.length} finding(s), Electron ${electronVersion}\n`);
}
rmSync(tmp, { recursive: true, force: true });
if (failed) {
  process.stderr.write('electronegativity: HIGH severity finding(s) above\n');
  process.exit(1);
}
