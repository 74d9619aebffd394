/**
 * The encounter through the records service: expired and refused permission block reads, the encounter resets on
 * patient change, role change and sign-out, a lock sets it aside for its own session, overrides need the PIN, and
 * audit comes before reveal.
 */
import { toIpcError } from '../../../src-main/ipc/errors';
import { CTX } from '../../support/records/context';
import { describe, expect, it } from 'vitest';
import { codeOf, harness } from '../../support/records/harness';

describe('permission to view in an encounter', () => {
  it('blocks reads until permission is recorded, and again once it expires', async () => {
    const t = harness({ permissionHours: 8 });
    t.signIn();
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required'); // no encounter yet
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
    await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ok');
    t.clock.advanceHours(8);
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
    expect((await t.h['encounter.open']({ nhsNumber: t.nhs })).ptv).toEqual({ state: 'not-asked' });
  });

  it('an override expires after overrideHours', async () => {
    const t = harness({ overrideHours: 4 });
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    await t.h['ptv.record']({
      choice: 'emergency',
      nhsNumber: t.nhs,
      reason: 'medical-emergency',
      text: 'Unconscious',
      pin: '123456',
    });
    t.clock.advanceHours(3.9);
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ok');
    t.clock.advanceHours(0.1);
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
  });

  it('a refusal blocks SCR and MIG reads and is audited; emergency access is then not offered', async () => {
    const t = harness();
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    expect(await t.h['ptv.record']({ choice: 'refused', nhsNumber: t.nhs })).toMatchObject({
      state: 'refused',
    });
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('refused');
    expect(await codeOf(() => t.h['record.mig']({ nhsNumber: t.nhs }))).toBe('refused');
    expect(
      t.audit.entries.filter((e) => e.kind === 'ptv').map((e) => e.kind === 'ptv' && e.decision),
    ).toEqual(['refused']);
    expect(t.audit.entries.some((e) => e.kind === 'record-read')).toBe(false);
    expect((await t.h['encounter.open']({ nhsNumber: t.nhs })).can.emergency).toBe(false);
    expect(
      await codeOf(() =>
        t.h['ptv.record']({
          choice: 'emergency',
          nhsNumber: t.nhs,
          reason: 'medical-emergency',
          text: 'x',
          pin: '123456',
        }),
      ),
    ).toBe('conflict');
  });

  it('resets on patient change, sign-out, role change and a new sign-in; a lock sets it aside for its own session only', async () => {
    const t = harness();
    const grant = async () => {
      await t.h['encounter.open']({ nhsNumber: t.nhs });
      await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
      expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ok');
    };
    t.signIn();
    await grant();
    await t.h['encounter.open']({ nhsNumber: t.other });
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');

    // Locked: nothing is reachable, not even by the same session id, until the session itself resumes.
    await grant();
    const own = t.session.user;
    t.session.user = null;
    t.session.emit('locked', own?.sessionId);
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('not-signed-in');
    t.session.user = own;
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
    t.session.emit('unlocked');
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ok');
    expect((await t.h['encounter.current']({})).encounter?.patient.nhsNumber).toBe(t.nhs);

    // Another user signs in while the first is locked: they see no encounter; the first gets theirs back.
    t.session.user = null;
    t.session.emit('locked', own?.sessionId);
    const second = t.signIn();
    expect((await t.h['encounter.current']({})).encounter).toBeNull();
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
    t.session.user = null;
    t.session.emit('locked', second.sessionId);
    t.session.user = own;
    t.session.emit('unlocked');
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ok');

    // The permission keeps its own expiry while set aside.
    t.session.user = null;
    t.session.emit('locked', own?.sessionId);
    t.clock.advanceHours(9);
    t.session.user = own;
    t.session.emit('unlocked');
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');

    await grant();
    t.session.emit('role-selected');
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');

    await grant();
    const user = t.session.user;
    t.session.user = null;
    t.session.emit('signed-out');
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('not-signed-in');
    t.session.user = user; // even the same session id coming back finds no encounter
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');

    await grant();
    await t.h['encounter.close']({});
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
  });

  it('another session (a different card) cannot use this encounter', async () => {
    const t = harness();
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
    t.session.user = { ...t.session.user!, sessionId: 'someone-else' }; // swapped without a change notice
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
  });

  it('overrides need the PIN re-entered on the card; a wrong PIN grants nothing and is itself audited', async () => {
    const t = harness();
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    const err = await Promise.resolve()
      .then(() =>
        t.h['ptv.record']({
          choice: 'legal',
          nhsNumber: t.nhs,
          reasonCode: 3,
          text: 'Court order',
          pin: '999999',
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'wrong-pin', detail: { triesLeft: 2 } });
    expect(t.audit.entries).toEqual([
      expect.objectContaining({
        kind: 'override-pin-refused',
        override: 'legal',
        outcome: 'wrong-pin',
        triesLeft: 2,
      }),
    ]);
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required');
    t.session.pinAnswer = { ok: false, reason: 'card-blocked' };
    expect(
      await codeOf(() =>
        t.h['ptv.record']({
          choice: 'emergency',
          nhsNumber: t.nhs,
          reason: 'safeguarding',
          text: 'x',
          pin: '123456',
        }),
      ),
    ).toBe('card-blocked');
    t.session.pinAnswer = null;
    await t.h['ptv.record']({
      choice: 'legal',
      nhsNumber: t.nhs,
      reasonCode: 3,
      text: 'Court order 42',
      pin: '123456',
    });
    expect(t.session.pinChecks).toBe(3);
    expect(t.audit.entries).toMatchObject([
      { kind: 'override-pin-refused', override: 'legal', outcome: 'wrong-pin' },
      { kind: 'override-pin-refused', override: 'emergency', outcome: 'card-blocked' },
      { kind: 'legal-override', reasonCode: 3, reasonText: 'Court order 42', patient: { nhsNumber: t.nhs } },
    ]);
  });

  it('a lock while the PIN is being checked ends the attempt without granting or auditing', async () => {
    const t = harness();
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    const original = t.session.verifyPin.bind(t.session);
    t.session.verifyPin = async (pin: string) => {
      t.session.emit('locked');
      return original(pin);
    };
    expect(
      await codeOf(() =>
        t.h['ptv.record']({
          choice: 'emergency',
          nhsNumber: t.nhs,
          reason: 'medical-emergency',
          text: 'x',
          pin: '123456',
        }),
      ),
    ).toBe('conflict');
    expect(t.audit.entries).toEqual([]);
  });

  it('audit before reveal: when the audit write fails nothing is returned or changed', async () => {
    const t = harness();
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    t.audit.failing = true;
    expect(await codeOf(() => t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs }))).toBe(
      'audit-unavailable',
    );
    t.audit.failing = false;
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ptv-required'); // the grant did not happen
    await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
    t.audit.failing = true;
    const err = await Promise.resolve()
      .then(() => t.h['record.scr']({ nhsNumber: t.nhs }))
      .catch((e: unknown) => e);
    expect(toIpcError(err)).toMatchObject({ code: 'audit-unavailable' });
    expect(JSON.stringify(toIpcError(err))).not.toContain('Amlodipine');
    expect(await codeOf(() => t.h['record.mig']({ nhsNumber: t.nhs }))).toBe('audit-unavailable');
    expect(
      await codeOf(() =>
        t.h['encounter.claimRelationship']({ nhsNumber: t.other, reason: 'other', text: 'x' }),
      ),
    ).toBe('ok'); // has an LR: nothing to audit
    expect(
      await codeOf(() =>
        t.h['preferences.set']({
          nhsNumber: t.nhs,
          scr: 'opted-out',
          sensitive: 'excluded',
          mig: 'share',
          patientStatement: 'No SCR',
        }),
      ),
    ).toBe('audit-unavailable');
    expect((await t.source.getPreferences(t.nhs, CTX)).current.scr).toBe('core');
  });

  it('records a read with its sections and purpose before returning (TREAT with permission, ETREAT under override)', async () => {
    const t = harness({ preferences: { scr: 'core-and-additional', sensitive: 'excluded', mig: 'share' } });
    t.signIn();
    await t.h['encounter.open']({ nhsNumber: t.nhs });
    await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
    await t.h['record.scr']({ nhsNumber: t.nhs });
    const reads = t.audit.entries.filter((e) => e.kind === 'record-read');
    expect(reads).toMatchObject([
      {
        record: 'scr-additional',
        sections: [
          'medications',
          'allergies',
          'problems',
          'procedures',
          'anticipatory-care',
          'end-of-life',
          'immunisations',
        ],
        purpose: 'TREAT',
      },
    ]);
    await t.h['ptv.record']({
      choice: 'emergency',
      nhsNumber: t.nhs,
      reason: 'safeguarding',
      text: 'Concern for a child at home',
      pin: '123456',
    });
    await t.h['record.mig']({ nhsNumber: t.nhs });
    expect(t.audit.entries.at(-2)).toMatchObject({ kind: 'emergency-override', reasonCode: 4 });
    expect(t.audit.entries.at(-1)).toMatchObject({ kind: 'record-read', record: 'mig', purpose: 'ETREAT' });
  });
});

