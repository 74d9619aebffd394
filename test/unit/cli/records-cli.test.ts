/**
 * `stethoscope records scr-view` and `stethoscope records patient-view`, run as the outside checks run them
 * (node bin/stethoscope.mjs): the view as JSON on stdout for a good file; exit 1 and a one-line reason on
 * stderr for a file that is not the right shape; --help.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatientView } from '../../../src-shared/domain/patient-view';
import { ScrView } from '../../../src-shared/domain/scr-view';
import { NHS, pdsPatient, scrBundle } from '../../support/records/scr-fixtures';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'bin/stethoscope.mjs');
/** Each run starts node and tsx and loads every command (about 2 s of CPU); the machine may be shared. */
const SPAWN_TIMEOUT = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function stethoscope(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir = '';
const file = (name: string, content: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'steth-records-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function oneLineReason(r: Run, expected: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(expected);
}

describe('stethoscope records scr-view', () => {
  it(
    'prints the SCR view as JSON for an SCR searchset bundle',
    async () => {
      const r = await stethoscope('records', 'scr-view', '--file', file('bundle.json', scrBundle()));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const view = ScrView.parse(JSON.parse(r.stdout));
      expect(view.sections.map((s) => s.key)).toEqual([
        'allergies',
        'medications-acute',
        'medications-repeat',
        'medications-discontinued',
        'problems',
        'additional-1',
      ]);
      expect(view.sourcePractice).toEqual({ name: 'Hollins Lane Surgery', odsCode: 'Y90001' });
    },
    SPAWN_TIMEOUT,
  );

  it(
    'exits 1 with a one-line reason for a file that is not an SCR searchset bundle',
    async () => {
      const [patient, broken, missing] = await Promise.all([
        stethoscope('records', 'scr-view', '--file', file('patient-as-bundle.json', pdsPatient())),
        stethoscope('records', 'scr-view', '--file', file('broken.json', '{"resourceType":')),
        stethoscope('records', 'scr-view', '--file', join(dir, 'missing.json')),
      ]);
      oneLineReason(
        patient,
        /^stethoscope records scr-view: .*patient-as-bundle\.json: not an SCR searchset bundle: it is a Patient resource\n$/,
      );
      oneLineReason(broken, /broken\.json: the SCR bundle is not valid JSON\n$/);
      oneLineReason(missing, /missing\.json: no such file\n$/);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'answers --help',
    async () => {
      const r = await stethoscope('records', 'scr-view', '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: stethoscope records scr-view --file BUNDLE\.json\n/);
    },
    SPAWN_TIMEOUT,
  );
});

describe('stethoscope records patient-view', () => {
  it(
    'prints the patient view as JSON for a PDS Patient',
    async () => {
      const r = await stethoscope('records', 'patient-view', '--file', file('patient.json', pdsPatient()));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const view = PatientView.parse(JSON.parse(r.stdout));
      expect(view).toMatchObject({
        nhsNumber: NHS.ffion,
        restricted: false,
        gpPractice: { odsCode: 'Y90001' },
      });
    },
    SPAWN_TIMEOUT,
  );

  it(
    'a restricted patient: no address or GP in the output; a superseded number: both numbers',
    async () => {
      const moved = file('current.json', pdsPatient({ id: NHS.current }));
      const [restricted, superseded] = await Promise.all([
        stethoscope('records', 'patient-view', '--file', file('r.json', pdsPatient({ restricted: true }))),
        stethoscope('records', 'patient-view', '--file', moved, '--nhs-number', NHS.retired),
      ]);
      expect(restricted.code).toBe(0);
      expect(JSON.parse(restricted.stdout)).toMatchObject({ restricted: true });
      expect(restricted.stdout).not.toMatch(/Wren|XX1 2XY|Y90001|01632/);

      expect(superseded.code).toBe(0);
      expect(JSON.parse(superseded.stdout).superseded).toEqual({
        requested: NHS.retired,
        current: NHS.current,
      });
    },
    SPAWN_TIMEOUT,
  );

  it(
    'exits 1 with a one-line reason for a file that is not a PDS Patient',
    async () => {
      oneLineReason(
        await stethoscope('records', 'patient-view', '--file', file('bundle-as-patient.json', scrBundle())),
        /^stethoscope records patient-view: .*bundle-as-patient\.json: not a PDS Patient: it is a Bundle resource\n$/,
      );
    },
    SPAWN_TIMEOUT,
  );

  it(
    'answers --help',
    async () => {
      const r = await stethoscope('records', 'patient-view', '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: stethoscope records patient-view --file PATIENT\.json/);
    },
    SPAWN_TIMEOUT,
  );
});
