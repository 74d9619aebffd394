/**
 * No reader: with the PC/SC transport pointed at a pcscd socket that does not exist, the sign-in screen says no
 * smartcard reader was found (and asks for nothing else).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { expectAccessible, screen } from './ui-steps';

const dir = mkdtempSync(join(tmpdir(), 'steth-h6-nopcscd-'));
const saved = process.env['PCSCLITE_CSOCK_NAME'];
test.beforeAll(() => {
  // The client library honours this socket path; nothing listens there.
  process.env['PCSCLITE_CSOCK_NAME'] = join(dir, 'pcscd.comm');
});
test.afterAll(() => {
  if (saved === undefined) delete process.env['PCSCLITE_CSOCK_NAME'];
  else process.env['PCSCLITE_CSOCK_NAME'] = saved;
  rmSync(dir, { recursive: true, force: true });
});
test.use({ config: { card: { transport: 'pcsc' } } });

test('with no PC/SC service or reader, the sign-in screen says so', async ({ app }) => {
  const { page } = app;
  await expect(screen(page, 'sign-in')).toHaveAttribute('data-reader-state', 'no-reader');
  await expect(page.getByText('No smartcard reader found.')).toBeVisible();
  await expectAccessible(page, 'sign-in, no reader');
  await app.screenshot('sign-in-no-reader');
});
