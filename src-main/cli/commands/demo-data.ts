/** `stethoscope demo-data`: writes a reproducible synthetic population (SQLite records file). */
import { parseFlags, UsageError, type CliCommand } from '../command';
import { DEMO_PATIENTS } from '../../records/demo-data/fixed-patients';
import {
  DEFAULT_DEMO_ORGANISATIONS,
  parseOrgOverride,
  type DemoOrganisations,
} from '../../records/demo-data/orgs';
import { writePopulation } from '../../records/demo-data/write';

const fixedList = DEMO_PATIENTS.map((p) => `        ${p.nhsNumber}  ${p.key.padEnd(19)} ${p.name}`).join(
  '\n',
);
const orgList = Object.entries(DEFAULT_DEMO_ORGANISATIONS)
  .map(([role, o]) => `        ${role.padEnd(14)} ${o.code.padEnd(7)} ${o.name} (${o.type})`)
  .join('\n');

export const demoDataCommand: CliCommand = {
  path: ['demo-data'],
  summary:
    'Writes a synthetic population (same seed, same file). Fixed demo patients, always included first:\n' +
    fixedList +
    '\n      Organisations (override with --org ROLE=CODE[:Name], repeatable):\n' +
    orgList,
  usage: 'stethoscope demo-data --patients N --out FILE [--seed S] [--force] [--org ROLE=CODE[:Name]]...',
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      patients: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: 'demo' },
      force: { type: 'boolean', default: false },
      org: { type: 'string', multiple: true },
    });
    if (!values.patients || !/^\d+$/.test(values.patients))
      throw new UsageError('--patients needs a whole number');
    const patients = Number(values.patients);
    if (patients < 1 || patients > 750_000) throw new UsageError('--patients must be between 1 and 750000');
    if (!values.out) throw new UsageError('--out FILE is required');
    const organisations: Partial<DemoOrganisations> = {};
    for (const text of values.org ?? []) {
      try {
        const { role, org } = parseOrgOverride(text);
        organisations[role] = org;
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const started = performance.now();
    const summary = writePopulation(values.out, { patients, seed: values.seed, organisations }, values.force);
    io.stdout(
      JSON.stringify({
        file: values.out,
        seed: values.seed,
        ...summary,
        seconds: Math.round(performance.now() - started) / 1000,
      }) + '\n',
    );
    return 0;
  },
};
