/**
 * electron-vite build: one explicit entry per process. Main is ESM with dependencies external (native modules
 * load at run time); the preload is CommonJS because sandboxed preloads cannot be ES modules.
 */
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/shell/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react()],
    // nhsuk-frontend's icons, referenced from its SCSS, resolve to the package's own files (bundled, never remote).
    resolve: { alias: { '@nhsuk-images': resolve(__dirname, 'node_modules/nhsuk-frontend/dist/nhsuk/assets/images') } },
    build: {
      outDir: 'out/renderer',
      minify: 'esbuild',
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
