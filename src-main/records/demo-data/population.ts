/**
 * The synthetic population as a stream of patients: the fixed demo patients first, then the seeded random ones.
 * Written to SQLite by write.ts and loaded into the test record services by src-main/sandbox. Deterministic: the
 * same options give the same patients in the same order. The patients are generated as they are read (750,000
 * fit through without being held at once), so the iterable can be walked only once.
 */
import type { Organisation } from '../../domain/record-items';
import { fixedPatients } from './fixed-patients';
import { generatedPractices, randomNhsNumbers, randomPatient } from './generate';
import { withOverrides, type DemoOrganisations } from './orgs';
import type { GeneratedPatient } from './population-types';
import { createRng } from './prng';

/** Who recorded the preferences that came with the population (history needs a who). */
export const REGISTRATION_CLERK = { id: '555000000090', name: 'Practice registration (demo data)' };

export interface PopulationOptions {
  /** Total patients, including the fixed demo patients. */
  patients: number;
  seed: string;
  organisations?: Partial<DemoOrganisations>;
}

export interface Population {
  /** The demo organisations by part played. */
  demo: DemoOrganisations;
  /** Every organisation: the demo ones, then the generated GP practices. */
  organisations: Organisation[];
  /** One pass only. */
  patients: Iterable<GeneratedPatient>;
}

export function generatePopulation(options: PopulationOptions): Population {
  if (!Number.isInteger(options.patients) || options.patients < 1)
    throw new Error('patients must be a positive integer');
  const demo = withOverrides(options.organisations ?? {});
  const fixed = fixedPatients(demo);
  const randomCount = Math.max(0, options.patients - fixed.length);
  const rng = createRng(`stethoscope-demo:${options.seed}`);
  const practices = generatedPractices(rng, options.patients);
  const numbers = randomNhsNumbers(rng, randomCount);
  const ctx = { orgs: demo, practices };
  function* all(): Generator<GeneratedPatient> {
    yield* fixed.slice(0, options.patients);
    for (const nhs of numbers) yield randomPatient(rng, nhs, ctx);
  }
  return { demo, organisations: [...Object.values(demo), ...practices], patients: all() };
}
