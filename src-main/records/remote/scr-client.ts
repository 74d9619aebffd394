/**
 * The Summary Care Record client (SCR API shape, docs/specs/record-services.md section 5): the latest SCR's
 * DocumentReference (its identifier and the patient's SCR-ACSPermission), the record bundle read into an
 * ScrDocument (typed text only; no remote markup leaves this module), and `$setPermission`.
 */
import { z } from 'zod';
import { NHS_NUMBER_SYSTEM } from '../../domain/fhir-resources';
import { SCR_ACS_PERMISSION } from '../../domain/scr-api';
import type { ScrDocument } from '../../domain/scr-document';
import { SCR_DOCUMENT_TYPE, scrDocumentFromBundle } from '../scr/read-bundle';
import type { SourceContext } from '../source/types';
import { Searchset } from './fhir-answers';
import type { ServiceClient } from './service-client';

/** The patient's SCR consent as the SCR service holds it. */
export type ScrPermission = 'Yes' | 'No' | 'Ask';

export interface ScrLatest {
  /** masterIdentifier.value: names the record bundle to fetch. */
  identifier: string;
  permission: ScrPermission | null;
}

export interface ScrClient {
  latest(nhsNumber: string, ctx: SourceContext): Promise<ScrLatest | null>;
  record(nhsNumber: string, latest: ScrLatest, ctx: SourceContext): Promise<ScrDocument | null>;
  setPermission(nhsNumber: string, permission: ScrPermission, ctx: SourceContext): Promise<void>;
}

const DocumentReference = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  masterIdentifier: z.looseObject({ value: z.string().min(1).max(200) }),
  securityLabel: z
    .array(
      z.looseObject({
        coding: z
          .array(z.looseObject({ system: z.string().optional(), code: z.string().optional() }))
          .optional(),
      }),
    )
    .optional(),
});

function permissionOf(d: z.infer<typeof DocumentReference>): ScrPermission | null {
  const code = d.securityLabel
    ?.flatMap((l) => l.coding ?? [])
    .find((c) => c.system === SCR_ACS_PERMISSION)?.code;
  return code === 'Yes' || code === 'No' || code === 'Ask' ? code : null;
}

export function createScrClient(client: ServiceClient): ScrClient {
  return {
    async latest(nhsNumber, ctx) {
      const answer = await client.call(
        {
          method: 'GET',
          path: 'DocumentReference',
          query: {
            patient: `${NHS_NUMBER_SYSTEM}|${nhsNumber}`,
            type: `${SCR_DOCUMENT_TYPE.system}|${SCR_DOCUMENT_TYPE.code}`,
            _sort: 'date',
            _count: '1',
          },
          expect: (json) => {
            const first = Searchset.parse(json).entry[0];
            if (!first) return null;
            const d = DocumentReference.parse(first.resource);
            return { identifier: d.masterIdentifier.value, permission: permissionOf(d) };
          },
        },
        ctx,
      );
      return answer.ok ? answer.value : null;
    },

    async record(nhsNumber, latest, ctx) {
      const answer = await client.call(
        {
          method: 'GET',
          path: 'Bundle',
          query: {
            'composition.identifier': latest.identifier,
            'composition.subject:Patient.identifier': `${NHS_NUMBER_SYSTEM}|${nhsNumber}`,
          },
          expect: (json) => {
            // An empty searchset: the record was replaced between the two requests (or there is none). Only an
            // answer without entries can be one, so a bundle with entries goes straight to the reader, which
            // checks it whole (Searchset on it too would be a second pass over every resource).
            const entry = (json as { entry?: unknown } | null)?.entry;
            if (entry === undefined || (Array.isArray(entry) && entry.length === 0)) {
              const set = Searchset.safeParse(json);
              if (set.success && set.data.entry.length === 0) return null;
            }
            return scrDocumentFromBundle(json, { nhsNumber });
          },
        },
        ctx,
      );
      return answer.ok ? answer.value : null;
    },

    async setPermission(nhsNumber, permission, ctx) {
      await client.call(
        {
          method: 'POST',
          path: '$setPermission',
          body: {
            resourceType: 'Parameters',
            parameter: [
              {
                name: 'setPermissions',
                part: [
                  { name: 'nhsNumber', valueString: nhsNumber },
                  { name: 'permissionCode', valueCoding: { system: SCR_ACS_PERMISSION, code: permission } },
                ],
              },
            ],
          },
          expect: z.unknown(),
        },
        ctx,
      );
    },
  };
}
