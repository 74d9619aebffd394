/**
 * The layer rules in eslint.config.js must fail deliberate violations (and pass the allowed imports).
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  it('forbids the renderer from importing main code', async () => {
    const errors = await errorsFor(
      'src-renderer/src/Bad.tsx',
      "import { buildWorkstation } from '../../src-main/services/workstation';\nexport const x = buildWorkstation;\n",
    );
    expect(errors.join('\n')).toMatch(/no-restricted-imports.*renderer may import only/);
  });
  it('forbids the renderer from importing Node or native modules', async () => {
    for (const mod of ['node:fs', 'fs', 'better-sqlite3', 'pcsclite', 'electron']) {
      const errors = await errorsFor(
        'src-renderer/src/Bad.tsx',
        `import x from '${mod}';\nexport const y = x;\n`,
      );
      expect(errors.join('\n'), mod).toMatch(/no-restricted-imports.*DOM only/);
    }
  });
  it('forbids the renderer from importing native/ code', async () => {
    const errors = await errorsFor(
      'src-renderer/src/Bad.tsx',
      "import x from '../../native/pcscd/private-pcscd';\nexport const y = x;\n",
    );
    expect(errors.join('\n')).toMatch(/no-restricted-imports/);
  });
  it('allows the renderer to import shared code', async () => {
    const errors = await errorsFor(
      'src-renderer/src/Good.tsx',
      "import { formatNhsNumber } from '../../src-shared/domain/nhs-number';\nexport const y = formatNhsNumber;\n",
    );
    expect(errors).toEqual([]);
  });
  it('allows ipcMain only in the shell wrapper', async () => {
    const code = "import { ipcMain } from 'electron';\nexport const y = ipcMain;\n";
    expect((await errorsFor('src-main/shell/main.ts', code)).join('\n')).toMatch(
      /Only src-main\/shell\/ipc-main\.ts/,
    );
    expect(await errorsFor('src-main/shell/ipc-main.ts', code)).toEqual([]);
  });
  it('allows ipcRenderer only in the preload wrapper', async () => {
    const code = "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n";
    expect((await errorsFor('src-preload/index.ts', code)).join('\n')).toMatch(/ipcRenderer/);
    expect(await errorsFor('src-preload/ipc-renderer.ts', code)).toEqual([]);
  });
  it('keeps electron out of main below the shell', async () => {
    const errors = await errorsFor(
      'src-main/services/x.ts',
      "import { app } from 'electron';\nexport const y = app;\n",
    );
    expect(errors.join('\n')).toMatch(/plain Node/);
  });
  it('keeps shared code free of Node', async () => {
    const errors = await errorsFor(
      'src-shared/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    );
    expect(errors.join('\n')).toMatch(/every process/);
  });
});
