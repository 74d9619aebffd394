/**
 * `stethoscope sandbox --out DIR`: the test record services (src-main/sandbox) on loopback over mutual TLS, with a
 * PKI, a card CA, demo clinician cards and a live-mode workstation configuration written to DIR. Runs until
 * SIGINT or SIGTERM, then stops cleanly and exits 0.
 */
import { resolve } from 'node:path';
import { DEMO_PATIENTS } from '../../records/demo-data/fixed-patients';
import { launchSandbox } from '../../sandbox/launch';
import { parseFlags, UsageError, type CliCommand } from '../command';

const patients = DEMO_PATIENTS.map(
  (p) =>
    `        ${p.nhsNumber}  ${p.key.padEnd(22)} ${p.name}${p.supersededNhsNumber ? ` (also answers ${p.supersededNhsNumber}, superseded)` : ''}`,
).join('\n');

function waitForSignal(): Promise<string> {
  return new Promise((res) => {
    const on = (sig: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      res(sig);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

export const sandboxCommand: CliCommand = {
  path: ['sandbox'],
  summary:
    'Runs the test record services (demographics, Summary Care Record, shared care record, audit repository) on\n' +
    '      https://HOST:PORT over mutual TLS with the synthetic population, until SIGINT/SIGTERM. Writes to DIR: pki/\n' +
    '      (sandbox CA, server and workstation certificates), card-ca/ (trust.pem), cards/<id>.json (demo cards for\n' +
    '      `stethoscope card emulate --profile`), live.json (a live-mode workstation configuration). Prints one JSON\n' +
    '      line when ready and one when stopped. Defaults: --host 127.0.0.1 --port 8443 --patients 200 --seed demo\n' +
    '      --workstation-id WS-SANDBOX-01. Fixed patients:\n' +
    patients,
  usage:
    'stethoscope sandbox --out DIR [--host H] [--port N] [--patients N] [--seed S] [--workstation-id ID]',
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      out: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8443' },
      patients: { type: 'string', default: '200' },
      seed: { type: 'string', default: 'demo' },
      'workstation-id': { type: 'string', default: 'WS-SANDBOX-01' },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) < 1 || Number(values.port) > 65535)
      throw new UsageError('--port must be 1 to 65535');
    if (!/^\d+$/.test(values.patients) || Number(values.patients) < 1 || Number(values.patients) > 100_000)
      throw new UsageError('--patients must be between 1 and 100000');
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/.test(values['workstation-id']))
      throw new UsageError('--workstation-id must be letters, digits, dots and dashes (at most 64)');
    const started = performance.now();
    const launched = await launchSandbox({
      out: resolve(values.out),
      host: values.host,
      port: Number(values.port),
      population: { patients: Number(values.patients), seed: values.seed },
      workstationId: values['workstation-id'],
      onError: (e, w) =>
        io.stderr(
          `sandbox: ${w.service} ${w.method} ${w.path} failed: ${e instanceof Error ? e.message : String(e)}\n`,
        ),
    });
    io.stdout(
      JSON.stringify({
        event: 'ready',
        origin: launched.origin,
        services: launched.sandbox.baseUrls,
        config: launched.configFile,
        cards: launched.cards.map((c) => ({
          id: c.id,
          file: c.file,
          ...(c.untrusted ? { untrusted: true } : {}),
        })),
        patients: launched.sandbox.loaded?.patients ?? 0,
        seconds: Math.round(performance.now() - started) / 1000,
      }) + '\n',
    );
    const signal = await waitForSignal();
    await launched.close();
    io.stdout(JSON.stringify({ event: 'stopped', signal }) + '\n');
    return 0;
  },
};
