/**
 * What the SCR service accepts in request bodies, as zod schemas of the SCR API's shapes: the $setPermission
 * Parameters and the privacy alert AuditEvent (alert type 1 "Create LR (Self Claimed)" or 2 "Access Alert", one
 * reason subtype 1-6, three agents, the observer, the entities accessed), with the API's table of permitted
 * type/reason combinations.
 */
import { z } from 'zod';
import {
  SCR_ACS_PERMISSION,
  SCR_ALERT_REASON,
  SCR_ALERT_TYPE,
  SCR_NOTIFICATION_EXTENSION,
} from '../../population/codes';

export const SetPermission = z.object({
  resourceType: z.literal('Parameters'),
  parameter: z
    .array(
      z.object({
        name: z.literal('setPermissions'),
        part: z.tuple([
          z.object({ name: z.literal('nhsNumber'), valueString: z.string().regex(/^\d{10}$/, 'ten digits') }),
          z.object({
            name: z.literal('permissionCode'),
            valueCoding: z.object({
              system: z.literal(SCR_ACS_PERMISSION),
              code: z.enum(['Yes', 'No', 'Ask']),
            }),
          }),
        ]),
      }),
    )
    .length(1),
});

const Identifier = z.looseObject({ system: z.string().min(1), value: z.string().min(1) });

export const ScrAlert = z.looseObject({
  resourceType: z.literal('AuditEvent'),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id'),
  extension: z
    .array(z.looseObject({ url: z.literal(SCR_NOTIFICATION_EXTENSION), valueString: z.string().min(1) }))
    .min(1),
  type: z.looseObject({
    system: z.literal(SCR_ALERT_TYPE),
    code: z.enum(['1', '2']),
    display: z.string().min(1),
  }),
  subtype: z
    .array(
      z.looseObject({
        system: z.literal(SCR_ALERT_REASON),
        code: z.enum(['1', '2', '3', '4', '5', '6']),
        display: z.string().min(1),
      }),
    )
    .length(1),
  recorded: z.iso.datetime({ offset: true }),
  outcomeDesc: z.string().optional(),
  agent: z
    .array(
      z.looseObject({
        who: z.looseObject({ identifier: Identifier }),
        role: z.array(z.looseObject({ text: z.string() })).optional(),
        requestor: z.boolean(),
      }),
    )
    .length(3),
  source: z.looseObject({ observer: z.looseObject({ identifier: Identifier }) }),
  entity: z
    .array(
      z.looseObject({ what: z.looseObject({ identifier: z.looseObject({ value: z.string().min(1) }) }) }),
    )
    .min(1),
});
export type ScrAlert = z.infer<typeof ScrAlert>;

export { permittedCombination } from '../../../domain/scr-api';
