/**
 * The access decisions, as pure functions of the role profile, the policy, the patient's care organisations and
 * preferences, and the encounter's permission to view. No I/O: the service gathers the facts, asks here, audits,
 * and only then releases anything.
 */
import type { RoleProfile } from '../../src-shared/domain/rbac';
import type { LegitimateRelationship, SharingPreferences } from '../../src-shared/domain/records';
import type { CareOrganisations } from '../domain/record-items';
import type { Policy } from './policy-file';

export interface Capabilities {
  viewRecords: boolean;
  emergencyAccess: boolean;
  legalOverride: boolean;
  recordConsentPreference: boolean;
}

/** What the role profile's activities allow under the policy. Rights come from activities, never job titles. */
export function capabilities(policy: Policy, role: RoleProfile): Capabilities {
  const has = (codes: readonly string[]) => codes.some((c) => role.activities.includes(c));
  return {
    viewRecords: has(policy.activities.viewRecords),
    emergencyAccess: has(policy.activities.emergencyAccess),
    legalOverride: has(policy.activities.legalOverride),
    recordConsentPreference: has(policy.activities.recordConsentPreference),
  };
}

/** May this role view shared records at all (with permission, in an emergency or under a legal override)? */
export function mayViewRecords(caps: Capabilities): boolean {
  return caps.viewRecords || caps.emergencyAccess || caps.legalOverride;
}

/** Registered with, referred to, or treated by the user's organisation; else a self-claim if one was made. */
export function legitimateRelationship(
  care: CareOrganisations,
  orgCode: string,
  selfClaimed: boolean,
): LegitimateRelationship {
  if (care.registeredWith === orgCode) return 'registered';
  if (care.referredTo.includes(orgCode)) return 'referred';
  if (care.treatedBy.includes(orgCode)) return 'treating';
  return selfClaimed ? 'self-claimed' : 'none';
}

export type MigGate =
  | { ok: true; via: 'own-practice' | 'approved' }
  | { ok: false; why: 'org-type-not-approved' | 'org-not-listed' | 'assessment-expired'; expired?: string };

/**
 * May this organisation receive MIG records? A GP practice looking at its own registered patient is not sharing
 * (it is the record's home), so it is not gated here; everyone else needs an approved type and an in-date
 * assessment. `today` is YYYY-MM-DD; the expiry date itself is still valid.
 */
export function migGate(
  policy: Policy,
  role: RoleProfile,
  registeredWith: string | null,
  today: string,
): MigGate {
  if (role.orgType === 'gp-practice' && registeredWith === role.orgCode)
    return { ok: true, via: 'own-practice' };
  if (!policy.mig.approvedOrgTypes.includes(role.orgType)) return { ok: false, why: 'org-type-not-approved' };
  const entry = policy.mig.organisations.find((o) => o.code === role.orgCode);
  if (!entry) return { ok: false, why: 'org-not-listed' };
  if (entry.assessmentExpires < today)
    return { ok: false, why: 'assessment-expired', expired: entry.assessmentExpires };
  return { ok: true, via: 'approved' };
}

/** Plain words for a closed MIG gate. */
export function migGateText(gate: Extract<MigGate, { ok: false }>): string {
  return gate.why === 'assessment-expired'
    ? `Your organisation's MIG security assessment expired on ${gate.expired}.`
    : 'Your organisation is not approved to view MIG records.';
}

export type Basis = 'permission' | 'emergency' | 'legal';

/** The encounter's permission to view as the engine needs it (expiry already applied). */
export type PtvFact = { state: 'not-asked' } | { state: 'refused' } | { state: 'granted'; basis: Basis };

export interface ReadFacts {
  policy: Policy;
  role: RoleProfile;
  relationship: LegitimateRelationship;
  ptv: PtvFact;
  preferences: SharingPreferences;
  registeredWith: string | null;
  today: string;
}

export type ReadDecision =
  | { allowed: true; basis: Basis; purpose: 'TREAT' | 'ETREAT'; includeAdditional: boolean }
  | { allowed: false; kind: DenialKind; message: string };

/** Why a read is denied: the role or relationship (forbidden), the patient (refused), or no permission yet. */
export type DenialKind = 'forbidden' | 'refused' | 'ptv-required';

const deny = (kind: DenialKind, message: string): ReadDecision => ({ allowed: false, kind, message });

/** The activity a basis needs: permission B0370, emergency B0168, legal B0082 (as mapped by the policy). */
function basisAllowed(caps: Capabilities, basis: Basis): boolean {
  return basis === 'permission'
    ? caps.viewRecords
    : basis === 'emergency'
      ? caps.emergencyAccess
      : caps.legalOverride;
}

function commonChecks(f: ReadFacts): ReadDecision | { basis: Basis } {
  const caps = capabilities(f.policy, f.role);
  if (!mayViewRecords(caps)) return deny('forbidden', 'Your role does not allow viewing shared records.');
  if (f.relationship === 'none') {
    return deny(
      'forbidden',
      'There is no legitimate relationship with this patient. Self-claim one to continue.',
    );
  }
  if (f.ptv.state === 'refused')
    return deny('refused', 'The patient refused permission to view in this encounter.');
  if (f.ptv.state === 'not-asked')
    return deny('ptv-required', 'Ask the patient for permission to view first.');
  if (!basisAllowed(caps, f.ptv.basis))
    return deny('forbidden', 'Your role does not allow this kind of access.');
  return { basis: f.ptv.basis };
}

/** May the SCR be read now, and with Additional Information? */
export function decideScr(f: ReadFacts): ReadDecision {
  const c = commonChecks(f);
  if ('allowed' in c) return c;
  // No override reaches an SCR that does not exist.
  if (f.preferences.scr === 'opted-out')
    return deny('refused', 'The patient has opted out of having a Summary Care Record.');
  return {
    allowed: true,
    basis: c.basis,
    purpose: c.basis === 'permission' ? 'TREAT' : 'ETREAT',
    includeAdditional: f.preferences.scr === 'core-and-additional',
  };
}

/**
 * Why a MIG dissent keeps the GP record closed, in words for this role: only someone who can make a legal override
 * is told that one would pass it.
 */
export function migDissentText(canLegalOverride: boolean): string {
  return canLegalOverride
    ? 'The patient has dissented from sharing their GP record through the MIG; only a legal override can pass this.'
    : 'The patient has dissented from sharing their GP record through the MIG, so it is not shown.';
}

/** May the MIG record be read now? */
export function decideMig(f: ReadFacts): ReadDecision {
  const c = commonChecks(f);
  if ('allowed' in c) return c;
  const gate = migGate(f.policy, f.role, f.registeredWith, f.today);
  if (!gate.ok) return deny('forbidden', migGateText(gate));
  // Emergency access does not pass a MIG dissent; only a legal override does. The dissent holds for the patient's
  // own practice too: this workstation's MIG view is the shared one, and the practice has its own clinical system.
  if (f.preferences.mig === 'dissent' && c.basis !== 'legal') {
    return deny('refused', migDissentText(capabilities(f.policy, f.role).legalOverride));
  }
  return {
    allowed: true,
    basis: c.basis,
    purpose: c.basis === 'permission' ? 'TREAT' : 'ETREAT',
    includeAdditional: false,
  };
}
