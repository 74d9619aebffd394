/**
 * PDS Patient -> PatientView (src-shared/domain/patient-view.ts).
 *
 * Restricted (meta.security v3-Confidentiality R, or V): the address, telecom and GP are not read, kept or
 * shown, and the view says `restricted: true`. Superseded: PDS answers a retired number with the current
 * record, so when its id differs from the number asked for, the view gives both. An invalidated record
 * (REDACTED, which PDS answers with a 404 instead) is refused.
 */
import { nhsNumberProblem } from '../../../src-shared/domain/nhs-number';
import type { PatientName, PatientView } from '../../../src-shared/domain/patient-view';
import { NHS_NUMBER_SYSTEM } from '../../domain/fhir-resources';
import { parseJsonBody, parseShape, RecordShapeError } from '../remote-shape';
import { cleanText } from '../text-clean';
import {
  CONFIDENTIALITY_SYSTEM,
  PatientCore,
  PatientLocation,
  type Address,
  type HumanName,
} from './patient-schema';

export const PDS_PATIENT_MAX_BYTES = 1024 * 1024;

export interface PatientViewOptions {
  /** The NHS number that was asked for (to tell a superseded number). */
  requestedNhsNumber?: string;
  /** Which names, addresses and registrations are current (default: now). */
  now?: Date;
  maxBytes?: number;
}

const WHAT = 'the PDS Patient';

interface Dated {
  period?: { start?: string | undefined; end?: string | undefined } | undefined;
}

function isCurrent(item: Dated, today: string): boolean {
  const start = item.period?.start?.slice(0, 10);
  const end = item.period?.end?.slice(0, 10);
  return (!start || start <= today) && (!end || end >= today);
}

function confidentiality(core: PatientCore): 'normal' | 'restricted' | 'redacted' {
  const codes = (core.meta?.security ?? [])
    .filter((c) => c.system === undefined || c.system === CONFIDENTIALITY_SYSTEM)
    .map((c) => c.code);
  if (codes.includes('REDACTED')) return 'redacted';
  return codes.includes('R') || codes.includes('V') ? 'restricted' : 'normal';
}

function chooseName(names: readonly HumanName[], today: string): PatientName | null {
  const current = names.filter((n) => isCurrent(n, today));
  const name =
    current.find((n) => n.use === 'usual') ??
    current.find((n) => n.use !== 'old' && n.use !== 'maiden') ??
    names.find((n) => n.use === 'usual') ??
    names[0];
  if (!name) return null;
  const family = cleanText(name.family ?? '');
  const given = (name.given ?? []).map(cleanText).filter(Boolean);
  if (!family && given.length === 0) return null;
  const prefix = cleanText(name.prefix?.[0] ?? '');
  return prefix ? { family, given, prefix } : { family, given };
}

function chooseAddress(addresses: readonly Address[], today: string) {
  const current = addresses.filter((a) => a.use !== 'old' && isCurrent(a, today));
  const address = current.find((a) => a.use === 'home') ?? current[0];
  if (!address) return null;
  const line = (address.line ?? []).map(cleanText).filter(Boolean).slice(0, 2).join(', ');
  const postcode = cleanText(address.postalCode ?? '') || null;
  return line || postcode ? { line, postcode } : null;
}

function chooseGp(location: PatientLocation, today: string) {
  const gp = (location.generalPractitioner ?? []).find((g) => isCurrent(g.identifier, today));
  if (!gp) return null;
  const name = cleanText(gp.display ?? '');
  return name ? { odsCode: gp.identifier.value, name } : { odsCode: gp.identifier.value };
}

function describeKind(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a FHIR resource';
  const rt = (value as { resourceType?: unknown }).resourceType;
  return typeof rt === 'string'
    ? `a ${cleanText(rt).slice(0, 60)} resource`
    : 'a JSON object without a resourceType';
}

/** An already-parsed JSON value (a PDS Patient) -> PatientView (throws RecordShapeError). */
export function patientViewFromPds(value: unknown, options: PatientViewOptions = {}): PatientView {
  if ((value as { resourceType?: unknown } | null)?.resourceType !== 'Patient')
    throw new RecordShapeError('wrong-type', `not a PDS Patient: it is ${describeKind(value)}`);
  const core = parseShape(PatientCore, value, WHAT);
  if (nhsNumberProblem(core.id) !== null)
    throw new RecordShapeError(
      'invalid',
      `${WHAT} is not in the expected form: its id is not a valid NHS number`,
    );
  const listed = core.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value;
  if (listed !== undefined && listed !== core.id)
    throw new RecordShapeError(
      'invalid',
      `${WHAT} is not in the expected form: its id and NHS number differ`,
    );
  const kind = confidentiality(core);
  if (kind === 'redacted')
    throw new RecordShapeError('redacted', `${WHAT} is marked as invalidated (redacted) and cannot be used`);

  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const requested = options.requestedNhsNumber;
  const common = {
    nhsNumber: core.id,
    name: chooseName(core.name ?? [], today),
    born: core.birthDate ?? null,
    gender: core.gender ?? 'unknown',
    superseded: requested !== undefined && requested !== core.id ? { requested, current: core.id } : null,
  };
  if (kind === 'restricted') return { ...common, restricted: true };
  const location = parseShape(PatientLocation, value, WHAT);
  return {
    ...common,
    restricted: false,
    address: chooseAddress(location.address ?? [], today),
    gpPractice: chooseGp(location, today),
  };
}

/** The service's answer (bytes or text) -> PatientView: size cap, JSON, then patientViewFromPds. */
export function readPdsPatient(body: Uint8Array | string, options: PatientViewOptions = {}): PatientView {
  return patientViewFromPds(parseJsonBody(body, options.maxBytes ?? PDS_PATIENT_MAX_BYTES, WHAT), options);
}
