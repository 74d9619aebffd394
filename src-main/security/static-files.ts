/**
 * Serves the built renderer from disk for either host, with the security headers, refusing anything that would
 * escape the renderer folder.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from './baseline';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export interface StaticResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Resolves a URL path under `root`; `/` is index.html. Returns 404 for anything missing or outside the root. */
export async function serveRendererFile(root: string, urlPath: string): Promise<StaticResponse> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return notFound();
  }
  if (path === '/' || path === '') path = '/index.html';
  const full = normalize(join(root, path));
  if (!full.startsWith(normalize(root) + sep)) return notFound();
  try {
    const body = await readFile(full);
    return {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(full)] ?? 'application/octet-stream' },
      body,
    };
  } catch {
    return notFound();
  }
}

function notFound(): StaticResponse {
  return {
    status: 404,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' },
    body: Buffer.from('Not found'),
  };
}
