/**
 * Word lists for the synthetic population: invented combinations of common names, made-up streets, and realistic
 * clinical items (free text only: no SNOMED/dm+d codes are claimed, so none can be wrong).
 */
import type { SensitiveCategory } from '../../domain/sensitivity';

export const GIVEN_FEMALE = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Mia',
  'Grace',
  'Sophie',
  'Ella',
  'Freya',
  'Lily',
  'Evie',
  'Poppy',
  'Ruby',
  'Alice',
  'Daisy',
  'Florence',
  'Margaret',
  'Jean',
  'Patricia',
  'Susan',
  'Linda',
  'Helen',
  'Sarah',
  'Karen',
  'Janet',
  'Ayesha',
  'Fatima',
  'Zara',
  'Priya',
  'Anjali',
  'Chloe',
  'Hannah',
  'Rebecca',
  'Joanne',
  'Nicola',
  'Claire',
  'Emma',
  'Lucy',
  'Maria',
  'Agnieszka',
  'Niamh',
  'Siobhan',
  'Rhiannon',
  'Eilidh',
  'Beatrice',
  'Harriet',
  'Edith',
  'Doris',
  'Irene',
];
export const GIVEN_MALE = [
  'Oliver',
  'George',
  'Noah',
  'Arthur',
  'Harry',
  'Leo',
  'Jack',
  'Charlie',
  'Oscar',
  'Jacob',
  'Thomas',
  'William',
  'James',
  'David',
  'John',
  'Michael',
  'Robert',
  'Peter',
  'Paul',
  'Andrew',
  'Mark',
  'Stephen',
  'Richard',
  'Mohammed',
  'Ali',
  'Yusuf',
  'Arjun',
  'Rohan',
  'Daniel',
  'Samuel',
  'Joseph',
  'Ryan',
  'Liam',
  'Connor',
  'Callum',
  'Rhys',
  'Owen',
  'Tomasz',
  'Kwame',
  'Emeka',
  'Dylan',
  'Ethan',
  'Frederick',
  'Harold',
  'Kenneth',
  'Dennis',
  'Alan',
  'Brian',
];
export const FAMILY = [
  'Ashworth',
  'Blackmore',
  'Calloway',
  'Dunmore',
  'Ellery',
  'Fairbairn',
  'Garside',
  'Hartwell',
  'Ingleby',
  'Jessop',
  'Kenward',
  'Lowther',
  'Marchbank',
  'Netherton',
  'Ormerod',
  'Pemberton',
  'Quarmby',
  'Ravensworth',
  'Sowerby',
  'Thwaite',
  'Underhill',
  'Varley',
  'Whitworth',
  'Yardley',
  'Aldous',
  'Brocklehurst',
  'Cattermole',
  'Dewhirst',
  'Eastwood',
  'Fothergill',
  'Greenhalgh',
  'Holroyd',
  'Illingworth',
  'Kershaw',
  'Lumb',
  'Midgley',
  'Nuttall',
  'Oldroyd',
  'Pickersgill',
  'Ramsbottom',
  'Shackleton',
  'Tattersall',
  'Uttley',
  'Waddington',
  'Akhtar',
  'Begum',
  'Chaudhry',
  'Desai',
  'Edwards-Mensah',
  'Farooqui',
  'Gill',
  'Hussain',
  'Iqbal',
  'Joshi',
  'Kowalczyk',
  'Lewandowska',
  'Mistry',
  'Nowak',
  'Okafor',
  'Patel',
  'Qureshi',
  'Rahman',
  'Sandhu',
  'Thakkar',
  'Uddin',
  'Vasquez',
  "O'Donnell",
  'McAllister',
  'Ap Rhys',
  'Baird',
  'Cunningham',
  'Doherty',
  'Ellison',
  'Gallagher',
  'Harrower',
  'Kilbride',
  'Lennox',
];
export const STREETS = [
  'Mill Lane',
  'Church Street',
  'Station Road',
  'Victoria Terrace',
  'Moor Lane',
  'Beck Side',
  'Chapel Row',
  'Park Avenue',
  'Orchard Close',
  'Quarry Hill',
  'Canal Walk',
  'Weavers Court',
  'Foundry Street',
  'Hollin Drive',
  'Ash Grove',
  'Heather Way',
  'Cross Lane',
  'Northgate',
  'Well Street',
  'Green Lane',
];
export const TOWNS: readonly { town: string; outward: string }[] = [
  { town: 'Ashby Moor', outward: 'AM1' },
  { town: 'Brackenfield', outward: 'BF2' },
  { town: 'Calderbrook', outward: 'CB3' },
  { town: 'Dunstall', outward: 'DN4' },
  { town: 'Eastholme', outward: 'EH5' },
  { town: 'Fellside', outward: 'FS6' },
  { town: 'Greystone', outward: 'GY7' },
  { town: 'Hollingworth', outward: 'HW8' },
];
export const PRACTICE_SUFFIX = [
  'Surgery',
  'Medical Centre',
  'Health Centre',
  'Medical Practice',
  'Family Practice',
];

