/**
 * Fixed, named demo patients the UI and tests rely on. All invented. Their NHS numbers are in the 999 test range
 * with valid check digits and never collide with the random population (which starts at 999 1xx xxx).
 *
 * | key                   | name               | registered at      | SCR                 | sensitive | MIG     |
 * | core-only             | Olivia Brackley    | demo practice      | core                | excluded  | share   |
 * | sensitive-excluded    | Priya Hallam       | demo practice      | core-and-additional | excluded  | share   | has STI + IVF items and a private item
 * | sensitive-included    | Tom Fenwick        | demo practice      | core-and-additional | included  | share   | HIV items + a private item
 * | opted-out             | George Ashdown     | demo practice      | opted-out           | excluded  | share   |
 * | mig-dissent           | Maya Oduya         | demo practice      | core-and-additional | excluded  | dissent |
 * | end-of-life           | Edith Crowther     | demo practice      | core-and-additional | excluded  | share   | EoL + anticipatory care
 * | other-practice        | Ruth Trevannion    | the other practice | core                | excluded  | share   | LR only by self-claim
 * | ooh-treated           | Daniel Kerridge    | the other practice | core-and-additional | excluded  | share   | treated by OOH, referred to community
 * | unregistered          | Sam Tilbury        | none known         | core                | excluded  | share   | LR only by self-claim
 * | restricted            | Imogen Larkworthy  | demo practice      | core                | excluded  | share   | PDS restricted (R)
 * | superseded            | Arthur Pellow      | demo practice      | core-and-additional | excluded  | share   | earlier number superseded; all three medication kinds
 * | demographics-mismatch | Catherine Oyelaran | demo practice      | core                | excluded  | share   | shared care record differs from PDS
 * | namesake-practice     | Alex Marsden       | demo practice      | core                | excluded  | share   | same surname and birth date as the next
 * | namesake-other        | Alex Marsden       | the other practice | core                | excluded  | share   | told apart by gender, postcode and GP
 *
 * The last three are for the live record services (src-main/sandbox); the local SQLite source keeps them as plain
 * patients. `restricted`: PDS holds an address, telephone and GP but answers none of them (meta.security R).
 * `superseded`: PDS answers this record when asked for its earlier number (`supersededNhsNumber`), with the
 * current number as its id. `demographics-mismatch`: the shared care record spells the given name Katherine and
 * has the day and month of birth swapped (1984-03-12), so the workstation warns field by field. Arthur Pellow also
 * has an acute course, a discontinued repeat and repeat medication, for the SCR medication sections. The two Alex
 * Marsdens share a family name and birth date, so a search by name and date of birth finds both; their numbers come
 * after the superseded number, which keeps its place.
 */
import { nhsCheckDigit } from '../../../src-shared/domain/nhs-number';
import type { SharingPreferences } from '../../../src-shared/domain/records';
import { itemBuilder, type ItemBuilder } from './builders';
import type { DemoOrganisations } from './orgs';
import type { GeneratedPatient } from './population-types';

