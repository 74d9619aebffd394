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
  it('fills demo defaults when demo mode is stated', () => {
    const c = parseConfig({ mode: 'demo', dataDir: '/tmp/x' });
    expect(c.mode).toBe('demo');
    expect(c.card.transport).toBe('embedded');
    expect(c.encounter).toEqual({ permissionHours: 8, overrideHours: 4 });
  });
  it('PIN grace is off unless set, in whole minutes up to 30', () => {
    const demo = { mode: 'demo', dataDir: '/tmp/x' };
    expect(parseConfig(demo).card.sessions.pinGraceMinutes).toBe(0);
    expect(parseConfig({ ...demo, card: { sessions: {} } }).card.sessions.pinGraceMinutes).toBe(0);
    expect(
      parseConfig({ ...demo, card: { sessions: { pinGraceMinutes: 5 } } }).card.sessions.pinGraceMinutes,
    ).toBe(5);
    for (const bad of [-1, 31, 2.5, '5'])
      expect(() => parseConfig({ ...demo, card: { sessions: { pinGraceMinutes: bad } } })).toThrow(
        /card\.sessions\.pinGraceMinutes/,
      );
  });
  it('names the bad field', () => {
    const f = file(
      'bad.json',
      JSON.stringify({ mode: 'demo', dataDir: '/tmp/x', card: { trustAnchors: [42] } }),
    );
    expect(() => loadConfigFile(f)).toThrow(ConfigError);
    expect(() => loadConfigFile(f)).toThrow(
      /expected string, received number\n\s+→ at card\.trustAnchors\[0\]/,
    );
  });
  it('refuses unknown top-level fields (typos must not be ignored)', () => {
    expect(() => parseConfig({ mode: 'demo', dataDir: '/tmp/x', auditt: {} })).toThrow(/auditt/);
  });
  it('refuses a file that does not state its mode, instead of running it as demo', () => {
    const f = file(
      'no-mode.json',
      JSON.stringify({ dataDir: '/tmp/x', card: { transport: 'pcsc', trustAnchors: ['/etc/root.pem'] } }),
    );
    expect(() => loadConfigFile(f)).toThrow(/must state "mode": "live" or "demo"[\s\S]*→ at mode/);
  });
  it('says when the file is not JSON or missing', () => {
    expect(() => loadConfigFile(file('x.json', '{ nope'))).toThrow(/not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/cannot read config file/);
  });
});
