import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../../src-main/ipc/trusted-sender';

const origin = 'app://stethoscope';
describe('trusted sender', () => {
  it('accepts our main frame in a known window', () => {
    expect(
      isTrustedSender(
        { frameUrl: 'app://stethoscope/index.html', isMainFrame: true, knownWindow: true },
        origin,
      ),
    ).toBe(true);
  });
  it.each([
    ['another origin', { frameUrl: 'https://evil.example/', isMainFrame: true, knownWindow: true }],
    [
      'a look-alike host',
      { frameUrl: 'app://stethoscope.evil/index.html', isMainFrame: true, knownWindow: true },
    ],
    ['a subframe', { frameUrl: 'app://stethoscope/index.html', isMainFrame: false, knownWindow: true }],
    [
      'an unknown window',
      { frameUrl: 'app://stethoscope/index.html', isMainFrame: true, knownWindow: false },
    ],
    ['a file URL', { frameUrl: 'file:///etc/passwd', isMainFrame: true, knownWindow: true }],
    ['garbage', { frameUrl: 'not a url', isMainFrame: true, knownWindow: true }],
  ])('refuses %s', (_name, facts) => {
    expect(isTrustedSender(facts, origin)).toBe(false);
  });
});
