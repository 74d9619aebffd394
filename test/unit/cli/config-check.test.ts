/**
 * `stethoscope config check --config FILE`: the resolved configuration as JSON and exit 0, or the field and the
 * reason on stderr and a non-zero exit. Driven through the CLI entry as outside checks use it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src-main/cli/main';

const dir = mkdtempSync(join(tmpdir(), 'steth-config-check-'));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => '',
  });
  return { code, stdout, stderr };
}

function file(name: string, value: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(value));
  return f;
}

describe('stethoscope config check', () => {
  it('says a file without "mode" must state it, and exits non-zero', async () => {
    const r = await run(['config', 'check', '--config', file('no-mode.json', { dataDir: join(dir, 'd1') })]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/must state "mode": "live" or "demo"/);
    expect(r.stderr).toMatch(/→ at mode/);
  });

  it('prints the resolved demo configuration with its defaults', async () => {
    const dataDir = join(dir, 'd2');
    const r = await run(['config', 'check', '--config', file('demo.json', { mode: 'demo', dataDir })]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const resolved = JSON.parse(r.stdout);
    expect(resolved).toMatchObject({
      mode: 'demo',
      dataDir,
      card: { transport: 'embedded', idleLockMinutes: 15 },
    });
  });

  it('shows key paths but never key contents', async () => {
    const keyFile = join(dir, 'ws-key.pem');
    writeFileSync(keyFile, '-----BEGIN PRIVATE KEY-----\nSECRETSECRETSECRET\n-----END PRIVATE KEY-----\n', {
      mode: 0o600,
    });
    const r = await run([
      'config',
      'check',
      '--config',
      file('key.json', { mode: 'demo', dataDir: join(dir, 'd3'), workstation: { id: 'WS-9', keyFile } }),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(keyFile);
    expect(r.stdout).not.toContain('SECRET');
  });

  it('names the field and the reason for a live file that cannot start', async () => {
    const r = await run([
      'config',
      'check',
      '--config',
      file('live.json', {
        mode: 'live',
        dataDir: join(dir, 'd4'),
        workstation: { id: 'WS-1' },
        card: { transport: 'pcsc', trustAnchors: [join(dir, 'missing.pem')] },
        records: {
          services: Object.fromEntries(
            ['demographics', 'scr', 'sharedCare'].map((k) => [
              k,
              { baseUrl: `https://127.0.0.1:9/${k}`, caFile: join(dir, 'ca.pem') },
            ]),
          ),
        },
      }),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /trust anchor file .*missing\.pem cannot be read\n\s+→ at card\.trustAnchors\[0\]/,
    );
  });

  it('answers --help with its usage through the real command', () => {
    const r = spawnSync(
      process.execPath,
      [join(__dirname, '../../../bin/stethoscope.mjs'), 'config', 'check', '--help'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('stethoscope config check --config FILE');
  });
});
