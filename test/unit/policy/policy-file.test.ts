/** The policy file: defaults from the spec, validation of a supplied file, and the MIG organisation gate. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import { capabilities, legitimateRelationship, migGate } from '../../../src-main/policy/engine';
import {
  DEFAULT_POLICY,
  PolicyFile,
  PolicyFileError,
  loadPolicy,
} from '../../../src-main/policy/policy-file';

const dir = mkdtempSync(join(tmpdir(), 'steth-h5-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const role = (orgCode: string, orgType: RoleProfile['orgType'], activities: string[]): RoleProfile => ({
  urid: 'u',
  orgCode,
  orgName: 'Org',
  orgType,
  roleCode: 'R8000',
  roleName: 'Clinical',
  activities,
});

describe('policy file', () => {
  it('the default policy is valid and follows the spec', () => {
    expect(PolicyFile.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY.mig.approvedOrgTypes.sort()).toEqual([
      'ambulance',
      'community',
      'out-of-hours',
      'social-care',
    ]);
    expect(loadPolicy(undefined)).toBe(DEFAULT_POLICY);
    expect(capabilities(DEFAULT_POLICY, role('X', 'acute', ['B0370', 'B0020']))).toEqual({
      viewRecords: true,
      emergencyAccess: false,
      legalOverride: false,
      recordConsentPreference: true,
    });
  });

  it('loads a valid file, and names the file and the field for an invalid one', () => {
    const good = join(dir, 'good.json');
    const custom = {
      ...DEFAULT_POLICY,
      activities: { ...DEFAULT_POLICY.activities, viewRecords: ['B0370', 'B0264'] },
    };
    writeFileSync(good, JSON.stringify(custom));
    expect(loadPolicy(good)).toEqual(custom);
    expect(capabilities(loadPolicy(good), role('X', 'acute', ['B0264'])).viewRecords).toBe(true);

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...DEFAULT_POLICY, mig: { approvedOrgTypes: ['spaceship'], organisations: [] } }),
    );
    expect(() => loadPolicy(bad)).toThrow(PolicyFileError);
    expect(() => loadPolicy(bad)).toThrow(/bad\.json is invalid:[\s\S]*→ at mig\.approvedOrgTypes\[0\]/);
    const extra = join(dir, 'extra.json');
    writeFileSync(extra, JSON.stringify({ ...DEFAULT_POLICY, everyoneSeesEverything: true }));
    expect(() => loadPolicy(extra)).toThrow(PolicyFileError);
    const notJson = join(dir, 'nope.json');
    writeFileSync(notJson, '{');
    expect(() => loadPolicy(notJson)).toThrow(/nope\.json/);
    expect(() => loadPolicy(join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });

  it('MIG gate: own practice passes, others need an approved type, a listing and an in-date assessment', () => {
    const p = {
      ...DEFAULT_POLICY,
      mig: { ...DEFAULT_POLICY.mig, organisations: [{ code: 'NWOOH1', assessmentExpires: '2026-11-24' }] },
    };
    expect(migGate(p, role('C81007', 'gp-practice', []), 'C81007', '2026-11-24')).toEqual({
      ok: true,
      via: 'own-practice',
    });
    expect(migGate(p, role('C81007', 'gp-practice', []), 'C81099', '2026-11-24')).toMatchObject({
      ok: false,
      why: 'org-type-not-approved',
    });
    expect(migGate(p, role('NWOOH1', 'out-of-hours', []), null, '2026-11-24')).toEqual({
      ok: true,
      via: 'approved',
    }); // last valid day
    expect(migGate(p, role('NWOOH1', 'out-of-hours', []), null, '2026-11-25')).toMatchObject({
      ok: false,
      why: 'assessment-expired',
      expired: '2026-11-24',
    });
    expect(migGate(p, role('RX9', 'ambulance', []), null, '2026-11-24')).toMatchObject({
      ok: false,
      why: 'org-not-listed',
    });
  });

  it('legitimate relationship: registered, referred, treating, else self-claimed or none', () => {
    const care = { registeredWith: 'A', referredTo: ['B'], treatedBy: ['C'] };
    expect(legitimateRelationship(care, 'A', false)).toBe('registered');
    expect(legitimateRelationship(care, 'B', false)).toBe('referred');
    expect(legitimateRelationship(care, 'C', false)).toBe('treating');
    expect(legitimateRelationship(care, 'D', true)).toBe('self-claimed');
    expect(legitimateRelationship(care, 'D', false)).toBe('none');
  });
});
