/**
 * The access policy as a decision table: every combination of role activities, sharing preferences, legitimate
 * relationship, organisation (own practice / approved / expired / unlisted / unapproved type), permission-to-view
 * choice and item sensitivity, run through the records service. The expected outcome is computed below from the
 * spec's rules, written out plainly and independently of src-main/policy.
 */
import { describe, expect, it } from 'vitest';
import type { OrgType } from '../../../src-shared/domain/rbac';
import type { RecordView, SharingPreferences } from '../../../src-shared/domain/records';
import { createRecordHandlers } from '../../../src-main/services/record-handlers';
import type { Policy } from '../../../src-main/policy/policy-file';
import { toIpcError } from '../../../src-main/ipc/errors';
import { FakeSession, MemorySource, RecordingAudit, TestClock } from '../../support/records/fakes';
import { items, summary, testNhs } from '../../support/records/patients';

// ---- the world -------------------------------------------------------------------------------------------------
const TODAY_MS = Date.parse('2026-11-24T10:00:00Z');
const policy: Policy = {
  version: 1,
  activities: {
    viewRecords: ['B0370'],
    emergencyAccess: ['B0168'],
    legalOverride: ['B0082'],
    recordConsentPreference: ['B0020'],
  },
  mig: {
    approvedOrgTypes: ['ambulance', 'out-of-hours', 'community', 'social-care'],
    organisations: [
      { code: 'OOH01', assessmentExpires: '2027-01-01' },
      { code: 'OOH02', assessmentExpires: '2026-01-01' },
      { code: 'ACU01', assessmentExpires: '2027-01-01' },
    ],
  },
};
interface OrgCase {
  name: string;
  code: string;
  type: OrgType;
}
const ORGS: OrgCase[] = [
  { name: 'gp practice', code: 'GP001', type: 'gp-practice' },
  { name: 'approved out-of-hours', code: 'OOH01', type: 'out-of-hours' },
  { name: 'out-of-hours with expired assessment', code: 'OOH02', type: 'out-of-hours' },
  { name: 'unlisted out-of-hours', code: 'OOH03', type: 'out-of-hours' },
  { name: 'acute trust (type not approved)', code: 'ACU01', type: 'acute' },
];
type Lr = 'registered' | 'referred' | 'treating' | 'self-claimed' | 'none';
const LRS: Lr[] = ['registered', 'referred', 'treating', 'self-claimed', 'none'];
type Choice = 'not-asked' | 'given' | 'refused' | 'emergency-medical' | 'emergency-safeguarding' | 'legal';
const CHOICES: Choice[] = [
  'not-asked',
  'given',
  'refused',
  'emergency-medical',
  'emergency-safeguarding',
  'legal',
];
const ACTIVITY_CODES = ['B0370', 'B0168', 'B0082', 'B0020'] as const;
const PREFS: SharingPreferences[] = [];
for (const scr of ['opted-out', 'core', 'core-and-additional'] as const)
  for (const sensitive of ['excluded', 'included'] as const)
    for (const mig of ['share', 'dissent'] as const) PREFS.push({ scr, sensitive, mig });

/** The patient's items, described plainly: where each sits and whether it is sensitive or private. */
interface Described {
  text: string;
  place: 'core' | 'ai' | 'mig-only';
  sensitive: boolean;
  private: boolean;
}
const FULL: Described[] = [
  { text: 'T-med-plain', place: 'core', sensitive: false, private: false },
  { text: 'T-med-hiv', place: 'core', sensitive: true, private: false },
  { text: 'T-allergy', place: 'core', sensitive: false, private: false },
  { text: 'T-problem-plain', place: 'ai', sensitive: false, private: false },
  { text: 'T-problem-sti', place: 'ai', sensitive: true, private: false },
  { text: 'T-procedure-ivf', place: 'ai', sensitive: true, private: false },
  { text: 'T-procedure-termination', place: 'ai', sensitive: true, private: false },
  { text: 'T-problem-gender', place: 'ai', sensitive: true, private: false },
  { text: 'T-problem-private', place: 'ai', sensitive: false, private: true },
  { text: 'T-immunisation', place: 'ai', sensitive: false, private: false },
  // A care plan's entry text is its title; its description ('T-eol-plan') is the detail.
  { text: 'End of life care plan', place: 'ai', sensitive: false, private: false },
  { text: 'T-investigation', place: 'mig-only', sensitive: false, private: false },
];
const PLAIN = FULL.filter((d) => !d.sensitive && !d.private);
/** Items that appear in the MIG: everything except care plans (not a MIG section). */
const inMig = (d: Described) => d.text !== 'End of life care plan';

