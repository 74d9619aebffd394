/**
 * Certificate housekeeping at sign-in: a warning when the card's certificate (or the card) or its roles expire
 * within 90 days, an urgent one within 14, naming whichever ends first; nothing further out. And the words the
 * sign-in screen shows for it, with what to do.
 */
import { describe, expect, it } from 'vitest';
import { expiryWarning } from '../../../../src-main/card/session/card-service';
import type { TrustedCard } from '../../../../src-main/card/signin/types';
import { expiryWords } from '../../../../src-renderer/src/workspace/ExpiryNotice';

const DAY = 86_400_000;
const at = new Date('2026-12-02T09:00:00Z');
const card = (certDays: number, rolesDays: number) =>
  ({
    certNotAfter: new Date(at.getTime() + certDays * DAY).toISOString(),
    rolesNotAfter: new Date(at.getTime() + rolesDays * DAY).toISOString(),
  }) as TrustedCard;

describe('expiry warning at sign-in', () => {
  it('says nothing beyond 90 days, warns within 90 and is urgent within 14, for whichever ends first', () => {
    expect(expiryWarning(card(400, 91), at)).toBeNull();
    expect(expiryWarning(card(400, 90), at)).toMatchObject({ what: 'roles', days: 90, level: 'warning' });
    expect(expiryWarning(card(30, 60), at)).toMatchObject({
      what: 'certificate',
      days: 30,
      level: 'warning',
    });
    expect(expiryWarning(card(15, 300), at)).toMatchObject({ level: 'warning', days: 15 });
    expect(expiryWarning(card(14, 300), at)).toMatchObject({
      what: 'certificate',
      level: 'urgent',
      days: 14,
    });
    expect(expiryWarning(card(200, 0.5), at)).toMatchObject({ what: 'roles', level: 'urgent', days: 0 });
  });

  it('words it with the date and what to do (the local Registration Authority)', () => {
    const cert = expiryWords({
      what: 'certificate',
      notAfter: '2027-01-10T00:00:00Z',
      days: 39,
      level: 'warning',
    });
    expect(cert.heading).toBe('Your smartcard needs renewing');
    expect(cert.text).toContain('expires on 10 January 2027 (in 39 days)');
    expect(cert.text).toContain('Registration Authority');
    const roles = expiryWords({ what: 'roles', notAfter: '2026-12-03T00:00:00Z', days: 1, level: 'urgent' });
    expect(roles.heading).toBe('Important: your smartcard expires soon');
    expect(roles.text).toContain('access rights (role profiles)');
    expect(roles.text).toContain('(tomorrow)');
  });
});
