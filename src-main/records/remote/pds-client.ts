/**
 * The demographics client (PDS shape, docs/specs/record-services.md section 4): read one patient by NHS number
 * (404: no such patient; an answer about another number: the one asked for was superseded), and search by
 * demographics, best match first with the score PDS gives each (shown as a band, never preselected when partial).
 */
import type { PatientView } from '../../../src-shared/domain/patient-view';
import type { DemographicQuery, SourceContext } from '../source/types';
import { patientViewFromPds } from '../pds/patient-view';
import { RecordShapeError } from '../remote-shape';
import { Refusal } from '../../domain/errors';
import { OperationOutcome, Searchset } from './fhir-answers';
import type { ServiceClient } from './service-client';

/** How close a search result is: exact (score 1) or close (below 1). */
export type MatchBand = 'exact' | 'close';

export interface PdsMatch {
  patient: PatientView;
  band: MatchBand;
}

/** PDS's own limit on results per search. */
export const PDS_MAX_RESULTS = 50;

export interface PdsClient {
  read(nhsNumber: string, ctx: SourceContext): Promise<PatientView | null>;
  search(query: DemographicQuery, ctx: SourceContext): Promise<PdsMatch[]>;
}

export const bandOf = (score: number | undefined): MatchBand => (score === 1 ? 'exact' : 'close');

export function createPdsClient(client: ServiceClient): PdsClient {
  return {
    async read(nhsNumber, ctx) {
      const answer = await client.call(
        {
          method: 'GET',
          path: `Patient/${nhsNumber}`,
          expect: (json) => patientViewFromPds(json, { requestedNhsNumber: nhsNumber }),
          passThrough: [404],
        },
        ctx,
      );
      return answer.ok ? answer.value : null;
    },

    async search(q, ctx) {
      const query: Record<string, string> = {
        family: q.family,
        birthdate: `eq${q.birthDate}`,
        '_max-results': String(PDS_MAX_RESULTS),
      };
      if (q.given) query['given'] = q.given;
      if (q.fuzzy) query['_fuzzy-match'] = 'true';
      const answer = await client.call(
        {
          method: 'GET',
          path: 'Patient',
          query,
          expect: (json) => {
            // PDS answers too broad a search with 200 and an OperationOutcome (TOO_MANY_MATCHES).
            if (OperationOutcome.safeParse(json).success)
              throw new Refusal(
                'conflict',
                'More people match than can be listed. Add the given name, or search by NHS number.',
              );
            const set = Searchset.parse(json);
            return set.entry.map((e, i) => {
              if (e.resource.resourceType !== 'Patient')
                throw new RecordShapeError('wrong-type', `search result ${i + 1} is not a Patient`);
              return { patient: patientViewFromPds(e.resource), band: bandOf(e.search?.score) };
            });
          },
        },
        ctx,
      );
      if (!answer.ok) return [];
      // Best first, as PDS sends them; exact matches before close ones whatever the order sent.
      return [...answer.value].sort((a, b) => (a.band === b.band ? 0 : a.band === 'exact' ? -1 : 1));
    },
  };
}
