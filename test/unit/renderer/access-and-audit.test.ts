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
  it('says the privacy officer has been told only once the override alert was delivered; permission says nothing of it', () => {
    const expires = '2026-11-24T23:00:00Z';
    const id = 'b1c4e0a2-0000-4000-8000-000000000001';
    expect(accessSentence('permission', expires)).not.toMatch(/privacy officer/);
    // Delivered to the organisation's audit service: only now "has been told".
    expect(accessSentence('emergency', expires, 5, { id, state: 'told', waiting: 0 })).toMatch(
      /logged and the privacy officer has been told/,
    );
    // Queued while the service is unreachable: will be told, with what waits here; never "has been told".
    const offline = accessSentence('emergency', expires, 5, { id, state: 'waiting', waiting: 3 });
    expect(offline).toMatch(
      /The privacy officer will be told when this workstation is back online \(3 audit events waiting\)/,
    );
    expect(offline).not.toMatch(/has been told/);
    const one = accessSentence('legal', expires, 3, { id, state: 'waiting', waiting: 1 });
    expect(one).toMatch(/\(1 audit event waiting\)/);
    expect(one).toMatch(/Reason: Court order/);
    // On its way, or not known: no claim that it arrived.
    expect(accessSentence('emergency', expires, 5, { id, state: 'sending', waiting: 2 })).toMatch(
      /privacy officer is being told now/,
    );
    expect(accessSentence('emergency', expires)).toMatch(/privacy officer will be told\./);
    for (const state of ['sending', 'waiting'] as const)
      expect(accessSentence('emergency', expires, 5, { id, state, waiting: 2 })).not.toMatch(/has been told/);
    expect(accessSentence('emergency', expires)).not.toMatch(/has been told/);
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
  it('is never up to date while a configured audit service is failing, even with nothing queued', () => {
    const failing = (state: 'retrying' | 'offline') =>
      auditLine(
        status({
          queueDepth: 0,
          lastDeliveredAt: '2026-11-24T10:00:00Z',
          transports: [
            {
              name: 'fhir',
              state,
              queueDepth: 0,
              oldestUndeliveredAgeMs: null,
              lastDeliveredAt: '2026-11-24T10:00:00Z',
              lastError: 'connect ECONNREFUSED',
            },
          ],
        }),
      );
    for (const state of ['retrying', 'offline'] as const) {
      expect(failing(state).tone).toBe('warn');
      expect(failing(state).text).not.toMatch(/up to date/);
    }
  });
  it('does not know before the first answer', () => {
    expect(auditLine(null).tone).toBe('warn');
  });
});
