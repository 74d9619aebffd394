/**
 * `stethoscope records scr-view` and `stethoscope records patient-view`: read an SCR API searchset bundle or a
 * PDS Patient from a file and print, as JSON, the view main would send the renderer. The same readers as live
 * mode; for support staff checking what a service sent, and for outside checks. A file that is not the right
 * shape exits 1 with a one-line reason on stderr.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { nhsNumberProblem, normaliseNhsNumber } from '../../../src-shared/domain/nhs-number';
import { PDS_PATIENT_MAX_BYTES, readPdsPatient } from '../../records/pds/patient-view';
import { RecordShapeError, sizeText } from '../../records/remote-shape';
import { readScrBundle, SCR_BUNDLE_MAX_BYTES } from '../../records/scr/read-bundle';
import { parseFlags, UsageError, type CliCommand, type CliIo } from '../command';

const SCR_HELP = `Usage: stethoscope records scr-view --file BUNDLE.json

Reads an SCR API searchset Bundle (the answer to GET Bundle?composition.identifier=...) and prints, as JSON,
the SCR view main sends the renderer: the summary's title, last update and source practice, the Title
section's notes, then each section (core first, then Additional Information, then sections not known to the
workstation) with its key, code, title, withheld flag and its narrative as text blocks (headings, paragraphs,
lists, tables). No markup, attribute, link or style is kept; scripts, styles, images, SVG, MathML, forms and
embedded content are dropped (the last five reported in "omitted").
Options:
  --file FILE   the bundle (JSON, at most ${SCR_BUNDLE_MAX_BYTES / (1024 * 1024)} MB)
Exit 0: the view is on stdout. Exit 1: the file is not an SCR searchset bundle; stderr says why.
`;

const PATIENT_HELP = `Usage: stethoscope records patient-view --file PATIENT.json [--nhs-number N]

Reads a PDS Patient (the answer to GET Patient/{nhsNumber}) and prints, as JSON, the patient view main sends
the renderer: NHS number, name in use, date of birth, gender, current home address (first lines and
postcode) and registered GP practice. A restricted patient (meta.security R) has no address or GP in the
view, and "restricted": true.
Options:
  --file FILE       the Patient (JSON, at most ${PDS_PATIENT_MAX_BYTES / 1024} KB)
  --nhs-number N    the number that was asked for: if the Patient's id differs, the view says the number
                    was superseded and gives both
Exit 0: the view is on stdout. Exit 1: the file is not a PDS Patient; stderr says why.
`;

/** The file's bytes, refusing before reading one over the cap; plain words for what goes wrong. */
function readInput(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not allowed to read it' : 'cannot be read';
    throw new Error(`${file}: ${why}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new Error(`${file}: is a folder, not a file`);
    if (stat.size > maxBytes)
      throw new Error(`${file}: over the ${sizeText(maxBytes)} limit (${sizeText(stat.size)})`);
    return readFileSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw new Error(`${file}: cannot be read`);
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** Prints the view as JSON; a shape error becomes the one-line reason, prefixed with the file name. */
function printView(io: CliIo, file: string, make: () => unknown): number {
  let view: unknown;
  try {
    view = make();
  } catch (err) {
    if (err instanceof RecordShapeError) throw new Error(`${file}: ${err.message}`);
    throw err;
  }
  io.stdout(JSON.stringify(view, null, 2) + '\n');
  return 0;
}

export const scrViewCommand: CliCommand = {
  path: ['records', 'scr-view'],
  summary:
    'Prints, as JSON, the SCR view (text blocks only) main would send the renderer, from an SCR API searchset bundle.',
  usage: 'stethoscope records scr-view --file BUNDLE.json',
  help: SCR_HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, { file: { type: 'string' } });
    if (!values.file) throw new UsageError('--file FILE is required');
    const bytes = readInput(values.file, SCR_BUNDLE_MAX_BYTES);
    return printView(io, values.file, () => readScrBundle(bytes).view);
  },
};

export const patientViewCommand: CliCommand = {
  path: ['records', 'patient-view'],
  summary:
    'Prints, as JSON, the patient view main would send the renderer, from a PDS Patient (restricted and superseded rules applied).',
  usage: 'stethoscope records patient-view --file PATIENT.json [--nhs-number N]',
  help: PATIENT_HELP,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      file: { type: 'string' },
      'nhs-number': { type: 'string' },
    });
    if (!values.file) throw new UsageError('--file FILE is required');
    const asked = values['nhs-number'];
    if (asked !== undefined && nhsNumberProblem(asked) !== null)
      throw new UsageError(`--nhs-number: "${asked}" is not a valid NHS number`);
    const options = asked !== undefined ? { requestedNhsNumber: normaliseNhsNumber(asked) } : {};
    const bytes = readInput(values.file, PDS_PATIENT_MAX_BYTES);
    return printView(io, values.file, () => readPdsPatient(bytes, options));
  },
};

export const recordsCommands: CliCommand[] = [scrViewCommand, patientViewCommand];
