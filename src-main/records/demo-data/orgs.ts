/**
 * Demo organisations with ODS-style codes. The demo smartcards carry role profiles at these organisations, so the
 * codes are configurable (CLI --org, or generator options) to follow the card demo if it changes.
 */
import type { Organisation } from '../../domain/record-items';

/** The organisations every demo population contains, by the part they play. */
export interface DemoOrganisations {
  /** The demo GP practice where the fixed demo patients are registered. */
  practice: Organisation;
  /** Another practice (patients there have no LR with the demo practice). */
  otherPractice: Organisation;
  outOfHours: Organisation;
  ambulance: Organisation;
  community: Organisation;
  socialCare: Organisation;
  acute: Organisation;
  pharmacy: Organisation;
}

export type DemoOrgRole = keyof DemoOrganisations;

export const DEFAULT_DEMO_ORGANISATIONS: DemoOrganisations = {
  practice: { code: 'C81007', name: 'Example Surgery', type: 'gp-practice' },
  otherPractice: { code: 'C81099', name: 'Moorside Medical Centre', type: 'gp-practice' },
  outOfHours: { code: 'NWOOH1', name: 'Example Out of Hours Service', type: 'out-of-hours' },
  ambulance: { code: 'RX9', name: 'Example Ambulance Service NHS Trust', type: 'ambulance' },
  community: { code: 'RY8', name: 'Example Community Health Services NHS Trust', type: 'community' },
  socialCare: { code: 'SC830', name: 'Example County Council Adult Social Care', type: 'social-care' },
  acute: { code: 'RTG', name: 'Example Royal Hospital NHS Foundation Trust', type: 'acute' },
  pharmacy: { code: 'FA123', name: 'Example Community Pharmacy', type: 'pharmacy' },
};

const ROLE_TYPES: Record<DemoOrgRole, Organisation['type']> = {
  practice: 'gp-practice',
  otherPractice: 'gp-practice',
  outOfHours: 'out-of-hours',
  ambulance: 'ambulance',
  community: 'community',
  socialCare: 'social-care',
  acute: 'acute',
  pharmacy: 'pharmacy',
};

function isDemoOrgRole(s: string): s is DemoOrgRole {
  return Object.prototype.hasOwnProperty.call(ROLE_TYPES, s);
}

/** Parses "ROLE=CODE" or "ROLE=CODE:Name" (the CLI's --org) into an override. */
export function parseOrgOverride(text: string): { role: DemoOrgRole; org: Organisation } {
  const m = /^([a-zA-Z]+)=([A-Z0-9]{3,8})(?::(.{1,100}))?$/.exec(text);
  if (!m) throw new Error(`--org wants ROLE=CODE[:Name], got "${text}"`);
  const role = m[1]!;
  if (!isDemoOrgRole(role))
    throw new Error(`--org: unknown role "${role}" (one of ${Object.keys(ROLE_TYPES).join(', ')})`);
  const code = m[2]!;
  return { role, org: { code, name: m[3] ?? DEFAULT_DEMO_ORGANISATIONS[role].name, type: ROLE_TYPES[role] } };
}

export function withOverrides(overrides: Partial<DemoOrganisations>): DemoOrganisations {
  const orgs = { ...DEFAULT_DEMO_ORGANISATIONS, ...overrides };
  const codes = Object.values(orgs).map((o) => o.code);
  if (new Set(codes).size !== codes.length) throw new Error('demo organisations must have distinct codes');
  return orgs;
}
