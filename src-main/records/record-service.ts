/**
 * The records service: patient search, record views and sharing preferences. It fetches and filters; whether a
 * record may be read at all is the encounter's decision (an AccessGrant). Every read is audited before anything
 * is returned, and a failed audit write releases nothing.
 */
import type { PatientSummary, RecordView } from '../../src-shared/domain/records';
import type { Req } from '../../src-shared/ipc/contract';
import type { AuditTrail } from '../audit/types';
import { Refusal } from '../domain/errors';
import { actorOf, recordOrFail } from '../domain/guards';
import type { AccessGrant, EncounterService } from '../encounter/encounter-service';
import { capabilities, mayViewRecords } from '../policy/engine';
import { filterMig, filterScr } from '../policy/filter';
import type { Policy } from '../policy/policy-file';
import type { SignedInUser } from '../session/port';
import type { PreferencesState, RecordSource } from './source/types';
import { buildView, MIG_TITLES, SCR_TITLES, scrDocumentView } from './view/render';

export interface RecordServiceDeps {
  source: RecordSource;
  policy: Policy;
  encounters: EncounterService;
  audit: Pick<AuditTrail, 'record'>;
  clock: { now(): number };
  workstationId: string;
}

export interface RecordService {
  search(user: SignedInUser, req: Req<'patients.search'>): Promise<PatientSummary[]>;
  scr(grant: AccessGrant): Promise<RecordView>;
  mig(grant: AccessGrant): Promise<RecordView>;
  preferences(user: SignedInUser, nhsNumber: string): Promise<PreferencesState>;
  setPreferences(user: SignedInUser, req: Req<'preferences.set'>): Promise<PreferencesState>;
}

export function createRecordService(deps: RecordServiceDeps): RecordService {
  const { source, policy, encounters, audit, clock } = deps;
  const actor = (user: SignedInUser) => actorOf(user, deps.workstationId);

  /**
   * Sharing preferences are read and recorded with B0020 and a legitimate relationship with the patient (the
   * preferences screen is the only place the patient's own words are shown).
   */
  const requirePreferencesAccess = async (user: SignedInUser, nhs: string, what: 'view' | 'record') => {
    if (!capabilities(policy, user.role).recordConsentPreference) {
      throw new Refusal(
        'forbidden',
        what === 'view'
          ? 'Your role does not allow viewing sharing preferences (B0020).'
          : 'Your role does not allow recording sharing preferences (B0020).',
      );
    }
    const ctx = encounters.requestContext(user);
    if (!(await source.getPatient(nhs, ctx)))
      throw new Refusal('not-found', 'No patient was found with that NHS number.');
    if ((await encounters.relationship(user, nhs, ctx)) === 'none') {
      throw new Refusal(
        'forbidden',
        "There is no legitimate relationship with this patient, so their sharing preferences cannot be seen or changed here. Ask the patient's GP practice.",
      );
    }
    return ctx;
  };

  return {
    async search(user, req) {
      const caps = capabilities(policy, user.role);
      if (!mayViewRecords(caps) && !caps.recordConsentPreference)
        throw new Refusal('forbidden', 'Your role does not allow looking up patients.');
      const ctx = encounters.requestContext(user);
      return req.kind === 'nhs-number'
        ? source.searchByNhsNumber(req.nhsNumber, ctx)
        : source.searchByDemographics(
            {
              family: req.family,
              ...(req.given ? { given: req.given } : {}),
              birthDate: req.birthDate,
              ...(req.fuzzy ? { fuzzy: true } : {}),
            },
            ctx,
          );
    },

    async scr(grant) {
      const { encounter, decision, ctx } = grant;
      const facts = encounter.facts!;
      let view: RecordView;
      if (source.getScr) {
        const doc = await source.getScr(encounter.nhsNumber, ctx);
        encounters.confirmCurrent(grant);
        view = scrDocumentView(
          doc,
          facts.patient,
          grant.access,
          facts.preferences,
          decision.includeAdditional,
        );
      } else {
        const items = await source.getItems(encounter.nhsNumber, ctx);
        encounters.confirmCurrent(grant);
        const filtered = filterScr(items, facts.preferences, decision.includeAdditional);
        view = buildView('scr', facts.patient, grant.access, filtered, SCR_TITLES);
      }
      // One event per view, so the view is audited as a whole or not released at all: 'scr-additional' when the
      // Additional Information sections went out with the core ones (the section list says exactly which).
      recordOrFail(audit, {
        kind: 'record-read',
        actor: grant.actor,
        patient: { nhsNumber: encounter.nhsNumber },
        encounterId: encounter.id,
        record: decision.includeAdditional ? 'scr-additional' : 'scr-core',
        sections: view.sections.map((s) => s.key),
        purpose: decision.purpose,
      });
      return view;
    },

    async mig(grant) {
      const { encounter, decision, ctx } = grant;
      const items = await source.getItems(encounter.nhsNumber, ctx);
      encounters.confirmCurrent(grant);
      const facts = encounter.facts!;
      const filtered = filterMig(items, facts.preferences);
      const view: RecordView = {
        ...buildView('mig', facts.patient, grant.access, filtered, MIG_TITLES),
        // The MIG record is the GP practice's own record, passed on by the shared care record service.
        origin: {
          service: 'shared care record service',
          lastUpdated: null,
          practice: facts.patient.restricted ? null : facts.patient.gpPracticeName || null,
        },
      };
      recordOrFail(audit, {
        kind: 'record-read',
        actor: grant.actor,
        patient: { nhsNumber: encounter.nhsNumber },
        encounterId: encounter.id,
        record: 'mig',
        sections: filtered.sections.map((s) => s.key),
        purpose: decision.purpose,
      });
      return view;
    },

    async preferences(user, nhs) {
      const ctx = await requirePreferencesAccess(user, nhs, 'view');
      const state = await source.getPreferences(nhs, ctx);
      ctx.signal.throwIfAborted();
      // Audited before the answer leaves main: the history holds the patient's own words (red data).
      recordOrFail(audit, { kind: 'preferences-read', actor: actor(user), patient: { nhsNumber: nhs } });
      return state;
    },

    async setPreferences(user, req) {
      const nhs = req.nhsNumber;
      const ctx = await requirePreferencesAccess(user, nhs, 'record');
      const from = (await source.getPreferences(nhs, ctx)).current;
      const to = { scr: req.scr, sensitive: req.sensitive, mig: req.mig };
      ctx.signal.throwIfAborted();
      // Audited first, so no change ever exists without its audit record (a failed write after it over-reports an
      // attempt, which is the safe side).
      recordOrFail(audit, {
        kind: 'preference-changed',
        actor: actor(user),
        patient: { nhsNumber: nhs },
        from,
        to,
        patientStatement: req.patientStatement,
      });
      const state = await source.setPreferences(
        nhs,
        {
          to,
          at: new Date(clock.now()).toISOString(),
          byUserId: user.holder.userId,
          byName: user.holder.displayName,
          patientStatement: req.patientStatement,
        },
        ctx,
      );
      encounters.preferencesChanged(user, nhs, state.current);
      return state;
    },
  };
}
