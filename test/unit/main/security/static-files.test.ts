import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveRendererFile } from '../../../../src-main/security/static-files';
import { CONTENT_SECURITY_POLICY } from '../../../../src-main/security/baseline';

const root = mkdtempSync(join(tmpdir(), 'steth-static-'));
mkdirSync(join(root, 'renderer/assets'), { recursive: true });
writeFileSync(join(root, 'renderer/index.html'), '<html></html>');
writeFileSync(join(root, 'renderer/assets/a.js'), 'x');
writeFileSync(join(root, 'secret.txt'), 'secret');

describe('renderer file server', () => {
  it('serves index for / with the CSP and a content type', async () => {
    const r = await serveRendererFile(join(root, 'renderer'), '/');
    expect(r.status).toBe(200);
    expect(r.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers['Content-Type']).toMatch(/text\/html/);
  });
  it('refuses to escape the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/%E0%A4%A']) {
      expect((await serveRendererFile(join(root, 'renderer'), p)).status, p).toBe(404);
    }
  });
  it('the CSP allows no inline script, eval or remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
  });
});
