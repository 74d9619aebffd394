/**
 * The random part of the synthetic population: demographics, clinical items scaled by age, sharing preferences with
 * a realistic spread, and contacts with out-of-hours, ambulance, community and hospital organisations.
 */
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import type { SharingPreferences } from '../../../src-shared/domain/records';
import type { Organisation } from '../../domain/record-items';
import { itemBuilder } from './builders';
import * as C from './catalogue';
import type { DemoOrganisations } from './orgs';
import { AS_OF, type GeneratedPatient } from './population-types';
import type { Rng } from './prng';

const AS_OF_MS = Date.parse(`${AS_OF}T00:00:00Z`);
const DAY = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A date between `from` (ISO date) and AS_OF. */
function dateBetween(rng: Rng, fromMs: number): string {
  const span = Math.max(1, Math.floor((AS_OF_MS - fromMs) / DAY));
  return isoDate(fromMs + rng.int(0, span - 1) * DAY);
}

/**
 * `count` distinct valid NHS numbers in 999 100 000 – 999 999 999, in ascending order (ascending inserts keep the
 * clustered item table compact). A seed-derived stride scatters them over the range.
 */
export function randomNhsNumbers(rng: Rng, count: number): string[] {
  const RANGE = 900_000; // the six digits after 999, from 100000
  if (count > RANGE * 0.85) throw new Error(`at most ${Math.floor(RANGE * 0.85)} random patients`);
  const stride = 7919; // prime, coprime with 900000, so i -> (i*stride + offset) mod RANGE is a bijection
  const offset = rng.int(0, RANGE - 1);
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const six = ((i * stride + offset) % RANGE) + 100_000;
    const nine = `999${six}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) out.push(`${nine}${check}`);
  }
  return out.sort();
}

/** Generated GP practices: the demo practice's share is fixed; the rest share out the remainder. */
export function generatedPractices(rng: Rng, patientCount: number): Organisation[] {
  const n = Math.max(3, Math.ceil(patientCount / 4000));
  const letters = 'BDFGJKLMNPY';
  const seen = new Set<string>();
  const out: Organisation[] = [];
  while (out.length < n) {
    const code = `${rng.pick([...letters])}${String(rng.int(10000, 99999))}`;
    if (seen.has(code)) continue;
    seen.add(code);
    const town = rng.pick(C.TOWNS).town;
    out.push({
      code,
      name: `${rng.pick(C.FAMILY.filter((f) => /^[A-Z][a-z]+$/.test(f)))} ${town} ${rng.pick(C.PRACTICE_SUFFIX)}`,
      type: 'gp-practice',
    });
  }
  return out;
}

function preferences(rng: Rng): { prefs: SharingPreferences; statement?: string } {
  const r = rng.next();
  const scr: SharingPreferences['scr'] = r < 0.06 ? 'opted-out' : r < 0.66 ? 'core' : 'core-and-additional';
  const sensitive: SharingPreferences['sensitive'] =
    scr === 'core-and-additional' && rng.chance(0.2) ? 'included' : 'excluded';
  const mig: SharingPreferences['mig'] = rng.chance(0.05) ? 'dissent' : 'share';
  const prefs = { scr, sensitive, mig };
  if (scr === 'core' && sensitive === 'excluded' && mig === 'share') return { prefs };
  const parts = [
    scr === 'opted-out'
      ? 'I do not want a Summary Care Record.'
      : scr === 'core-and-additional'
        ? 'Please add Additional Information to my record.'
        : '',
    sensitive === 'included' ? 'I agree to sensitive information being included.' : '',
    mig === 'dissent' ? 'I do not want my GP record shared through the MIG.' : '',
  ];
  return { prefs, statement: parts.filter(Boolean).join(' ') };
}

export interface RandomContext {
  orgs: DemoOrganisations;
  practices: readonly Organisation[];
}

export function randomPatient(rng: Rng, nhs: string, ctx: RandomContext): GeneratedPatient {
  const female = rng.chance(0.51);
  const age = Math.min(99, Math.floor(Math.abs(rng.next() + rng.next() - 1) * 60 + rng.next() * 45));
  const birthMs = AS_OF_MS - (age * 365 + rng.int(1, 364)) * DAY;
  const birthDate = isoDate(birthMs);
  const since = (minAge: number) => dateBetween(rng, birthMs + Math.max(0, minAge) * 365 * DAY);
  const given = [rng.pick(female ? C.GIVEN_FEMALE : C.GIVEN_MALE)];
  if (rng.chance(0.4)) given.push(rng.pick(female ? C.GIVEN_FEMALE : C.GIVEN_MALE));
  const town = rng.pick(C.TOWNS);
  const b = itemBuilder(nhs);

  const eligible = <T extends { minAge: number; maxAge?: number }>(list: readonly T[]) =>
    list.filter((e) => age >= e.minAge && (e.maxAge === undefined || age <= e.maxAge));

  const burden = age < 18 ? 0.5 : age < 45 ? 1 : age < 70 ? 2 : 3;
  for (const m of rng.sample(
    eligible(C.MEDICATIONS).filter((m) => female || !m.text.includes('contraceptive')),
    rng.int(0, Math.round(2 * burden)),
  )) {
    b.medication(m.text, m.dose, since(m.minAge), rng.chance(0.8) ? 'active' : 'completed');
  }
  if (rng.chance(0.3)) {
    for (const a of rng.sample(C.ALLERGIES, rng.int(1, 2)))
      b.allergy(a.substance, a.reaction, a.category, a.criticality, since(0));
  }
  for (const p of rng.sample(eligible(C.PROBLEMS), rng.int(0, Math.round(1.5 * burden))))
    b.problem(p.text, since(p.minAge), p.resolved ?? false);
  for (const p of rng.sample(eligible(C.PROCEDURES), rng.int(0, age > 50 ? 2 : 1)))
    b.procedure(p.text, since(p.minAge));
  for (const i of rng.sample(eligible(C.IMMUNISATIONS), rng.int(0, 3)))
    b.immunisation(i.text, since(i.minAge));
  if (age > 70 && rng.chance(0.15))
    b.carePlan('anticipatory-care', rng.pick(C.ANTICIPATORY_CARE), since(age - 2));
  if (age > 75 && rng.chance(0.04)) b.carePlan('end-of-life', rng.pick(C.END_OF_LIFE), since(age - 1));
  if (rng.chance(0.05)) b.communicationPreference(rng.pick(C.COMMUNICATION_PREFS), since(0));
  if (rng.chance(0.06)) {
    const options = eligible(C.SENSITIVE).filter((e) => !e.sex || e.sex === (female ? 'female' : 'male'));
    if (options.length > 0) {
      const s = rng.pick(options);
      const o = { sensitive: s.category };
      if (s.kind === 'Condition') b.problem(s.text, since(s.minAge), rng.chance(0.5), o);
      else if (s.kind === 'Procedure') b.procedure(s.text, since(s.minAge), o);
      else b.medication(s.text, 'As directed by the specialist clinic', since(s.minAge), 'active', o);
    }
  }
  if (rng.chance(0.02)) b.problem(rng.pick(C.PRIVATE_PROBLEMS), since(16), true, { private: true });
  for (const inv of rng.sample(C.INVESTIGATIONS, rng.int(0, Math.round(burden))))
    b.investigation(inv.text, inv.value(), since(0));

  const o = ctx.orgs;
  if (rng.chance(0.12)) b.encounter(o.outOfHours, C.ENCOUNTER_TYPES.outOfHours, since(0));
  if (rng.chance(0.05 * burden)) b.encounter(o.ambulance, C.ENCOUNTER_TYPES.ambulance, since(0));
  if (rng.chance(0.08 * burden)) b.encounter(o.acute, C.ENCOUNTER_TYPES.acute, since(0));
  if (age > 65 && rng.chance(0.2)) b.encounter(o.community, C.ENCOUNTER_TYPES.community, since(0));
  if (age > 70 && rng.chance(0.05)) b.encounter(o.socialCare, C.ENCOUNTER_TYPES.socialCare, since(0));
  if (rng.chance(0.1 * burden)) b.referral(o.acute, rng.pick(C.REFERRAL_TYPES.acute), since(0));
  if (age > 60 && rng.chance(0.1)) b.referral(o.community, rng.pick(C.REFERRAL_TYPES.community), since(0));

  const r = rng.next();
  const gpCode =
    r < 0.01
      ? null
      : r < 0.11
        ? o.practice.code
        : r < 0.16
          ? o.otherPractice.code
          : rng.pick(ctx.practices).code;
  const { prefs, statement } = preferences(rng);
  const p: GeneratedPatient = {
    nhs,
    family: rng.pick(C.FAMILY),
    given,
    prefix: age < 16 ? (female ? 'Miss' : 'Master') : female ? rng.pick(['Mrs', 'Ms', 'Miss']) : 'Mr',
    birthDate,
    gender: female ? 'female' : 'male',
    addressLine: `${rng.int(1, 180)} ${rng.pick(C.STREETS)}, ${town.town}`,
    postcode: `${town.outward} ${rng.int(1, 9)}${rng.pick([...'ABDEFGHJLNPQRSTUWXYZ'])}${rng.pick([...'ABDEFGHJLNPQRSTUWXYZ'])}`,
    gpCode,
    items: b.items,
    relations: b.relations,
    preferences: prefs,
  };
  if (statement) p.preferenceStatement = statement;
  return p;
}
