// ESLint flat config. Besides typescript-eslint's recommended rules, it enforces the process layers:
// - the renderer is DOM only: no main, preload, native or Node code, no electron;
// - shared code runs everywhere: no Node, electron, main, preload or renderer;
// - below src-main/shell nothing imports electron (the main process is plain Node modules);
// - only src-main/shell/ipc-main.ts touches ipcMain and only src-preload/ipc-renderer.ts touches ipcRenderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nativePackages = ['electron', 'better-sqlite3', 'pcsclite', 'pkcs11js', 'playwright-core', '@playwright/test'];

const ipcBan = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Only src-main/shell/ipc-main.ts and src-preload/ipc-renderer.ts may touch ipcMain / ipcRenderer.',
};

export default tseslint.config(
  {
    ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results.json'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [ipcBan] }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nativePackages].map((name) => ({
            name,
            message: 'The renderer is DOM only: talk to main through window.stethoscope.',
          })),
          patterns: [
            {
              group: ['**/src-main/**', '**/src-preload/**', '**/native/**', 'src-main/*', 'src-preload/*', 'native/*'],
              message: 'The renderer may import only src-renderer and src-shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nativePackages].map((name) => ({
            name,
            message: 'src-shared runs in every process: no Node, native or electron imports.',
          })),
          patterns: [
            {
              group: ['**/src-main/**', '**/src-preload/**', '**/src-renderer/**', '**/native/**'],
              message: 'src-shared may import only src-shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Below the shell the main process is plain Node: no electron import.' }],
          patterns: [{ group: ['**/src-renderer/**', '**/src-preload/**'], message: 'main may not import renderer or preload code.' }],
        },
      ],
    },
  },
  {
    files: ['src-main/shell/**/*.ts'],
    ignores: ['src-main/shell/ipc-main.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ipcBan] }] },
  },
  {
    files: ['src-main/shell/ipc-main.ts', 'src-preload/ipc-renderer.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-preload/**/*.ts'],
    ignores: ['src-preload/ipc-renderer.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ipcBan],
          patterns: [{ group: ['**/src-main/**', '**/src-renderer/**', '**/native/**'], message: 'The preload may import only src-shared and itself.' }],
        },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}', '*.config.ts', 'bin/**/*.mjs'],
    rules: {
      // Tests and tools drive every layer; they may import across them (never ipcMain / ipcRenderer directly).
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
