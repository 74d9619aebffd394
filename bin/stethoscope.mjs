#!/usr/bin/env node
// The `stethoscope` command (IT support and tests). Runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

// A reader that stops early (`stethoscope report amber ... | head`) closes the pipe: that ends the output, it is
// not a failure worth a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

register();
const here = dirname(fileURLToPath(import.meta.url));
const { main } = await import(join(here, '../src-main/cli/main.ts'));
process.exitCode = await main(process.argv.slice(2));