function build(nhs: string, withSensitive: boolean) {
  return items(nhs, (b) => {
    b.medication('T-med-plain', 'd', '2020-01-01', 'active');
    b.allergy('T-allergy', 'Rash', 'medication', 'low', '2020-01-01');
    b.problem('T-problem-plain', '2020-01-01', false);
    b.immunisation('T-immunisation', '2020-01-01');
    b.carePlan('end-of-life', 'T-eol-plan', '2020-01-01');
    b.investigation('T-investigation', 'ok', '2020-01-01');
    if (withSensitive) {
      b.medication('T-med-hiv', 'd', '2020-01-01', 'active', { sensitive: 'hiv' });
      b.problem('T-problem-sti', '2020-01-01', true, { sensitive: 'sti' });
      b.procedure('T-procedure-ivf', '2020-01-01', { sensitive: 'ivf' });
      b.procedure('T-procedure-termination', '2020-01-01', { sensitive: 'termination' });
      b.problem('T-problem-gender', '2020-01-01', false, { sensitive: 'gender-reassignment' });
      b.problem('T-problem-private', '2020-01-01', true, { private: true });
    }
  });
}

// ---- the rules, written plainly from docs/specs/access-policy.md -------------------------------------------------
interface Case {
  acts: string[];
  prefs: SharingPreferences;
  org: OrgCase;
  lr: Lr;
  choice: Choice;
  sensitiveItems: boolean;
}
type Outcome = { error: string } | { texts: string[]; withheld: boolean };

const canViewAtAll = (c: Case) =>
  c.acts.includes('B0370') || c.acts.includes('B0168') || c.acts.includes('B0082');

/** A self-claim is only accepted from someone who could then view (else it would be a pointless alert). */
function claimAccepted(c: Case): boolean {
  return c.lr === 'self-claimed' && canViewAtAll(c);
}

function hasLr(c: Case): boolean {
  return c.lr === 'registered' || c.lr === 'referred' || c.lr === 'treating' || claimAccepted(c);
}

function expectedPtv(c: Case): { recorded: boolean; error?: string } {
  if (c.choice === 'not-asked') return { recorded: false };
  if (!hasLr(c)) return { recorded: false, error: 'forbidden' };
  if (c.choice === 'given' && !c.acts.includes('B0370')) return { recorded: false, error: 'forbidden' };
  if (c.choice.startsWith('emergency') && !c.acts.includes('B0168'))
    return { recorded: false, error: 'forbidden' };
  if (c.choice === 'legal' && !c.acts.includes('B0082')) return { recorded: false, error: 'forbidden' };
  return { recorded: true };
}

/** Which basis the user holds after recording, or the state if no grant. */
function held(c: Case): 'none' | 'refused' | 'permission' | 'emergency' | 'legal' {
  if (!expectedPtv(c).recorded) return 'none';
  if (c.choice === 'refused') return 'refused';
  if (c.choice === 'given') return 'permission';
  if (c.choice === 'legal') return 'legal';
  return 'emergency';
}

function blockedBeforeContent(c: Case): string | null {
  if (!canViewAtAll(c)) return 'forbidden';
  if (!hasLr(c)) return 'forbidden';
  const h = held(c);
  if (h === 'refused') return 'refused';
  if (h === 'none') return 'ptv-required';
  return null;
}

function visible(list: Described[], d: Described, prefs: SharingPreferences) {
  if (d.private) return false;
  if (d.sensitive && prefs.sensitive !== 'included') return false;
  return list.includes(d);
}

