/**
 * The Summary Care Record service in the SCR API's shape (docs/specs/record-services.md):
 *   GET  DocumentReference?patient=<nhs-number system>|n[&type=..|196981000000101][&_sort=date][&_count=1]
 *        the latest SCR's identifier and the patient's SCR-ACSPermission (Yes / No / Ask); empty when none
 *   GET  Bundle?composition.identifier=<id>&composition.subject:Patient.identifier=<nhs-number system>|n
 *        the SCR: Composition (sections written now, under the patient's current Consent), Patient,
 *        Organization, coded Conditions and Observations; empty for an identifier that is not the latest;
 *        403 when the patient has opted out (permission No) or the role may not view summary records
 *   POST $setPermission   Parameters (NHS number, permission code); needs B0020
 *   POST AuditEvent       a privacy alert (SCR alert shape), stored by its id (a resend stores no second copy)
 */
import type { ZodError } from 'zod';
import { randomUUID } from 'node:crypto';
import type {
  Bundle,
  BundleEntry,
  Composition,
  DocumentReference,
  Organization,
  Resource,
} from '@medplum/fhirtypes';
import { Activities } from '../../../../src-shared/domain/rbac';
import { isValidNhsNumber } from '../../../../src-shared/domain/nhs-number';
import { NHS_NUMBER_SYSTEM } from '../../../domain/fhir-resources';
import type { FhirStore } from '../../fhir/store';
import { badRequest, forbidden, ServiceError } from '../../http/outcome';
import {
  jsonBody,
  resourceAnswer,
  type RecordService,
  type ServiceAnswer,
  type ServiceRequest,
} from '../../http/service';
import { GP_SUMMARY, SCR_ACS_PERMISSION, type ScrPermission } from '../../population/codes';
import { permissionLabel } from '../../population/scr';
import { currentPreferences, patientByNhs, searchAll } from '../lookup';
import { compositionSections, placementOf, releasable } from './composition-sections';
import { permittedCombination, ScrAlert, SetPermission } from './requests';
import { issuesText } from '../../../../src-shared/validation/issues';

const NHS_PREFIX = `${NHS_NUMBER_SYSTEM}|`;
const ITEM_TYPES = [
  'AllergyIntolerance',
  'MedicationRequest',
  'Condition',
  'Procedure',
  'Immunization',
  'CarePlan',
  'Flag',
  'Observation',
] as const;

const zodText = (e: ZodError) => issuesText(e, { max: 1, whole: 'the body' });

/** One query parameter that must appear once, or not at all when optional. */
function single(q: URLSearchParams, name: string, required: boolean): string | undefined {
  const all = q.getAll(name);
  if (all.length > 1) throw badRequest(`${name} may appear only once`);
  if (required && all.length === 0) throw badRequest(`${name} is required`, 'MISSING_VALUE', 'required');
  return all[0];
}

function onlyParams(q: URLSearchParams, allowed: readonly string[]): void {
  for (const k of q.keys())
    if (!allowed.includes(k)) throw badRequest(`Unknown parameter ${k}`, 'ADDITIONAL_PROPERTIES', 'invalid');
}

function nhsFrom(value: string | undefined, name: string): string {
  if (!value?.startsWith(NHS_PREFIX)) throw badRequest(`${name} must be ${NHS_PREFIX}<NHS number>`);
  const nhs = value.slice(NHS_PREFIX.length);
  if (!isValidNhsNumber(nhs) || !/^\d{10}$/.test(nhs)) throw badRequest(`${name} has no valid NHS number`);
  return nhs;
}

/** A searchset; total counts the matches, not the resources included with them. */
function searchset(entries: BundleEntry[]): Bundle {
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'searchset',
    total: entries.filter((e) => e.search?.mode !== 'include').length,
    entry: entries,
  };
}

function permissionOf(d: DocumentReference): ScrPermission | null {
  const code = d.securityLabel
    ?.flatMap((l) => l.coding ?? [])
    .find((c) => c.system === SCR_ACS_PERMISSION)?.code;
  return code === 'Yes' || code === 'No' || code === 'Ask' ? code : null;
}

