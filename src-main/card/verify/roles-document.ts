/**
 * The care-roles JSON carried inside the card's CMS SignedData (tag 5FFF10), field names as in the card profile spec.
 */
import { z } from 'zod';
import { RoleProfile } from '../../../src-shared/domain/rbac';

const isoInstant = z.string().datetime({ offset: true });

export const CareRolesDocument = z
  .object({
    version: z.literal(1),
    userId: z.string().regex(/^\d{12}$/),
    cardGuid: z.string().regex(/^[0-9a-fA-F]{32}$/),
    authCert: z.object({
      /** RFC 4514 string of the authentication certificate's issuer. */
      issuer: z.string().min(1),
      /** Serial number in hex. */
      serial: z.string().regex(/^[0-9a-fA-F]+$/),
    }),
    notBefore: isoInstant,
    notAfter: isoInstant,
    roles: z.array(RoleProfile),
  })
  .strict();
export type CareRolesDocument = z.infer<typeof CareRolesDocument>;
