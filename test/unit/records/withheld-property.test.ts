/**
 * Property: whatever the patient's record, preferences, the user's role and organisation and the PTV choice, the
 * text of a withheld item (private, or sensitive without consent) never appears anywhere in any response or error
 * the renderer could receive: each whole payload is serialised and searched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrgType } from '../../../src-shared/domain/rbac';
import { channels } from '../../../src-shared/ipc/contract';
import type { SensitiveCategory } from '../../../src-main/domain/sensitivity';
import { DEFAULT_POLICY } from '../../../src-main/policy/policy-file';
import { createRecordHandlers } from '../../../src-main/services/record-handlers';
import { FakeSession, MemorySource, RecordingAudit, TestClock } from '../../support/records/fakes';
import { items, summary, testNhs } from '../../support/records/patients';

type Kind =
  | 'medication'
  | 'allergy'
  | 'problem'
  | 'procedure'
  | 'immunisation'
  | 'eol'
  | 'flag'
  | 'encounter'
  | 'investigation'
  | 'referral';
interface ItemSpec {
  kind: Kind;
  sensitive: SensitiveCategory | null;
  private: boolean;
}

const itemSpec = fc.record({
  kind: fc.constantFrom<Kind>(
    'medication',
    'allergy',
    'problem',
    'procedure',
    'immunisation',
    'eol',
    'flag',
    'encounter',
    'investigation',
    'referral',
  ),
  sensitive: fc.option(
    fc.constantFrom<SensitiveCategory>('sti', 'hiv', 'ivf', 'termination', 'gender-reassignment'),
    { nil: null },
  ),
  private: fc.boolean(),
});

const scenario = fc.record({
  items: fc.array(itemSpec, { minLength: 1, maxLength: 14 }),
  prefs: fc.record({
    scr: fc.constantFrom('opted-out', 'core', 'core-and-additional' as const),
    sensitive: fc.constantFrom('excluded', 'included' as const),
    mig: fc.constantFrom('share', 'dissent' as const),
  }),
  org: fc.constantFrom<[string, OrgType]>(
    ['C81007', 'gp-practice'],
    ['NWOOH1', 'out-of-hours'],
    ['RX9', 'ambulance'],
    ['RTG', 'acute'],
  ),
  registeredHere: fc.boolean(),
  activities: fc.subarray(['B0370', 'B0168', 'B0082', 'B0020']),
  claim: fc.boolean(),
  choice: fc.constantFrom('given', 'emergency', 'legal', 'refused', 'none'),
});

describe('withheld items never leave main', () => {
  it('no withheld item text appears in any response payload', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        n++;
        const nhs = testNhs(n * 3);
        const source = new MemorySource();
        const session = new FakeSession();
        const audit = new RecordingAudit();
        const service = createRecordHandlers({
          source,
          policy: DEFAULT_POLICY,
          session,
          audit,
          clock: new TestClock(Date.parse('2026-11-24T10:00:00Z')),
          config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS' } },
        });
        // Each item's every text field carries a unique marker, so any leak of any part of it is found.
        const marker = (i: number, field: string) => `ZQ${i}X${field}QZ`;
        const withheld: string[] = [];
        const built = items(nhs, (b) => {
          s.items.forEach((spec: ItemSpec, i) => {
            const o = { ...(spec.sensitive ? { sensitive: spec.sensitive } : {}), private: spec.private };
            const t = marker(i, 't');
            const d = marker(i, 'd');
            const withheldHere =
              spec.private || (spec.sensitive !== null && s.prefs.sensitive === 'excluded');
            // Only the item kinds that carry sensitivity/private options can be withheld.
            const canWithhold = ['medication', 'problem', 'procedure'].includes(spec.kind);
            if (withheldHere && canWithhold) withheld.push(t, d);
            switch (spec.kind) {
              case 'medication':
                return b.medication(t, d, '2020-01-01', 'active', o);
              case 'problem':
                return b.problem(t, '2020-01-01', false, o);
              case 'procedure':
                return b.procedure(t, '2020-01-01', o);
              case 'allergy':
                return b.allergy(t, d, 'medication', 'low', '2020-01-01');
              case 'immunisation':
                return b.immunisation(t, '2020-01-01');
              case 'eol':
                return b.carePlan('end-of-life', t, '2020-01-01');
              case 'flag':
                return b.communicationPreference(t, '2020-01-01');
              case 'encounter':
                return b.encounter({ code: 'RX9', name: d, type: 'ambulance' }, t, '2020-01-01');
              case 'investigation':
                return b.investigation(t, d, '2020-01-01');
              case 'referral':
                return b.referral({ code: 'RTG', name: d, type: 'acute' }, t, '2020-01-01');
            }
          });
        });
        source.add({
          summary: summary(nhs),
          items: built,
          care: { registeredWith: s.registeredHere ? s.org[0] : 'ELSEWHERE', referredTo: [], treatedBy: [] },
          preferences: s.prefs,
        });
        session.signIn({ orgCode: s.org[0], orgType: s.org[1], activities: s.activities });

        const payloads: string[] = [];
        const call = async <K extends keyof typeof service.handlers>(
          name: K,
          req: Parameters<(typeof service.handlers)[K]>[0],
        ) => {
          try {
            const handler = service.handlers[name] as (r: unknown) => unknown;
            payloads.push(JSON.stringify(channels[name].response.parse(await handler(req))));
          } catch (err) {
            payloads.push(JSON.stringify({ ...(err as object), message: (err as Error).message }));
          }
        };
        await call('encounter.open', { nhsNumber: nhs });
        if (s.claim)
          await call('encounter.claimRelationship', { nhsNumber: nhs, reason: 'other', text: 'Covering' });
        if (s.choice === 'given' || s.choice === 'refused')
          await call('ptv.record', { choice: s.choice, nhsNumber: nhs });
        if (s.choice === 'emergency')
          await call('ptv.record', {
            choice: 'emergency',
            nhsNumber: nhs,
            reason: 'medical-emergency',
            text: 'x',
            pin: '123456',
          });
        if (s.choice === 'legal')
          await call('ptv.record', {
            choice: 'legal',
            nhsNumber: nhs,
            reasonCode: 2,
            text: 'x',
            pin: '123456',
          });
        await call('record.scr', { nhsNumber: nhs });
        await call('record.mig', { nhsNumber: nhs });
        await call('encounter.open', { nhsNumber: nhs });
        await call('preferences.get', { nhsNumber: nhs });
        await call('patients.search', { kind: 'nhs-number', nhsNumber: nhs });
        service.close();

        const all = payloads.join('\n');
        for (const text of withheld) expect(all).not.toContain(text);
        // The audit trail records section keys only, never item text.
        expect(JSON.stringify(audit.entries)).not.toMatch(/ZQ\d+X/);
      }),
      { numRuns: 400, seed: 20261124 },
    );
  });

  it('the property can see a leak: a shown item is found by the same search', async () => {
    // Guards the test itself: the marker search works on a real, released view.
    const nhs = testNhs(5);
    const source = new MemorySource();
    const session = new FakeSession();
    const service = createRecordHandlers({
      source,
      policy: DEFAULT_POLICY,
      session,
      audit: new RecordingAudit(),
      clock: new TestClock(Date.parse('2026-11-24T10:00:00Z')),
      config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS' } },
    });
    source.add({
      summary: summary(nhs),
      items: items(nhs, (b) => b.medication('ZQ0XtQZ', 'ZQ0XdQZ', '2020-01-01', 'active')),
      care: { registeredWith: 'C81007', referredTo: [], treatedBy: [] },
    });
    session.signIn({ orgCode: 'C81007', orgType: 'gp-practice', activities: ['B0370'] });
    await service.handlers['encounter.open']({ nhsNumber: nhs });
    await service.handlers['ptv.record']({ choice: 'given', nhsNumber: nhs });
    const out = JSON.stringify(await service.handlers['record.scr']({ nhsNumber: nhs }));
    expect(out).toContain('ZQ0XtQZ');
    expect(out).toContain('ZQ0XdQZ');
  });
});
