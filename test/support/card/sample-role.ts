/**
 * The role profile most card tests issue: a Clinical Practitioner Access Role at an invented GP surgery.
 */
import type { RoleProfile } from '../../../src-shared/domain/rbac';

export function sampleRole(userId: string, activities: string[] = ['B0370']): RoleProfile {
  return {
    urid: `${userId}-01`,
    orgCode: 'C81007',
    orgName: 'Example Surgery',
    orgType: 'gp-practice',
    roleCode: 'R8000',
    roleName: 'Clinical Practitioner Access Role',
    activities,
  };
}
