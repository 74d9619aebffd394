/**
 * The demo story end to end at service level: the demo card set's role profiles (src-main/card/demo) against the
 * demo population's fixed patients with the default policy. Guards the coordination between the two demos (org
 * codes, activities) and what the UI tests rely on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordView } from '../../../src-shared/domain/records';
import { DEMO_CARDS } from '../../../src-main/card/demo/catalogue';
import { DEFAULT_POLICY } from '../../../src-main/policy/policy-file';
import { demoPatient, type DemoPatientKey } from '../../../src-main/records/demo-data/fixed-patients';
import { writePopulation } from '../../../src-main/records/demo-data/write';
import { createRecordHandlers, type RecordChannels } from '../../../src-main/services/record-handlers';
import { openSqliteRecordSource } from '../../../src-main/records/source/sqlite/source';
import type { RecordSource } from '../../../src-main/records/source/types';
import { FakeSession, RecordingAudit, TestClock } from '../../support/records/fakes';
import { codeOf } from '../../support/records/harness';

const dir = mkdtempSync(join(tmpdir(), 'steth-h5-scen-'));
let source: RecordSource;
let service: RecordChannels;
const session = new FakeSession();
const audit = new RecordingAudit();

beforeAll(() => {
  const file = join(dir, 'records.sqlite');
  writePopulation(file, { patients: 200, seed: 'demo' });
  source = openSqliteRecordSource(file);
  service = createRecordHandlers({
    source,
    policy: DEFAULT_POLICY,
    session,
    audit,
    clock: new TestClock(Date.parse('2026-11-24T10:00:00Z')),
    config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS-DEMO-01' } },
  });
});
afterAll(() => {
  service.close();
  source.close();
  rmSync(dir, { recursive: true, force: true });
});

function as(cardId: string, roleIndex = 0) {
  const card = DEMO_CARDS.find((c) => c.id === cardId);
  if (!card) throw new Error(`no demo card ${cardId}`);
  const role = card.roles[roleIndex]!;
  session.signIn(role);
}
const nhs = (k: DemoPatientKey) => demoPatient(k).nhsNumber;
const h = () => service.handlers;
const texts = (v: RecordView) =>
  v.sections.flatMap((s) => s.entries.map((e) => `${e.text} ${e.detail ?? ''}`)).join(' | ');
async function given(k: DemoPatientKey) {
  await h()['encounter.open']({ nhsNumber: nhs(k) });
  await h()['ptv.record']({ choice: 'given', nhsNumber: nhs(k) });
}

describe('demo story', () => {
  it('GP, core-only patient: medication and allergies only; MIG as the own practice', async () => {
    as('gp');
    await given('core-only');
    const scr = await h()['record.scr']({ nhsNumber: nhs('core-only') });
    expect(scr.sections.map((s) => s.key)).toEqual(['medications', 'allergies']);
    expect(texts(scr)).toContain('Amlodipine');
    expect(texts(scr)).not.toContain('hypertension');
    expect(scr.withheld).toBe(false);
    const mig = await h()['record.mig']({ nhsNumber: nhs('core-only') });
    expect(texts(mig)).toContain('Serum cholesterol');
  });

  it('GP, sensitive excluded: withheld, and none of the STI, IVF or private items', async () => {
    as('gp');
    await given('sensitive-excluded');
    const scr = await h()['record.scr']({ nhsNumber: nhs('sensitive-excluded') });
    expect(scr.withheld).toBe(true);
    expect(texts(scr)).toContain('Asthma');
    for (const s of ['Chlamydia', 'fertilisation', 'Bereavement']) expect(texts(scr)).not.toContain(s);
  });

  it('GP, sensitive included: HIV items shown, the private item still withheld', async () => {
    as('gp');
    await given('sensitive-included');
    const scr = await h()['record.scr']({ nhsNumber: nhs('sensitive-included') });
    expect(texts(scr)).toContain('Emtricitabine');
    expect(texts(scr)).toContain('Human immunodeficiency virus');
    expect(texts(scr)).not.toContain('Alcohol');
    expect(scr.withheld).toBe(true);
  });

  it('GP, opted-out patient: no SCR even in an emergency; the encounter view says so', async () => {
    as('gp');
    const view = await h()['encounter.open']({ nhsNumber: nhs('opted-out') });
    expect(view.notes.join(' ')).toMatch(/opted out/);
    await h()['ptv.record']({
      choice: 'emergency',
      nhsNumber: nhs('opted-out'),
      reason: 'medical-emergency',
      text: 'Collapsed in the waiting room',
      pin: '123456',
    });
    expect(await codeOf(() => h()['record.scr']({ nhsNumber: nhs('opted-out') }))).toBe('refused');
    expect((await h()['encounter.open']({ nhsNumber: nhs('opted-out') })).can.viewScr).toBe(false);
  });

  it('GP, MIG dissent: SCR yes, MIG no, not even in an emergency', async () => {
    as('gp');
    await given('mig-dissent');
    expect(await codeOf(() => h()['record.scr']({ nhsNumber: nhs('mig-dissent') }))).toBe('ok');
    expect(await codeOf(() => h()['record.mig']({ nhsNumber: nhs('mig-dissent') }))).toBe('refused');
    await h()['ptv.record']({
      choice: 'emergency',
      nhsNumber: nhs('mig-dissent'),
      reason: 'safeguarding',
      text: 'x',
      pin: '123456',
    });
    expect(await codeOf(() => h()['record.mig']({ nhsNumber: nhs('mig-dissent') }))).toBe('refused');
  });

  it('GP, end-of-life patient: end-of-life plan, anticipatory care and communication preferences in the AI', async () => {
    as('gp');
    await given('end-of-life');
    const scr = await h()['record.scr']({ nhsNumber: nhs('end-of-life') });
    const eol = scr.sections.find((s) => s.key === 'end-of-life');
    expect(eol?.entries[0]?.detail).toMatch(/DNACPR/);
    expect(texts(scr)).toMatch(/registered blind/);
    expect(texts(scr)).toMatch(/lasting power of attorney/);
  });

  it('out-of-hours doctor: LR by treatment, MIG allowed (approved, in date)', async () => {
    as('ooh-doctor');
    const view = await h()['encounter.open']({ nhsNumber: nhs('ooh-treated') });
    expect(view.relationship).toBe('treating');
    await h()['ptv.record']({ choice: 'given', nhsNumber: nhs('ooh-treated') });
    expect(texts(await h()['record.mig']({ nhsNumber: nhs('ooh-treated') }))).toContain('Electrocardiogram');
    expect(texts(await h()['record.scr']({ nhsNumber: nhs('ooh-treated') }))).toContain(
      'Percutaneous coronary',
    );
  });

  it('out-of-hours doctor, patient of another practice: self-claim first', async () => {
    as('ooh-doctor');
    expect((await h()['encounter.open']({ nhsNumber: nhs('other-practice') })).relationship).toBe('none');
    const claimed = await h()['encounter.claimRelationship']({
      nhsNumber: nhs('other-practice'),
      reason: 'treating-now',
      text: 'Telephone consultation',
    });
    expect(claimed.relationship).toBe('self-claimed');
    expect(audit.entries.at(-1)).toMatchObject({ kind: 'lr-self-claim', actor: { orgCode: 'NWOOH1' } });
  });

  it('paramedic, unregistered patient: self-claim and emergency access, read as ETREAT', async () => {
    as('paramedic');
    await h()['encounter.open']({ nhsNumber: nhs('unregistered') });
    await h()['encounter.claimRelationship']({
      nhsNumber: nhs('unregistered'),
      reason: 'treating-now',
      text: 'On scene',
    });
    await h()['ptv.record']({
      choice: 'emergency',
      nhsNumber: nhs('unregistered'),
      reason: 'medical-emergency',
      text: 'Anaphylaxis, unresponsive',
      pin: '123456',
    });
    const scr = await h()['record.scr']({ nhsNumber: nhs('unregistered') });
    expect(texts(scr)).toContain('Peanut');
    expect(scr.access.basis).toBe('emergency');
    expect(audit.entries.at(-1)).toMatchObject({
      kind: 'record-read',
      purpose: 'ETREAT',
      actor: { orgCode: 'RX9' },
    });
  });

  it('receptionist (B0020 only): finds patients and records the practice’s patients’ preferences, but cannot view records', async () => {
    as('receptionist');
    expect(
      (await h()['patients.search']({ kind: 'nhs-number', nhsNumber: nhs('core-only') })).results,
    ).toHaveLength(1);
    // No relationship with a patient the practice does not care for: no preferences either.
    expect(
      await codeOf(() =>
        h()['preferences.set']({
          nhsNumber: nhs('unregistered'),
          scr: 'core-and-additional',
          sensitive: 'excluded',
          mig: 'share',
          patientStatement: 'Please add Additional Information',
        }),
      ),
    ).toBe('forbidden');
    const res = await h()['preferences.set']({
      nhsNumber: nhs('core-only'),
      scr: 'core-and-additional',
      sensitive: 'excluded',
      mig: 'share',
      patientStatement: 'Please add Additional Information',
    });
    expect(res.history.at(-1)?.byName).toBe(session.user?.holder.displayName);
    await h()['encounter.open']({ nhsNumber: nhs('core-only') });
    expect(await codeOf(() => h()['ptv.record']({ choice: 'given', nhsNumber: nhs('core-only') }))).toBe(
      'forbidden',
    );
    expect(await codeOf(() => h()['record.scr']({ nhsNumber: nhs('core-only') }))).toBe('forbidden');
  });

  it('privacy officer: no patient lookup from this role', async () => {
    as('privacy-officer');
    expect(
      await codeOf(() => h()['patients.search']({ kind: 'nhs-number', nhsNumber: nhs('core-only') })),
    ).toBe('forbidden');
  });
});