export interface MedicationEntry {
  text: string;
  dose: string;
  minAge: number;
}
export const MEDICATIONS: readonly MedicationEntry[] = [
  { text: 'Amlodipine 5mg tablets', dose: 'One tablet once a day', minAge: 35 },
  { text: 'Ramipril 5mg capsules', dose: 'One capsule once a day', minAge: 35 },
  { text: 'Atorvastatin 20mg tablets', dose: 'One tablet at night', minAge: 35 },
  { text: 'Metformin 500mg tablets', dose: 'One tablet twice a day with food', minAge: 30 },
  { text: 'Levothyroxine 50microgram tablets', dose: 'One tablet each morning', minAge: 18 },
  { text: 'Omeprazole 20mg gastro-resistant capsules', dose: 'One capsule once a day', minAge: 18 },
  { text: 'Salbutamol 100micrograms/dose inhaler', dose: 'Two puffs when required', minAge: 2 },
  { text: 'Beclometasone 100micrograms/dose inhaler', dose: 'Two puffs twice a day', minAge: 5 },
  { text: 'Sertraline 50mg tablets', dose: 'One tablet once a day', minAge: 18 },
  { text: 'Citalopram 20mg tablets', dose: 'One tablet once a day', minAge: 18 },
  { text: 'Apixaban 5mg tablets', dose: 'One tablet twice a day', minAge: 50 },
  { text: 'Bisoprolol 2.5mg tablets', dose: 'One tablet once a day', minAge: 45 },
  { text: 'Furosemide 40mg tablets', dose: 'One tablet each morning', minAge: 55 },
  { text: 'Lansoprazole 15mg capsules', dose: 'One capsule once a day', minAge: 18 },
  { text: 'Paracetamol 500mg tablets', dose: 'Two tablets up to four times a day when required', minAge: 12 },
  {
    text: 'Co-codamol 30mg/500mg tablets',
    dose: 'Two tablets up to four times a day when required',
    minAge: 18,
  },
  { text: 'Gabapentin 300mg capsules', dose: 'One capsule three times a day', minAge: 30 },
  { text: 'Alendronic acid 70mg tablets', dose: 'One tablet once a week', minAge: 55 },
  { text: 'Adcal-D3 chewable tablets', dose: 'One tablet twice a day', minAge: 55 },
  {
    text: 'Combined oral contraceptive (ethinylestradiol/levonorgestrel)',
    dose: 'One tablet daily for 21 days',
    minAge: 16,
  },
  { text: 'Cetirizine 10mg tablets', dose: 'One tablet once a day when required', minAge: 6 },
  {
    text: 'Insulin glargine 100units/ml pre-filled pen',
    dose: 'As directed by the diabetes team',
    minAge: 10,
  },
  { text: 'Donepezil 10mg tablets', dose: 'One tablet at night', minAge: 65 },
  { text: 'Tamsulosin 400microgram capsules', dose: 'One capsule once a day', minAge: 50 },
  {
    text: 'Morphine sulfate 10mg/5ml oral solution',
    dose: '2.5ml to 5ml every four hours when required',
    minAge: 60,
  },
];