describe('words for the role', () => {
  it('after a refusal, a legal override is mentioned only to a role that can make one', async () => {
    const refusedEmergency = async (activities: string[]) => {
      const t = harness();
      t.signIn(activities);
      await t.h['encounter.open']({ nhsNumber: t.nhs });
      await t.h['ptv.record']({ choice: 'refused', nhsNumber: t.nhs });
      try {
        await t.h['ptv.record']({
          choice: 'emergency',
          nhsNumber: t.nhs,
          reason: 'medical-emergency',
          text: 'x',
          pin: '123456',
        });
      } catch (err) {
        return toIpcError(err)?.message ?? '';
      }
      throw new Error('emergency access after a refusal was allowed');
    };
    expect(await refusedEmergency(['B0370', 'B0168', 'B0082'])).toMatch(/A legal override is still possible/);
    expect(await refusedEmergency(['B0370', 'B0168'])).not.toMatch(/legal override/);
  });
});

describe('legitimate relationship', () => {
  it('without one, PTV cannot be recorded; a self-claim is audited as a privacy officer alert and then allows it', async () => {
    const t = harness();
    t.signIn(['B0370'], 'NWOOH1', 'out-of-hours');
    const view = await t.h['encounter.open']({ nhsNumber: t.nhs });
    expect(view.relationship).toBe('none');
    expect(view.notes.join(' ')).toMatch(/self-claim/);
    expect(view.can.askPermission).toBe(false);
    expect(await codeOf(() => t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs }))).toBe('forbidden');
    const claimed = await t.h['encounter.claimRelationship']({
      nhsNumber: t.nhs,
      reason: 'treating-now',
      text: 'Seen at the out-of-hours base',
    });
    expect(claimed.relationship).toBe('self-claimed');
    expect(t.audit.entries).toMatchObject([
      { kind: 'lr-self-claim', reason: 'treating-now', reasonText: 'Seen at the out-of-hours base' },
    ]);
    await t.h['ptv.record']({ choice: 'given', nhsNumber: t.nhs });
    expect(await codeOf(() => t.h['record.scr']({ nhsNumber: t.nhs }))).toBe('ok');
  });

  it('a role that cannot view at all cannot self-claim (no pointless privacy officer alert)', async () => {
    const t = harness();
    t.signIn(['B0020'], 'NWOOH1', 'out-of-hours');
    expect(
      await codeOf(() =>
        t.h['encounter.claimRelationship']({ nhsNumber: t.nhs, reason: 'other', text: 'x' }),
      ),
    ).toBe('forbidden');
    expect(t.audit.entries).toEqual([]);
  });
});
