import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, parseConfig, ConfigError } from '../../../../src-main/config/load';

const dir = mkdtempSync(join(tmpdir(), 'steth-config-'));
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('configuration', () => {
  it('fills demo defaults', () => {
    const c = parseConfig({ dataDir: '/tmp/x' });
    expect(c.mode).toBe('demo');
    expect(c.card.transport).toBe('embedded');
    expect(c.encounter).toEqual({ permissionHours: 8, overrideHours: 4 });
  });
  it('names the bad field', () => {
    const f = file('bad.json', JSON.stringify({ dataDir: '/tmp/x', card: { trustAnchors: [42] } }));
    expect(() => loadConfigFile(f)).toThrow(ConfigError);
    expect(() => loadConfigFile(f)).toThrow(/field "card\.trustAnchors\[0\]"/);
  });
  it('refuses unknown top-level fields (typos must not be ignored)', () => {
    expect(() => parseConfig({ dataDir: '/tmp/x', auditt: {} })).toThrow(/auditt/);
  });
  it('says when the file is not JSON or missing', () => {
    expect(() => loadConfigFile(file('x.json', '{ nope'))).toThrow(/not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/cannot read config file/);
  });
});
