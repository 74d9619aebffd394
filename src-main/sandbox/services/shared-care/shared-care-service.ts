/**
 * The shared care record: plain FHIR R4 through medplum's FhirRouter (docs/specs/record-services.md).
 *   GET  Patient?identifier=<nhs-number system>|n, Patient/{id}
 *   GET  Condition | Procedure | MedicationStatement | AllergyIntolerance | Encounter | Observation | Immunization |
 *        ServiceRequest ?patient=Patient/{id} (any FHIR search the router supports), and reads by id
 *   POST [base] a batch Bundle of such GETs
 *   GET  Consent?patient=Patient/{id}, Consent/{id}, Consent/{id}/_history[/{vid}]
 *   PUT  Consent/{id}  needs If-Match: W/"<versionId>" (428 without, 412 when stale) and B0020; the body must be a
 *        readable sharing-preferences Consent for the same patient, recorded by the signed-in user
 *   POST Consent  only for a patient without one (409 otherwise: update it in place)
 * Nothing else is written. Organization reads and searches are allowed (encounters and referrals point at them).
 */
import type { Bundle, Consent } from '@medplum/fhirtypes';
import { Activities } from '../../../../src-shared/domain/rbac';
import { ConsentCodecError, decodeConsent } from '../../../records/shared-care/consent-codec';
import { NHS_NUMBER_SYSTEM } from '../../../domain/fhir-resources';
import { queryParams, type FhirStore, type FhirResult } from '../../fhir/store';
import { badRequest, forbidden, ServiceError } from '../../http/outcome';
import {
  jsonBody,
  resourceAnswer,
  type RecordService,
  type ServiceAnswer,
  type ServiceRequest,
} from '../../http/service';
import { searchAll } from '../lookup';
import { SHARED_CARE_SEARCHES } from '../../../records/remote/shared-care-client';

/** What the service holds: the patient, organisations, the record's clinical types (as the workstation searches them), Consent. */
export const SHARED_CARE_TYPES = ['Patient', 'Organization', ...SHARED_CARE_SEARCHES, 'Consent'] as const;

const READ_PATH = new RegExp(
  `^/(${SHARED_CARE_TYPES.join('|')})(/[A-Za-z0-9\\-.]{1,64}(/_history(/[A-Za-z0-9\\-.]{1,64})?)?)?$`,
);

function answer(r: FhirResult, baseUrl: string): ServiceAnswer {
  const body = r.body as { resourceType?: string; id?: string };
  const location: Record<string, string> =
    r.status === 201 && body.resourceType && body.id
      ? { location: `${baseUrl}/${body.resourceType}/${body.id}` }
      : {};
  return resourceAnswer(r.status, r.body, location);
}

/**
 * The Consent body, checked with the codec (plain-words 400 when it does not say what the patient wants); it must
 * name the signed-in user as who recorded it.
 */
function consentBody(req: ServiceRequest): Consent {
  const body = jsonBody(req);
  let recorded;
  try {
    recorded = decodeConsent(body);
  } catch (e) {
    if (e instanceof ConsentCodecError) throw badRequest(e.message, 'INVALID_VALUE', 'invalid');
    throw e;
  }
  if (recorded.by.userId !== req.user?.userId)
    throw forbidden('The Consent must name you as the one who recorded it');
  return body as Consent;
}

export function createSharedCareService(store: FhirStore): RecordService {
  function mayRecordConsent(req: ServiceRequest): void {
    if (!req.user?.activities.includes(Activities.recordConsentPreference))
      throw forbidden('Your role may not record sharing preferences (B0020)');
  }

  async function updateConsent(req: ServiceRequest, id: string): Promise<ServiceAnswer> {
    mayRecordConsent(req);
    const ifMatch = req.headers['if-match'];
    if (!ifMatch)
      throw new ServiceError(
        428,
        'required',
        'Send If-Match with the version you changed, e.g. W/"<versionId>"',
        'PRECONDITION_FAILED',
      );
    const body = consentBody(req);
    if (body.id !== id) throw badRequest('The Consent id does not match the URL', 'INVALID_VALUE', 'invalid');
    const current = store.repo.currentOf('Consent', id) as Consent | undefined;
    if (!current) throw new ServiceError(404, 'not-found', `No Consent ${id}`, 'RESOURCE_NOT_FOUND');
    const nhs = (c: Consent) => c.patient?.identifier?.value;
    if (nhs(body) !== nhs(current) || body.patient?.reference !== current.patient?.reference)
      throw badRequest('The Consent is for another patient', 'INVALID_VALUE', 'invalid');
    const r = await store.call('PUT', `/Consent/${id}`, {}, body, { 'if-match': ifMatch });
    if (r.status === 412)
      throw new ServiceError(
        412,
        'conflict',
        'The sharing preferences were changed by someone else: read them again',
        'PRECONDITION_FAILED',
      );
    return answer(r, req.baseUrl);
  }

  async function createConsent(req: ServiceRequest): Promise<ServiceAnswer> {
    mayRecordConsent(req);
    const body = consentBody(req);
    const nhs = body.patient?.identifier?.value as string;
    const [patient] = await searchAll(store, `Patient?identifier=${NHS_NUMBER_SYSTEM}|${nhs}`);
    if (!patient || body.patient?.reference !== `Patient/${patient.id}`)
      throw badRequest(
        'The Consent does not point at this patient in the shared care record',
        'INVALID_VALUE',
        'invalid',
      );
    const existing = await searchAll(store, `Consent?patient=Patient/${patient.id}`);
    if (existing.length > 0)
      throw new ServiceError(
        409,
        'conflict',
        'The patient already has a Consent: update it with If-Match',
        'VERSION_CONFLICT',
      );
    const { id: _id, meta: _meta, ...rest } = body;
    return answer(await store.call('POST', '/Consent', {}, rest), req.baseUrl);
  }

  async function batch(req: ServiceRequest): Promise<ServiceAnswer> {
    const body = jsonBody(req) as Bundle;
    if (body?.resourceType !== 'Bundle' || body.type !== 'batch' || !Array.isArray(body.entry))
      throw badRequest('Send a batch Bundle', 'INVALID_VALUE', 'invalid');
    for (const e of body.entry) {
      const url = e.request?.url ?? '';
      if (e.request?.method !== 'GET' || !READ_PATH.test(`/${url.split('?')[0] ?? ''}`))
        throw badRequest(
          'A batch here may hold only GETs of the shared care record',
          'INVALID_VALUE',
          'invalid',
        );
    }
    return answer(await store.call('POST', '/', {}, body), req.baseUrl);
  }

  return {
    name: 'sharedCare',
    needsUser: () => true,
    async handle(req) {
      const path = req.path;
      if (req.method === 'POST' && path === '/') return batch(req);
      if (!READ_PATH.test(path))
        throw new ServiceError(
          404,
          'not-found',
          `The shared care record has no ${path}`,
          'UNSUPPORTED_SERVICE',
        );
      if (req.method === 'GET')
        return answer(await store.call('GET', path, queryParams(req.query)), req.baseUrl);
      const consent = /^\/Consent(?:\/([A-Za-z0-9\-.]{1,64}))?$/.exec(path);
      if (consent && req.method === 'PUT' && consent[1]) return updateConsent(req, consent[1]);
      if (consent && req.method === 'POST' && !consent[1]) return createConsent(req);
      throw new ServiceError(
        405,
        'not-supported',
        `${req.method} is not allowed on ${path}`,
        'UNSUPPORTED_SERVICE',
      );
    },
  };
}
