/**
 * No reader: with the PC/SC transport pointed at a pcscd socket that does not exist, the sign-in screen says no
 * smartcard reader was found (and asks for nothing else).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { expectAccessible, screen } from './ui-steps';

// A socket path in a folder that does not exist: nothing to create, nothing to clean up.
const socket = join(tmpdir(), `steth-h6-nopcscd-${process.pid}`, 'pcscd.comm');
const saved = process.env['PCSCLITE_CSOCK_NAME'];
test.beforeAll(() => {
  // The client library honours this socket path; nothing listens there.
  process.env['PCSCLITE_CSOCK_NAME'] = socket;
});
test.afterAll(() => {
  if (saved === undefined) delete process.env['PCSCLITE_CSOCK_NAME'];
  else process.env['PCSCLITE_CSOCK_NAME'] = saved;
});
test.use({ config: { card: { transport: 'pcsc' } } });

test('with no PC/SC service or reader, the sign-in screen says so', async ({ app }) => {
  const { page } = app;
  await expect(screen(page, 'sign-in')).toHaveAttribute('data-reader-state', 'no-reader');
  await expect(page.getByText('No smartcard reader found.')).toBeVisible();
  await expectAccessible(page, 'sign-in, no reader');
  await app.screenshot('sign-in-no-reader');
});