export interface AllergyEntry {
  substance: string;
  reaction: string;
  category: 'medication' | 'food' | 'environment';
  criticality: 'low' | 'high';
}
export const ALLERGIES: readonly AllergyEntry[] = [
  { substance: 'Penicillin', reaction: 'Rash', category: 'medication', criticality: 'low' },
  { substance: 'Penicillin', reaction: 'Anaphylaxis', category: 'medication', criticality: 'high' },
  { substance: 'Amoxicillin', reaction: 'Urticaria', category: 'medication', criticality: 'low' },
  { substance: 'Codeine', reaction: 'Vomiting', category: 'medication', criticality: 'low' },
  { substance: 'Ibuprofen', reaction: 'Bronchospasm', category: 'medication', criticality: 'high' },
  { substance: 'Trimethoprim', reaction: 'Rash', category: 'medication', criticality: 'low' },
  { substance: 'Latex', reaction: 'Contact dermatitis', category: 'environment', criticality: 'low' },
  { substance: 'Peanut', reaction: 'Anaphylaxis', category: 'food', criticality: 'high' },
  { substance: 'Shellfish', reaction: 'Angioedema', category: 'food', criticality: 'high' },
  { substance: 'Erythromycin', reaction: 'Diarrhoea', category: 'medication', criticality: 'low' },
  {
    substance: 'Elastoplast adhesive dressing',
    reaction: 'Skin irritation',
    category: 'environment',
    criticality: 'low',
  },
];

export interface ProblemEntry {
  text: string;
  minAge: number;
  resolved?: boolean;
}
export const PROBLEMS: readonly ProblemEntry[] = [
  { text: 'Essential hypertension', minAge: 35 },
  { text: 'Type 2 diabetes mellitus', minAge: 30 },
  { text: 'Asthma', minAge: 3 },
  { text: 'Chronic obstructive pulmonary disease', minAge: 45 },
  { text: 'Hypothyroidism', minAge: 18 },
  { text: 'Atrial fibrillation', minAge: 50 },
  { text: 'Ischaemic heart disease', minAge: 45 },
  { text: 'Heart failure', minAge: 55 },
  { text: 'Chronic kidney disease stage 3', minAge: 50 },
  { text: 'Osteoarthritis of knee', minAge: 45 },
  { text: 'Osteoporosis', minAge: 55 },
  { text: 'Depression', minAge: 16 },
  { text: 'Generalised anxiety disorder', minAge: 16 },
  { text: 'Epilepsy', minAge: 2 },
  { text: 'Dementia', minAge: 65 },
  { text: 'Gastro-oesophageal reflux disease', minAge: 18 },
  { text: 'Fracture of neck of femur', minAge: 60, resolved: true },
  { text: 'Appendicitis', minAge: 5, resolved: true },
  { text: 'Myocardial infarction', minAge: 45, resolved: true },
  { text: 'Cerebrovascular accident', minAge: 50, resolved: true },
  { text: 'Pulmonary embolism', minAge: 25, resolved: true },
  { text: 'Eczema', minAge: 0 },
  { text: 'Coeliac disease', minAge: 5 },
];

export interface ProcedureEntry {
  text: string;
  minAge: number;
}
export const PROCEDURES: readonly ProcedureEntry[] = [
  { text: 'Appendicectomy', minAge: 5 },
  { text: 'Total hip replacement', minAge: 55 },
  { text: 'Total knee replacement', minAge: 55 },
  { text: 'Coronary artery bypass graft', minAge: 50 },
  { text: 'Percutaneous coronary intervention with stent', minAge: 45 },
  { text: 'Cataract extraction with lens implant', minAge: 55 },
  { text: 'Laparoscopic cholecystectomy', minAge: 25 },
  { text: 'Caesarean section', minAge: 18 },
  { text: 'Tonsillectomy', minAge: 4 },
  { text: 'Insertion of cardiac pacemaker', minAge: 60 },
];

export const IMMUNISATIONS: readonly { text: string; minAge: number; maxAge?: number }[] = [
  { text: 'Seasonal influenza vaccination', minAge: 65 },
  { text: 'Pneumococcal polysaccharide vaccination', minAge: 65 },
  { text: 'Shingles vaccination', minAge: 70, maxAge: 80 },
  { text: 'COVID-19 vaccination', minAge: 12 },
  { text: 'MMR vaccination', minAge: 1 },
  { text: 'Tetanus, diphtheria and polio booster', minAge: 14 },
  { text: 'HPV vaccination', minAge: 12, maxAge: 40 },
];