function expectedScr(c: Case): Outcome {
  const blocked = blockedBeforeContent(c);
  if (blocked) return { error: blocked };
  if (c.prefs.scr === 'opted-out') return { error: 'refused' }; // even in an emergency, even under legal override
  const list = c.sensitiveItems ? FULL : PLAIN;
  const inScope = list.filter(
    (d) => d.place === 'core' || (d.place === 'ai' && c.prefs.scr === 'core-and-additional'),
  );
  const shown = inScope.filter((d) => visible(list, d, c.prefs));
  return { texts: shown.map((d) => d.text).sort(), withheld: shown.length < inScope.length };
}

function expectedMig(c: Case): Outcome {
  const blocked = blockedBeforeContent(c);
  if (blocked) return { error: blocked };
  const ownPractice = c.org.type === 'gp-practice' && c.lr === 'registered';
  const approved =
    ['ambulance', 'out-of-hours', 'community', 'social-care'].includes(c.org.type) &&
    c.org.code === 'OOH01'; /* listed, in date */
  if (!ownPractice && !approved) return { error: 'forbidden' };
  if (c.prefs.mig === 'dissent' && held(c) !== 'legal') return { error: 'refused' };
  const list = c.sensitiveItems ? FULL : PLAIN;
  const inScope = list.filter(inMig);
  const shown = inScope.filter((d) => visible(list, d, c.prefs));
  return { texts: shown.map((d) => d.text).sort(), withheld: shown.length < inScope.length };
}

// ---- running one case through the service -------------------------------------------------------------------------
const texts = (v: RecordView) => v.sections.flatMap((s) => s.entries.map((e) => e.text)).sort();

async function outcome(run: () => Promise<RecordView> | RecordView): Promise<Outcome> {
  try {
    const v = await run();
    return { texts: texts(v), withheld: v.withheld };
  } catch (err) {
    const typed = toIpcError(err);
    if (typed) return { error: typed.code };
    throw err;
  }
}

function cases(): Case[] {
  const out: Case[] = [];
  for (let mask = 0; mask < 16; mask++) {
    const acts = ACTIVITY_CODES.filter((_, i) => mask & (1 << i));
    for (const prefs of PREFS)
      for (const org of ORGS)
        for (const lr of LRS) {
          if (lr === 'registered' && org.type !== 'gp-practice') continue; // only a practice registers patients
          for (const choice of CHOICES)
            for (const sensitiveItems of [true, false])
              out.push({ acts: [...acts], prefs, org, lr, choice, sensitiveItems });
        }
  }
  return out;
}

