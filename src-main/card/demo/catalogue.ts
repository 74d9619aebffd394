/**
 * The demo card set: invented clinicians and staff with role profiles at the demo organisations (the same ODS-style
 * codes as the records demo data), plus one card from a CA the workstation does not trust.
 */
import type { RoleProfile } from '../../../src-shared/domain/rbac';

export interface DemoCardSpec {
  id: string;
  label: string;
  description: string;
  displayName: string;
  userId: string;
  pin: string;
  roles: RoleProfile[];
  /** Issued by a second CA that is not among the trust anchors. */
  untrusted?: true;
}

const practice = { orgCode: 'C81007', orgName: 'Example Surgery', orgType: 'gp-practice' } as const;
const ooh = { orgCode: 'NWOOH1', orgName: 'Example Out of Hours Service', orgType: 'out-of-hours' } as const;
const ambulance = {
  orgCode: 'RX9',
  orgName: 'Example Ambulance Service NHS Trust',
  orgType: 'ambulance',
} as const;

const clinical = 'Clinical Practitioner Access Role';

export const DEMO_CARDS: readonly DemoCardSpec[] = [
  {
    id: 'gp',
    label: 'Dr Amara Okafor — GP',
    description: 'GP at Example Surgery: views records, emergency access, records consent preferences.',
    displayName: 'Dr Amara Okafor',
    userId: '555000000101',
    pin: '246810',
    roles: [
      {
        urid: '555000000101-01',
        ...practice,
        roleCode: 'R8000',
        roleName: clinical,
        activities: ['B0370', 'B0168', 'B0020'],
      },
    ],
  },
  {
    id: 'ooh-doctor',
    label: 'Dr Tomasz Nowicki — out-of-hours doctor',
    description: 'Out-of-hours doctor: views records and emergency access, no consent recording.',
    displayName: 'Dr Tomasz Nowicki',
    userId: '555000000102',
    pin: '135790',
    roles: [
      {
        urid: '555000000102-01',
        ...ooh,
        roleCode: 'R8000',
        roleName: clinical,
        activities: ['B0370', 'B0168'],
      },
    ],
  },
  {
    id: 'paramedic',
    label: 'Jess Penhaligon — paramedic',
    description: 'Paramedic at the ambulance trust: views records and emergency access.',
    displayName: 'Jess Penhaligon',
    userId: '555000000103',
    pin: '864200',
    roles: [
      {
        urid: '555000000103-01',
        ...ambulance,
        roleCode: 'R8003',
        roleName: 'Health Professional Access Role',
        activities: ['B0370', 'B0168'],
      },
    ],
  },
  {
    id: 'privacy-officer',
    label: 'Priya Raman — privacy officer',
    description: 'Privacy officer: receives override and self-claim alerts, views logs; no record access.',
    displayName: 'Priya Raman',
    userId: '555000000104',
    pin: '975310',
    roles: [
      {
        urid: '555000000104-01',
        ...practice,
        roleCode: 'R0001',
        roleName: 'Privacy Officer',
        activities: ['B0015', 'B0016', 'B0011'],
      },
    ],
  },
  {
    id: 'receptionist',
    label: 'Gareth Llewellyn — receptionist',
    description: 'Receptionist at Example Surgery: clerical role without record viewing (no B0370).',
    displayName: 'Gareth Llewellyn',
    userId: '555000000105',
    pin: '112358',
    roles: [
      {
        urid: '555000000105-01',
        ...practice,
        roleCode: 'R8010',
        roleName: 'Clerical Access Role',
        activities: ['B0020'],
      },
    ],
  },
  {
    id: 'two-roles',
    label: 'Dr Helen Marsh — GP and out-of-hours',
    description: 'Clinician with two role profiles: picks GP practice or out-of-hours after the PIN.',
    displayName: 'Dr Helen Marsh',
    userId: '555000000106',
    pin: '314159',
    roles: [
      {
        urid: '555000000106-01',
        ...practice,
        roleCode: 'R8000',
        roleName: clinical,
        activities: ['B0370', 'B0168', 'B0020'],
      },
      {
        urid: '555000000106-02',
        ...ooh,
        roleCode: 'R8000',
        roleName: clinical,
        activities: ['B0370', 'B0168'],
      },
    ],
  },
  {
    id: 'untrusted',
    label: 'Dr Victor Crane — card from another CA',
    description: 'A card issued by a CA this workstation does not trust: refused before any PIN is asked.',
    displayName: 'Dr Victor Crane',
    userId: '555000000199',
    pin: '999999',
    roles: [
      {
        urid: '555000000199-01',
        ...practice,
        roleCode: 'R8000',
        roleName: clinical,
        activities: ['B0370', 'B0168', 'B0020'],
      },
    ],
    untrusted: true,
  },
];