export const ANTICIPATORY_CARE = [
  'Treatment escalation plan: for ward-based care, not for intensive care',
  'Falls risk: lives alone, uses a walking frame; key safe at front door',
  'Carer: daughter visits daily and holds lasting power of attorney for health and welfare',
  'Diabetes: hypoglycaemia plan agreed; glucagon kit at home',
];
export const END_OF_LIFE = [
  'Preferred place of care and death: home. DNACPR decision in place (original at home)',
  'Just-in-case medicines prescribed and at home; district nursing team involved',
  'Advance decision to refuse treatment: no artificial ventilation',
];
export const COMMUNICATION_PREFS = [
  'Communication: profoundly deaf, uses British Sign Language; book a BSL interpreter',
  'Communication: prefers Urdu; needs an interpreter for consultations',
  'Communication: learning disability; easy-read information, carer to be present',
  'Communication: registered blind; large print or telephone contact',
  'Communication: prefers Polish; needs an interpreter for consultations',
];
export const INVESTIGATIONS: readonly { text: string; value: () => string }[] = [
  { text: 'HbA1c', value: () => '48 mmol/mol' },
  { text: 'Serum creatinine', value: () => '92 umol/L' },
  { text: 'eGFR', value: () => '>90 mL/min/1.73m2' },
  { text: 'Full blood count', value: () => 'Within normal limits' },
  { text: 'Serum cholesterol', value: () => '5.1 mmol/L' },
  { text: 'Thyroid stimulating hormone', value: () => '2.4 mU/L' },
  { text: 'Urine dipstick', value: () => 'No abnormality detected' },
  { text: 'Electrocardiogram', value: () => 'Sinus rhythm' },
];
export const ENCOUNTER_TYPES = {
  outOfHours: 'Out-of-hours consultation',
  ambulance: 'Emergency ambulance attendance',
  community: 'District nurse home visit',
  acute: 'Emergency department attendance',
  socialCare: 'Social care needs assessment',
} as const;
export const REFERRAL_TYPES = {
  acute: [
    'Referral to cardiology',
    'Referral to orthopaedics',
    'Referral to ophthalmology',
    'Referral to diabetes clinic',
  ],
  community: [
    'Referral to district nursing',
    'Referral to community physiotherapy',
    'Referral to falls prevention service',
  ],
  socialCare: ['Referral to adult social care'],
} as const;

/** Sensitive items: which FHIR resource, the text, and the sensitivity category (labels in sensitivity.ts). */
export interface SensitiveEntry {
  kind: 'Condition' | 'Procedure' | 'MedicationStatement';
  text: string;
  category: SensitiveCategory;
  minAge: number;
  sex?: 'female' | 'male';
}
export const SENSITIVE: readonly SensitiveEntry[] = [
  { kind: 'Condition', text: 'Chlamydia trachomatis infection', category: 'sti', minAge: 16 },
  { kind: 'Condition', text: 'Genital herpes simplex', category: 'sti', minAge: 16 },
  { kind: 'Condition', text: 'Gonorrhoea', category: 'sti', minAge: 16 },
  { kind: 'Condition', text: 'Human immunodeficiency virus infection', category: 'hiv', minAge: 16 },
  {
    kind: 'MedicationStatement',
    text: 'Emtricitabine 200mg / tenofovir disoproxil 245mg tablets',
    category: 'hiv',
    minAge: 16,
  },
  {
    kind: 'Procedure',
    text: 'In vitro fertilisation treatment cycle',
    category: 'ivf',
    minAge: 22,
    sex: 'female',
  },
  { kind: 'Condition', text: 'Female infertility', category: 'ivf', minAge: 22, sex: 'female' },
  {
    kind: 'Procedure',
    text: 'Medical termination of pregnancy',
    category: 'termination',
    minAge: 16,
    sex: 'female',
  },
  { kind: 'Condition', text: 'Gender dysphoria', category: 'gender-reassignment', minAge: 18 },
  {
    kind: 'MedicationStatement',
    text: 'Testosterone 16.2mg/g gel (gender-affirming hormone therapy)',
    category: 'gender-reassignment',
    minAge: 18,
  },
];

/** Items a GP might mark private (never shared). */
export const PRIVATE_PROBLEMS = [
  'Bereavement counselling',
  'Domestic abuse disclosed (safeguarding record held at practice)',
  'Alcohol misuse counselling',
];
