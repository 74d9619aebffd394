/**
 * The claims of the user's token (docs/specs/record-services.md, "The user's token"): who asks (workstation, user,
 * role profile, organisation, activities), for which service, for what reason, until when.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RoleProfile } from '../../../src-shared/domain/rbac';

/** The longest a token may live (exp - iat). */
export const MAX_TOKEN_LIFETIME_S = 600;

export const UserTokenClaims = z
  .object({
    /** The workstation. */
    iss: z.string().min(1),
    /** The user id; equals the certificate's UID. */
    sub: z.string().regex(/^\d{12}$/),
    /** The service's base URL, exactly. */
    aud: z.string().url(),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().positive(),
    jti: z.string().uuid(),
    /** The role profile (URID). */
    urid: z.string().min(1),
    /** The role profile's organisation (ODS code). */
    org: z.string().min(1),
    activities: z.array(z.string()),
    reason_for_request: z.literal('directcare'),
    requested_scope: z.literal('patient/*.read'),
  })
  .strict()
  .refine(
    (c) => c.exp > c.iat && c.exp - c.iat <= MAX_TOKEN_LIFETIME_S,
    'exp must be within 600 s after iat',
  );
export type UserTokenClaims = z.infer<typeof UserTokenClaims>;

export interface ClaimsInput {
  workstationId: string;
  userId: string;
  role: RoleProfile;
  audience: string;
  now: Date;
  lifetimeS: number;
}

export function userTokenClaims(input: ClaimsInput): UserTokenClaims {
  const iat = Math.floor(input.now.getTime() / 1000);
  return UserTokenClaims.parse({
    iss: input.workstationId,
    sub: input.userId,
    aud: input.audience,
    iat,
    exp: iat + input.lifetimeS,
    jti: randomUUID(),
    urid: input.role.urid,
    org: input.role.orgCode,
    activities: [...input.role.activities],
    reason_for_request: 'directcare',
    requested_scope: 'patient/*.read',
  });
}
