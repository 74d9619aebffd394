import { describe, expect, it } from 'vitest';
import { accessSentence, accessTitle, isOverride, ptvSummary } from '../../../src-renderer/src/view/access';
import { auditLine } from '../../../src-renderer/src/view/audit';
import type { AuditStatus } from '../../../src-shared/ipc/channels/audit';

const status = (over: Partial<AuditStatus>): AuditStatus => ({
  queueDepth: 0,
  oldestUndeliveredAgeMs: null,
  lastDeliveredAt: null,
  lastError: null,
  writable: true,
  transports: [],
  ...over,
});

describe('access wording', () => {
  it('says overrides are logged and the privacy officer told; permission does not', () => {
    const expires = '2026-11-24T23:00:00Z';
    expect(accessSentence('permission', expires)).not.toMatch(/privacy officer/);
    expect(accessSentence('emergency', expires)).toMatch(/logged and the privacy officer has been told/);
    expect(accessSentence('legal', expires, 3)).toMatch(/Reason: Court order/);
    expect(isOverride('permission')).toBe(false);
    expect(isOverride('emergency')).toBe(true);
    expect(accessTitle('emergency')).toMatch(/duty of care/);
  });

  it('summarises permission-to-view states', () => {
    expect(ptvSummary({ state: 'not-asked' })).toMatch(/not been recorded/);
    expect(ptvSummary({ state: 'refused', at: '2026-11-24T10:00:00Z' })).toMatch(/refused/);
    expect(
      ptvSummary({
        state: 'granted',
        basis: 'legal',
        at: '2026-11-24T10:00:00Z',
        expiresAt: '2026-11-24T14:00:00Z',
      }),
    ).toBe('Legal override of consent');
  });
});

describe('audit status line', () => {
  it('is an error when the log cannot be written', () => {
    expect(auditLine(status({ writable: false })).tone).toBe('error');
  });
  it('says when there is no audit service to deliver to', () => {
    expect(auditLine(status({})).text).toMatch(/no audit service configured/);
  });
  it('is up to date with an empty queue', () => {
    const fhir = {
      name: 'fhir',
      state: 'ok',
      queueDepth: 0,
      oldestUndeliveredAgeMs: null,
      lastError: null,
    } as const;
    expect(auditLine(status({ transports: [{ ...fhir, lastDeliveredAt: null }] })).text).toMatch(
      /up to date, nothing delivered yet/,
    );
    expect(
      auditLine(
        status({ lastDeliveredAt: '2026-11-24T10:00:00Z', transports: [{ ...fhir, lastDeliveredAt: null }] }),
      ).text,
    ).toMatch(/up to date, last delivered \d\d:\d\d on 24 November 2026/);
  });
  it('warns with the queue depth when offline', () => {
    const line = auditLine(
      status({
        queueDepth: 5,
        transports: [
          {
            name: 'atna',
            state: 'offline',
            queueDepth: 5,
            oldestUndeliveredAgeMs: 10,
            lastDeliveredAt: null,
            lastError: 'x',
          },
        ],
      }),
    );
    expect(line).toEqual({ tone: 'warn', text: expect.stringMatching(/offline: 5 events waiting/) });
  });
  it('does not know before the first answer', () => {
    expect(auditLine(null).tone).toBe('warn');
  });
});