/** Strips what only the service uses (placement and private tags) from an item before it leaves. */
function outgoing<T extends Resource>(r: T): T {
  const copy = structuredClone(r);
  const security = r.meta?.security;
  if (security?.length) copy.meta = { security };
  else delete copy.meta;
  return copy;
}

export function createScrService(stores: { scr: FhirStore; sharedCare: FhirStore }): RecordService {
  const { scr, sharedCare } = stores;

  async function latestDocument(nhs: string) {
    const patient = await patientByNhs(scr, nhs);
    if (!patient) return null;
    const docs = await searchAll<DocumentReference>(scr, `DocumentReference?subject=Patient/${patient.id}`);
    const latest = docs.sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? 1 : -1))[0];
    return latest ? { patient, document: latest } : null;
  }

  async function documentReference(req: ServiceRequest): Promise<ServiceAnswer> {
    onlyParams(req.query, ['patient', 'type', '_sort', '_count']);
    const nhs = nhsFrom(single(req.query, 'patient', true), 'patient');
    const type = single(req.query, 'type', false);
    if (type !== undefined && type !== `${GP_SUMMARY.system}|${GP_SUMMARY.code}`)
      throw badRequest(`type must be ${GP_SUMMARY.system}|${GP_SUMMARY.code}`);
    const sort = single(req.query, '_sort', false);
    if (sort !== undefined && sort !== 'date') throw badRequest('_sort supports only date');
    const count = single(req.query, '_count', false);
    if (count !== undefined && count !== '1') throw badRequest('_count supports only 1');
    const found = await latestDocument(nhs);
    if (!found) return { status: 200, body: searchset([]) };
    const { patient, document } = found;
    return {
      status: 200,
      body: searchset([
        {
          fullUrl: `${req.baseUrl}/DocumentReference/${document.id}`,
          resource: document,
          search: { mode: 'match' },
        },
        {
          fullUrl: `${req.baseUrl}/Patient/${patient.id}`,
          resource: {
            resourceType: 'Patient',
            id: patient.id,
            identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhs }],
          },
          search: { mode: 'include' },
        },
      ]),
    };
  }

  async function scrBundle(req: ServiceRequest): Promise<ServiceAnswer> {
    onlyParams(req.query, ['composition.identifier', 'composition.subject:Patient.identifier']);
    const identifier = single(req.query, 'composition.identifier', true) as string;
    const nhs = nhsFrom(
      single(req.query, 'composition.subject:Patient.identifier', true),
      'composition.subject:Patient.identifier',
    );
    if (!req.user?.activities.includes(Activities.viewSummaryRecords))
      throw forbidden('Your role may not view Summary Care Records (B0370)');
    const empty = {
      status: 200,
      body: {
        ...searchset([]),
        identifier: { system: 'https://tools.ietf.org/html/rfc4122', value: randomUUID() },
        timestamp: new Date().toISOString(),
      },
    };
    const found = await latestDocument(nhs);
    if (!found || found.document.masterIdentifier?.value?.toUpperCase() !== identifier.toUpperCase())
      return empty;
    const { patient, document } = found;
    if (permissionOf(document) === 'No')
      throw forbidden('The patient has opted out of the Summary Care Record: there is no consent to view it');
    const [composition] = await searchAll<Composition>(
      scr,
      `Composition?identifier=${encodeURIComponent(identifier)}&subject=Patient/${patient.id}`,
    );
    if (!composition) return empty;
    const prefs = await currentPreferences(sharedCare, nhs);
    // `patient` is a search parameter of every item type (subject or patient, where it is a Patient).
    const all = (
      await Promise.all(ITEM_TYPES.map((t) => searchAll(scr, `${t}?patient=Patient/${patient.id}`)))
    ).flat();
    const authorRef = composition.author?.[0]?.reference;
    const practice = authorRef
      ? await scr.repo.readReference<Organization>({ reference: authorRef }).catch(() => null)
      : null;
    const ods = practice?.identifier?.[0]?.value;
    const sections = compositionSections({
      items: all,
      prefs,
      updated: composition.date,
      practice: practice?.name && ods ? { name: practice.name, code: ods } : null,
    });
    const withAdditional = prefs.scr === 'core-and-additional';
    const coded = withAdditional
      ? all.filter((r) => {
          const place = placementOf(r);
          return (
            ((r.resourceType === 'Condition' && place === 'problems') ||
              (r.resourceType === 'Observation' && place === 'investigation')) &&
            releasable(r, prefs)
          );
        })
      : [];
    const entries: BundleEntry[] = [
      {
        fullUrl: `${req.baseUrl}/Composition/${composition.id}`,
        resource: { ...composition, section: sections },
      },
      { fullUrl: `${req.baseUrl}/Patient/${patient.id}`, resource: patient },
      ...(practice ? [{ fullUrl: `${req.baseUrl}/Organization/${practice.id}`, resource: practice }] : []),
      ...coded.map((r) => ({ fullUrl: `${req.baseUrl}/${r.resourceType}/${r.id}`, resource: outgoing(r) })),
    ];
    return {
      status: 200,
      body: {
        ...searchset(entries),
        identifier: { system: 'https://tools.ietf.org/html/rfc4122', value: randomUUID() },
        timestamp: new Date().toISOString(),
      },
    };
  }

  async function setPermission(req: ServiceRequest): Promise<ServiceAnswer> {
    if (!req.user?.activities.includes(Activities.recordConsentPreference))
      throw forbidden('Your role may not record consent (B0020)');
    const parsed = SetPermission.safeParse(jsonBody(req));
    if (!parsed.success)
      throw badRequest(`The Parameters are not valid (${zodText(parsed.error)})`, 'INVALID_VALUE', 'invalid');
    const [nhsPart, codePart] = parsed.data.parameter[0]!.part;
    if (!isValidNhsNumber(nhsPart.valueString)) throw badRequest('The NHS number is not valid');
    const found = await latestDocument(nhsPart.valueString);
    if (!found) throw badRequest('The patient was not found', 'RESOURCE_NOT_FOUND', 'invalid');
    await scr.repo.updateResource({
      ...found.document,
      securityLabel: permissionLabel(codePart.valueCoding.code),
    });
    return {
      status: 201,
      body: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'information', code: 'informational', details: { text: 'Permission updated' } }],
      },
    };
  }

  async function alert(req: ServiceRequest): Promise<ServiceAnswer> {
    const parsed = ScrAlert.safeParse(jsonBody(req));
    if (!parsed.success)
      throw badRequest(
        `The alert is not a valid SCR AuditEvent (${zodText(parsed.error)})`,
        'INVALID_VALUE',
        'invalid',
      );
    const a = parsed.data;
    const reason = a.subtype[0]!.code;
    if (!permittedCombination(a.type.code, reason))
      throw badRequest(
        `Alert type ${a.type.code} cannot have reason ${reason}`,
        'INVALID_VALUE',
        'business-rule',
      );
    const requestor = a.agent.find((g) => g.requestor);
    if (req.user && requestor && requestor.who.identifier.value !== req.user.userId)
      throw forbidden('The alert names another user than the token');
    const existed = (await scr.repo.readResource('AuditEvent', a.id).catch(() => null)) !== null;
    const stored = await scr.repo.updateResource(a as unknown as Resource);
    return resourceAnswer(existed ? 200 : 201, stored, { location: `${req.baseUrl}/AuditEvent/${a.id}` });
  }

  return {
    name: 'scr',
    // Alerts are audit deliveries: they may come from the workstation's queue after the user has gone, so the
    // channel (mutual TLS) authenticates them; a token sent with one is still checked.
    needsUser: (method, path) => !(method === 'POST' && path === '/AuditEvent'),
    async handle(req) {
      if (req.method === 'GET' && req.path === '/DocumentReference') return documentReference(req);
      if (req.method === 'GET' && req.path === '/Bundle') return scrBundle(req);
      if (req.method === 'POST' && req.path === '/$setPermission') return setPermission(req);
      if (req.method === 'POST' && req.path === '/AuditEvent') return alert(req);
      if (['/DocumentReference', '/Bundle', '/$setPermission', '/AuditEvent'].includes(req.path))
        throw new ServiceError(
          405,
          'not-supported',
          `${req.method} is not supported on ${req.path}`,
          'UNSUPPORTED_SERVICE',
        );
      throw new ServiceError(
        404,
        'not-found',
        `The Summary Care Record service has no ${req.path}`,
        'UNSUPPORTED_SERVICE',
      );
    },
  };
}