/** The n-th valid NHS number of the form 999 000 0nn + check digit (numbers with no valid check digit skipped). */
function fixedNhsNumber(n: number): string {
  let found = 0;
  for (let k = 1; k < 1000; k++) {
    const nine = `999000${String(k).padStart(3, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check === null) continue;
    if (++found === n) return `${nine}${check}`;
  }
  throw new Error('fixedNhsNumber: out of range');
}

export type DemoPatientKey =
  | 'core-only'
  | 'sensitive-excluded'
  | 'sensitive-included'
  | 'opted-out'
  | 'mig-dissent'
  | 'end-of-life'
  | 'other-practice'
  | 'ooh-treated'
  | 'unregistered'
  | 'restricted'
  | 'superseded'
  | 'demographics-mismatch'
  | 'namesake-practice'
  | 'namesake-other';

interface FixedSpec {
  key: DemoPatientKey;
  family: string;
  given: string[];
  prefix: string;
  birthDate: string;
  gender: 'male' | 'female';
  addressLine: string;
  postcode: string;
  registered: 'practice' | 'otherPractice' | null;
  preferences: SharingPreferences;
  statement?: string;
  items: (b: ItemBuilder, orgs: DemoOrganisations) => void;
  /** Live services only: see the header. */
  restricted?: true;
  superseded?: true;
  sharedCareDemographics?: GeneratedPatient['sharedCareDemographics'];
}

const CORE: SharingPreferences = { scr: 'core', sensitive: 'excluded', mig: 'share' };
const AI: SharingPreferences = { scr: 'core-and-additional', sensitive: 'excluded', mig: 'share' };

const SPECS: readonly FixedSpec[] = [
  {
    key: 'core-only',
    family: 'Brackley',
    given: ['Olivia', 'Jane'],
    prefix: 'Mrs',
    birthDate: '1956-03-14',
    gender: 'female',
    addressLine: '12 Mill Lane, Ashby Moor',
    postcode: 'AM1 4QT',
    registered: 'practice',
    preferences: CORE,
    items: (b) => {
      b.medication('Amlodipine 5mg tablets', 'One tablet once a day', '2019-05-02', 'active');
      b.medication('Atorvastatin 20mg tablets', 'One tablet at night', '2019-05-02', 'active');
      b.allergy('Penicillin', 'Anaphylaxis', 'medication', 'high', '1998-02-11');
      b.problem('Essential hypertension', '2019-04-20', false);
      b.immunisation('Seasonal influenza vaccination', '2025-10-06');
      b.investigation('Serum cholesterol', '5.4 mmol/L', '2026-03-01');
    },
  },
  {
    key: 'sensitive-excluded',
    family: 'Hallam',
    given: ['Priya'],
    prefix: 'Ms',
    birthDate: '1988-07-02',
    gender: 'female',
    addressLine: '3 Weavers Court, Ashby Moor',
    postcode: 'AM1 2HX',
    registered: 'practice',
    preferences: AI,
    statement: 'I would like Additional Information shared, but not anything sensitive.',
    items: (b, o) => {
      b.medication(
        'Salbutamol 100micrograms/dose inhaler',
        'Two puffs when required',
        '2010-09-01',
        'active',
      );
      b.medication(
        'Beclometasone 100micrograms/dose inhaler',
        'Two puffs twice a day',
        '2015-01-12',
        'active',
      );
      b.allergy('Ibuprofen', 'Bronchospasm', 'medication', 'high', '2011-06-30');
      b.problem('Asthma', '2004-03-10', false);
      b.problem('Chlamydia trachomatis infection', '2021-05-14', true, { sensitive: 'sti' });
      b.procedure('In vitro fertilisation treatment cycle', '2024-02-20', { sensitive: 'ivf' });
      b.problem('Bereavement counselling', '2023-08-01', true, { private: true });
      b.immunisation('COVID-19 vaccination', '2021-06-01');
      b.encounter(o.outOfHours, 'Out-of-hours consultation', '2025-12-27');
    },
  },
  {
    key: 'sensitive-included',
    family: 'Fenwick',
    given: ['Thomas', 'Edward'],
    prefix: 'Mr',
    birthDate: '1979-11-23',
    gender: 'male',
    addressLine: '41 Station Road, Brackenfield',
    postcode: 'BF2 7LP',
    registered: 'practice',
    preferences: { scr: 'core-and-additional', sensitive: 'included', mig: 'share' },
    statement: 'Please include my HIV diagnosis and treatment so that any clinician treating me knows.',
    items: (b) => {
      b.medication(
        'Emtricitabine 200mg / tenofovir disoproxil 245mg tablets',
        'One tablet once a day',
        '2017-02-01',
        'active',
        { sensitive: 'hiv' },
      );
      b.medication(
        'Omeprazole 20mg gastro-resistant capsules',
        'One capsule once a day',
        '2022-08-15',
        'active',
      );
      b.allergy('Trimethoprim', 'Rash', 'medication', 'low', '2016-04-04');
      b.problem('Human immunodeficiency virus infection', '2017-01-10', false, { sensitive: 'hiv' });
      b.problem('Gastro-oesophageal reflux disease', '2022-08-10', false);
      b.problem('Alcohol misuse counselling', '2020-02-02', true, { private: true });
      b.immunisation('Seasonal influenza vaccination', '2025-10-20');
    },
  },
  {
    key: 'opted-out',
    family: 'Ashdown',
    given: ['George'],
    prefix: 'Mr',
    birthDate: '1943-05-30',
    gender: 'male',
    addressLine: '7 Chapel Row, Ashby Moor',
    postcode: 'AM1 9RD',
    registered: 'practice',
    preferences: { scr: 'opted-out', sensitive: 'excluded', mig: 'share' },
    statement: 'I do not want a Summary Care Record.',
    items: (b, o) => {
      b.medication('Bisoprolol 2.5mg tablets', 'One tablet once a day', '2018-01-01', 'active');
      b.medication('Apixaban 5mg tablets', 'One tablet twice a day', '2018-01-01', 'active');
      b.allergy('Codeine', 'Vomiting', 'medication', 'low', '2005-05-05');
      b.problem('Atrial fibrillation', '2017-12-12', false);
      b.encounter(o.ambulance, 'Emergency ambulance attendance', '2026-02-14');
    },
  },
  {
    key: 'mig-dissent',
    family: 'Oduya',
    given: ['Maya'],
    prefix: 'Mrs',
    birthDate: '1967-09-09',
    gender: 'female',
    addressLine: '22 Quarry Hill, Calderbrook',
    postcode: 'CB3 1AA',
    registered: 'practice',
    preferences: { scr: 'core-and-additional', sensitive: 'excluded', mig: 'dissent' },
    statement: 'Share my Summary Care Record but do not share my GP record through the MIG.',
    items: (b, o) => {
      b.medication('Metformin 500mg tablets', 'One tablet twice a day with food', '2015-03-03', 'active');
      b.allergy('Latex', 'Contact dermatitis', 'environment', 'low', '2012-12-12');
      b.problem('Type 2 diabetes mellitus', '2015-02-20', false);
      b.investigation('HbA1c', '53 mmol/mol', '2026-06-01');
      b.referral(o.acute, 'Referral to diabetes clinic', '2026-06-10');
    },
  },
  {
    key: 'end-of-life',
    family: 'Crowther',
    given: ['Edith', 'May'],
    prefix: 'Mrs',
    birthDate: '1931-02-11',
    gender: 'female',
    addressLine: '2 Orchard Close, Ashby Moor',
    postcode: 'AM1 3EE',
    registered: 'practice',
    preferences: AI,
    statement: 'My daughter and I want the out-of-hours and ambulance teams to know my wishes.',
    items: (b, o) => {
      b.medication(
        'Morphine sulfate 10mg/5ml oral solution',
        '2.5ml to 5ml every four hours when required',
        '2026-09-01',
        'active',
      );
      b.medication('Furosemide 40mg tablets', 'One tablet each morning', '2024-01-01', 'active');
      b.allergy('Elastoplast adhesive dressing', 'Skin irritation', 'environment', 'low', '2019-09-09');
      b.problem('Heart failure', '2023-11-11', false);
      b.carePlan(
        'end-of-life',
        'Preferred place of care and death: home. DNACPR decision in place (original at home)',
        '2026-09-02',
      );
      b.carePlan(
        'anticipatory-care',
        'Carer: daughter visits daily and holds lasting power of attorney for health and welfare',
        '2026-09-02',
      );
      b.communicationPreference(
        'Communication: registered blind; large print or telephone contact',
        '2022-01-01',
      );
      b.encounter(o.community, 'District nurse home visit', '2026-10-20');
      b.referral(o.community, 'Referral to district nursing', '2026-09-02');
    },
  },
  {
    key: 'other-practice',
    family: 'Trevannion',
    given: ['Ruth'],
    prefix: 'Ms',
    birthDate: '1972-04-18',
    gender: 'female',
    addressLine: '9 Beck Side, Dunstall',
    postcode: 'DN4 6TT',
    registered: 'otherPractice',
    preferences: CORE,
    items: (b) => {
      b.medication('Levothyroxine 50microgram tablets', 'One tablet each morning', '2012-07-07', 'active');
      b.allergy('Shellfish', 'Angioedema', 'food', 'high', '2001-01-01');
      b.problem('Hypothyroidism', '2012-07-01', false);
    },
  },
  {
    key: 'ooh-treated',
    family: 'Kerridge',
    given: ['Daniel'],
    prefix: 'Mr',
    birthDate: '1960-08-08',
    gender: 'male',
    addressLine: '15 Foundry Street, Eastholme',
    postcode: 'EH5 8BN',
    registered: 'otherPractice',
    preferences: AI,
    statement: 'Happy for everything except sensitive information to be shared.',
    items: (b, o) => {
      b.medication('Ramipril 5mg capsules', 'One capsule once a day', '2016-06-06', 'active');
      b.medication('Gabapentin 300mg capsules', 'One capsule three times a day', '2025-01-15', 'active');
      b.allergy('Amoxicillin', 'Urticaria', 'medication', 'low', '1990-01-01');
      b.problem('Ischaemic heart disease', '2016-05-20', false);
      b.procedure('Percutaneous coronary intervention with stent', '2016-05-22');
      b.encounter(o.outOfHours, 'Out-of-hours consultation', '2026-10-30');
      b.referral(o.community, 'Referral to community physiotherapy', '2026-10-30');
      b.investigation('Electrocardiogram', 'Sinus rhythm', '2026-10-30');
    },
  },
  {
    key: 'unregistered',
    family: 'Tilbury',
    given: ['Samuel'],
    prefix: 'Mr',
    birthDate: '1995-12-05',
    gender: 'male',
    addressLine: '30 Canal Walk, Greystone',
    postcode: 'GY7 2PP',
    registered: null,
    preferences: CORE,
    items: (b) => {
      b.medication('Cetirizine 10mg tablets', 'One tablet once a day when required', '2024-04-01', 'active');
      b.allergy('Peanut', 'Anaphylaxis', 'food', 'high', '1999-06-06');
    },
  },
  {
    key: 'restricted',
    family: 'Larkworthy',
    given: ['Imogen'],
    prefix: 'Ms',
    birthDate: '1990-02-17',
    gender: 'female',
    addressLine: '5 Larch Walk, Ashby Moor',
    postcode: 'AM1 6NB',
    registered: 'practice',
    preferences: CORE,
    restricted: true,
    items: (b) => {
      b.medication('Sertraline 50mg tablets', 'One tablet once a day', '2025-03-10', 'active');
      b.allergy('Erythromycin', 'Diarrhoea', 'medication', 'low', '2008-08-08');
      b.problem('Depressive episode', '2025-03-01', false);
    },
  },
  {
    key: 'superseded',
    family: 'Pellow',
    given: ['Arthur', 'James'],
    prefix: 'Mr',
    birthDate: '1950-06-21',
    gender: 'male',
    addressLine: '18 Tannery Lane, Brackenfield',
    postcode: 'BF2 3RW',
    registered: 'practice',
    preferences: AI,
    statement: 'Please share my Additional Information with the teams who treat me.',
    superseded: true,
    items: (b) => {
      b.medication(
        'Amoxicillin 500mg capsules',
        'One capsule three times a day for 7 days',
        '2026-10-24',
        'active',
      );
      b.medication('Ramipril 5mg capsules', 'One capsule once a day', '2014-02-02', 'active');
      b.medication('Tamsulosin 400microgram capsules', 'One capsule once a day', '2019-09-19', 'active');
      b.medication('Simvastatin 40mg tablets', 'One tablet at night', '2012-05-05', 'completed');
      b.allergy('Penicillin', 'Rash', 'medication', 'low', '1985-07-07');
      b.problem('Benign prostatic hyperplasia', '2019-09-01', false);
      b.problem('Community-acquired pneumonia', '2026-10-24', false);
      b.immunisation('Pneumococcal polysaccharide vaccination', '2015-11-11');
    },
  },
  {
    key: 'demographics-mismatch',
    family: 'Oyelaran',
    given: ['Catherine'],
    prefix: 'Mrs',
    birthDate: '1984-12-03',
    gender: 'female',
    addressLine: '27 Ropewalk, Calderbrook',
    postcode: 'CB3 4LF',
    registered: 'practice',
    preferences: CORE,
    sharedCareDemographics: { given: ['Katherine'], birthDate: '1984-03-12' },
    items: (b, o) => {
      b.medication('Levothyroxine 50microgram tablets', 'One tablet each morning', '2018-06-06', 'active');
      b.problem('Hypothyroidism', '2018-06-01', false);
      b.encounter(o.acute, 'Emergency department attendance', '2026-08-14');
    },
  },
  {
    key: 'namesake-practice',
    family: 'Marsden',
    given: ['Alex'],
    prefix: 'Mr',
    birthDate: '1991-05-05',
    gender: 'male',
    addressLine: '4 Kiln Row, Ashby Moor',
    postcode: 'AM1 5PL',
    registered: 'practice',
    preferences: CORE,
    items: (b) => {
      b.medication('Omeprazole 20mg capsules', 'One capsule once a day', '2024-02-02', 'active');
    },
  },
  {
    key: 'namesake-other',
    family: 'Marsden',
    given: ['Alex'],
    prefix: 'Ms',
    birthDate: '1991-05-05',
    gender: 'female',
    addressLine: '31 Beck Side, Dunstall',
    postcode: 'DN4 6TW',
    registered: 'otherPractice',
    preferences: CORE,
    items: (b) => {
      b.medication('Desogestrel 75microgram tablets', 'One tablet once a day', '2023-03-03', 'active');
    },
  },
];

/** Patients before the superseded number's slot keep their numbers; later ones skip that slot. */
const SUPERSEDED_SLOT = 13;
const slotOf = (i: number) => (i + 1 < SUPERSEDED_SLOT ? i + 1 : i + 2);

export interface DemoPatientInfo {
  key: DemoPatientKey;
  nhsNumber: string;
  name: string;
  birthDate: string;
  /** The earlier number PDS superseded with this one (the `superseded` patient only). */
  supersededNhsNumber?: string;
}

/** The fixed demo patients' keys, NHS numbers and names (for --help, the UI tests and documentation). */
export const DEMO_PATIENTS: readonly DemoPatientInfo[] = SPECS.map((s, i) => ({
  key: s.key,
  nhsNumber: fixedNhsNumber(slotOf(i)),
  name: `${s.given[0]} ${s.family}`,
  birthDate: s.birthDate,
  // The superseded number has its own slot (after the first twelve), so no existing number moves.
  ...(s.superseded ? { supersededNhsNumber: fixedNhsNumber(SUPERSEDED_SLOT) } : {}),
}));

export function demoPatient(key: DemoPatientKey): DemoPatientInfo {
  const p = DEMO_PATIENTS.find((d) => d.key === key);
  if (!p) throw new Error(`no demo patient ${key}`);
  return p;
}

export function fixedPatients(orgs: DemoOrganisations): GeneratedPatient[] {
  return SPECS.map((s, i) => {
    const nhs = DEMO_PATIENTS[i]!.nhsNumber;
    const b = itemBuilder(nhs);
    s.items(b, orgs);
    const p: GeneratedPatient = {
      nhs,
      family: s.family,
      given: s.given,
      prefix: s.prefix,
      birthDate: s.birthDate,
      gender: s.gender,
      addressLine: s.addressLine,
      postcode: s.postcode,
      gpCode: s.registered === null ? null : orgs[s.registered].code,
      items: b.items,
      relations: b.relations,
      preferences: s.preferences,
    };
    if (s.statement) p.preferenceStatement = s.statement;
    const superseded = DEMO_PATIENTS[i]!.supersededNhsNumber;
    if (s.restricted || superseded)
      p.pds = {
        ...(s.restricted ? { restricted: true } : {}),
        ...(superseded ? { supersededNumbers: [superseded] } : {}),
      };
    if (s.sharedCareDemographics) p.sharedCareDemographics = s.sharedCareDemographics;
    return p;
  });
}