describe('access decision table (service level)', () => {
  const all = cases();

  it(`covers every combination (${all.length} cases) with the expected view or refusal`, async () => {
    const session = new FakeSession();
    const audit = new RecordingAudit();
    const source = new MemorySource();
    const clock = new TestClock(TODAY_MS);
    const service = createRecordHandlers({
      source,
      policy,
      session,
      audit,
      clock,
      config: { encounter: { permissionHours: 8, overrideHours: 4 }, workstation: { id: 'WS-TEST' } },
    });
    const h = service.handlers;
    const nhsFull = testNhs(1);
    const nhsPlain = testNhs(50);
    source.add({
      summary: summary(nhsFull),
      items: build(nhsFull, true),
      care: { registeredWith: null, referredTo: [], treatedBy: [] },
    });
    source.add({
      summary: summary(nhsPlain),
      items: build(nhsPlain, false),
      care: { registeredWith: null, referredTo: [], treatedBy: [] },
    });

    const failures: string[] = [];
    for (const c of all) {
      const nhs = c.sensitiveItems ? nhsFull : nhsPlain;
      const p = source.patients.get(nhs)!;
      p.preferences = c.prefs;
      p.care = {
        registeredWith: c.lr === 'registered' ? c.org.code : 'ELSEWHERE',
        referredTo: c.lr === 'referred' ? [c.org.code] : ['SOMEONE'],
        treatedBy: c.lr === 'treating' ? [c.org.code] : [],
      };
      session.signIn({ orgCode: c.org.code, orgType: c.org.type, activities: c.acts });
      const label = JSON.stringify({ ...c, org: c.org.name });
      const before = audit.entries.length;

      await h['encounter.open']({ nhsNumber: nhs });
      if (c.lr === 'self-claimed') {
        let claimError: string | undefined;
        try {
          await h['encounter.claimRelationship']({
            nhsNumber: nhs,
            reason: 'treating-now',
            text: 'In clinic now',
          });
        } catch (err) {
          const typed = toIpcError(err);
          if (!typed) throw err;
          claimError = typed.code;
        }
        const want = claimAccepted(c) ? undefined : 'forbidden';
        if (claimError !== want)
          failures.push(`${label}: claim gave ${claimError ?? 'ok'}, expected ${want ?? 'ok'}`);
      }

      let ptvError: string | undefined;
      if (c.choice !== 'not-asked') {
        const req =
          c.choice === 'given' || c.choice === 'refused'
            ? { choice: c.choice, nhsNumber: nhs }
            : c.choice === 'legal'
              ? {
                  choice: 'legal' as const,
                  nhsNumber: nhs,
                  reasonCode: 1 as const,
                  text: 'Court order 123',
                  pin: '123456',
                }
              : {
                  choice: 'emergency' as const,
                  nhsNumber: nhs,
                  reason:
                    c.choice === 'emergency-medical'
                      ? ('medical-emergency' as const)
                      : ('safeguarding' as const),
                  text: 'Unconscious on arrival',
                  pin: '123456',
                };
        try {
          await h['ptv.record'](req);
        } catch (err) {
          const typed = toIpcError(err);
          if (!typed) throw err;
          ptvError = typed.code;
        }
      }
      const wantPtv = expectedPtv(c);
      if (ptvError !== wantPtv.error)
        failures.push(`${label}: ptv.record gave ${ptvError ?? 'ok'}, expected ${wantPtv.error ?? 'ok'}`);

      const scr = await outcome(() => h['record.scr']({ nhsNumber: nhs }));
      const mig = await outcome(() => h['record.mig']({ nhsNumber: nhs }));
      const wantScr = expectedScr(c);
      const wantMig = expectedMig(c);
      if (JSON.stringify(scr) !== JSON.stringify(wantScr))
        failures.push(`${label}: SCR ${JSON.stringify(scr)} expected ${JSON.stringify(wantScr)}`);
      if (JSON.stringify(mig) !== JSON.stringify(wantMig))
        failures.push(`${label}: MIG ${JSON.stringify(mig)} expected ${JSON.stringify(wantMig)}`);

      // Audit: every released view has its record-read; overrides and self-claims are recorded with their codes.
      const written = audit.entries.slice(before);
      const reads = written.filter((e) => e.kind === 'record-read');
      const expectedReads = ('texts' in wantScr ? 1 : 0) + ('texts' in wantMig ? 1 : 0);
      if (reads.length !== expectedReads)
        failures.push(`${label}: ${reads.length} record-read entries, expected ${expectedReads}`);
      const h2 = held(c);
      const scrRead = reads.find((r) => r.kind === 'record-read' && r.record !== 'mig');
      if (
        scrRead &&
        scrRead.kind === 'record-read' &&
        scrRead.record !== (c.prefs.scr === 'core-and-additional' ? 'scr-additional' : 'scr-core')
      ) {
        failures.push(`${label}: SCR read audited as ${scrRead.record}`);
      }
      for (const r of reads) {
        if (r.kind === 'record-read' && r.purpose !== (h2 === 'permission' ? 'TREAT' : 'ETREAT'))
          failures.push(`${label}: purpose ${r.purpose}`);
      }
      if (h2 === 'emergency') {
        const o = written.find((e) => e.kind === 'emergency-override');
        const code = c.choice === 'emergency-medical' ? 5 : 4;
        if (!o || o.kind !== 'emergency-override' || o.reasonCode !== code)
          failures.push(`${label}: emergency-override code ${code} missing`);
      }
      if (h2 === 'legal' && !written.some((e) => e.kind === 'legal-override' && e.reasonCode === 1))
        failures.push(`${label}: legal-override missing`);
      if (claimAccepted(c) && !written.some((e) => e.kind === 'lr-self-claim'))
        failures.push(`${label}: lr-self-claim missing`);
      if (!claimAccepted(c) && written.some((e) => e.kind === 'lr-self-claim'))
        failures.push(`${label}: unexpected lr-self-claim`);
      if (failures.length > 20) break;
    }
    service.close();
    expect(failures).toEqual([]);
  }, 120_000);
});
