/**
 * The records service: patient search, the encounter (legitimate relationship, permission to view), SCR and MIG
 * views, and sharing preferences. Every decision is made here in main; every decision and every read is audited
 * before anything is returned, and a failed audit write releases nothing.
 */
import type {
  EncounterView,
  LegitimateRelationship,
  PatientSummary,
  RecordView,
} from '../../src-shared/domain/records';
import type { RecordChannelName } from '../../src-shared/ipc/channels/records';
import type { Req } from '../../src-shared/ipc/contract';
import type { AuditTrail } from '../audit/types';
import { createEncounterRegistry, type Encounter } from '../encounter/registry';
import { effective, toFact, toView, transition, type PtvEvent } from '../encounter/ptv-state';
import type { Handler } from '../ipc/dispatcher';
import { Refusal } from '../domain/errors';
import {
  capabilities,
  decideMig,
  decideScr,
  legitimateRelationship,
  migGate,
  type ReadDecision,
  type ReadFacts,
} from '../policy/engine';
import { filterMig, filterScr } from '../policy/filter';
import type { Policy } from '../policy/policy-file';
import type { SessionPort, SignedInUser } from '../session/port';
import type { RecordSource } from './source/types';
import { actorOf, recordOrFail, requirePin, requireUser } from './guards';
import { buildView, MIG_TITLES, SCR_TITLES } from './view/render';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface RecordsServiceDeps {
  source: RecordSource;
  policy: Policy;
  session: SessionPort;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  config: {
    encounter: { permissionHours: number; overrideHours: number };
    workstation: { id: string };
  };
}

export type RecordHandlers = { [K in RecordChannelName]: Handler<K> };

export interface RecordsService {
  handlers: RecordHandlers;
  /** Stops listening to the session. Does not close the source (its owner does). */
  close(): void;
}

/** Emergency reasons → SCR alert codes. Safeguarding is a user-asserted (self-claimed) emergency: code 4. */
const EMERGENCY_CODE = { 'medical-emergency': 5, safeguarding: 4 } as const;

export function createRecordsService(deps: RecordsServiceDeps): RecordsService {
  const { source, policy, session, audit, clock, config } = deps;
  const registry = createEncounterRegistry(session);
  const durations = config.encounter;
  const actor = (user: SignedInUser) => actorOf(user, config.workstation.id);
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  const patientOrNotFound = (nhs: string): PatientSummary => {
    const p = source.getPatient(nhs);
    if (!p) throw new Refusal('not-found', 'No patient was found with that NHS number.');
    return p;
  };

  /** The open encounter for this patient, or a refusal telling the renderer to open it. */
  const encounterFor = (user: SignedInUser, nhs: string): Encounter => {
    const e = registry.current(user, nhs);
    if (!e)
      throw new Refusal('ptv-required', "Open this patient's record and record permission to view first.");
    return e;
  };

  const facts = (user: SignedInUser, e: Encounter): ReadFacts & { relationship: LegitimateRelationship } => {
    const care = source.getCareOrganisations(e.nhsNumber);
    return {
      policy,
      role: user.role,
      relationship: legitimateRelationship(care, user.role.orgCode, e.selfClaim !== null),
      ptv: toFact(e.ptv, clock.now()),
      preferences: source.getPreferences(e.nhsNumber).current,
      registeredWith: care.registeredWith,
      today: today(),
    };
  };

  const encounterView = (user: SignedInUser, e: Encounter, patient: PatientSummary): EncounterView => {
    const f = facts(user, e);
    const caps = capabilities(policy, user.role);
    const hasLr = f.relationship !== 'none';
    const ptv = effective(e.ptv, clock.now());
    const scr = decideScr(f);
    const mig = decideMig(f);
    const notes: string[] = [];
    const mayView = caps.viewRecords || caps.emergencyAccess || caps.legalOverride;
    if (!hasLr && mayView)
      notes.push(
        'No legitimate relationship with this patient is recorded. You can self-claim one; the privacy officer is told.',
      );
    if (f.relationship === 'self-claimed')
      notes.push('You self-claimed a legitimate relationship; the privacy officer has been told.');
    if (f.preferences.scr === 'opted-out')
      notes.push('The patient has opted out of having a Summary Care Record.');
    else if (f.preferences.scr === 'core')
      notes.push('The patient shares the core Summary Care Record only (medication and allergies).');
    if (f.preferences.mig === 'dissent')
      notes.push(
        'The patient has dissented from sharing through the MIG; only a legal override can pass this.',
      );
    const gate = migGate(policy, user.role, f.registeredWith, f.today);
    if (!gate.ok) {
      notes.push(
        gate.why === 'assessment-expired'
          ? `Your organisation's MIG security assessment expired on ${gate.expired}.`
          : 'Your organisation is not approved to view MIG records.',
      );
    }
    if (ptv.state === 'refused') notes.push('The patient refused permission to view in this encounter.');
    return {
      patient,
      relationship: f.relationship,
      ptv: toView(e.ptv, clock.now()),
      preferences: f.preferences,
      can: {
        askPermission: caps.viewRecords && hasLr,
        emergency: caps.emergencyAccess && hasLr && ptv.state !== 'refused',
        legal: caps.legalOverride && hasLr,
        changePreferences: caps.recordConsentPreference,
        viewScr: scr.allowed,
        viewMig: mig.allowed,
      },
      notes,
    };
  };

  const allowedOrThrow = (d: ReadDecision): Extract<ReadDecision, { allowed: true }> => {
    if (!d.allowed) throw new Refusal(d.kind, d.message);
    return d;
  };

  const accessBanner = (e: Encounter): RecordView['access'] => {
    const v = toView(e.ptv, clock.now());
    if (v.state !== 'granted')
      throw new Refusal('ptv-required', 'Ask the patient for permission to view first.');
    return { basis: v.basis, expiresAt: v.expiresAt };
  };

  /**
   * Sharing preferences are read and recorded with B0020 and a legitimate relationship with the patient (the
   * preferences screen is the only place the patient's own words are shown).
   */
  const requirePreferencesAccess = (user: SignedInUser, nhs: string, what: 'view' | 'record'): void => {
    if (!capabilities(policy, user.role).recordConsentPreference) {
      throw new Refusal(
        'forbidden',
        what === 'view'
          ? 'Your role does not allow viewing sharing preferences (B0020).'
          : 'Your role does not allow recording sharing preferences (B0020).',
      );
    }
    patientOrNotFound(nhs);
    const selfClaimed = registry.current(user, nhs)?.selfClaim != null;
    const lr = legitimateRelationship(source.getCareOrganisations(nhs), user.role.orgCode, selfClaimed);
    if (lr === 'none') {
      throw new Refusal(
        'forbidden',
        "There is no legitimate relationship with this patient, so their sharing preferences cannot be seen or changed here. Ask the patient's GP practice.",
      );
    }
  };

  const handlers: RecordHandlers = {
    'patients.search': (req) => {
      const user = requireUser(session);
      const caps = capabilities(policy, user.role);
      if (
        !caps.viewRecords &&
        !caps.emergencyAccess &&
        !caps.legalOverride &&
        !caps.recordConsentPreference
      ) {
        throw new Refusal('forbidden', 'Your role does not allow looking up patients.');
      }
      if (req.kind === 'nhs-number') return { results: source.searchByNhsNumber(req.nhsNumber) };
      return { results: source.searchByDemographics(req.family, req.given || undefined, req.birthDate) };
    },

    'encounter.open': (req) => {
      const user = requireUser(session);
      const nhs = req.nhsNumber;
      const patient = patientOrNotFound(nhs);
      return encounterView(user, registry.open(user, nhs), patient);
    },

    'encounter.close': () => {
      registry.close();
      return {};
    },

    'encounter.claimRelationship': (req) => {
      const user = requireUser(session);
      const caps = capabilities(policy, user.role);
      // A claim only makes sense for someone who could then view; otherwise it would be a pointless alert.
      if (!caps.viewRecords && !caps.emergencyAccess && !caps.legalOverride) {
        throw new Refusal(
          'forbidden',
          'Your role does not allow viewing shared records, so there is no relationship to claim.',
        );
      }
      const nhs = req.nhsNumber;
      const patient = patientOrNotFound(nhs);
      const e = registry.open(user, nhs);
      if (facts(user, e).relationship !== 'none') return encounterView(user, e, patient);
      recordOrFail(audit, {
        kind: 'lr-self-claim',
        actor: actor(user),
        patient: { nhsNumber: nhs },
        reason: req.reason,
        reasonText: req.text,
      });
      return encounterView(
        user,
        registry.update(e, { selfClaim: { reason: req.reason, text: req.text } }),
        patient,
      );
    },

    'ptv.record': async (req) => {
      const user = requireUser(session);
      const nhs = req.nhsNumber;
      const e = encounterFor(user, nhs);
      const caps = capabilities(policy, user.role);
      if (facts(user, e).relationship === 'none') {
        throw new Refusal(
          'forbidden',
          'A legitimate relationship is needed first: self-claim one if you are caring for this patient.',
        );
      }
      const at = clock.now();
      let event: PtvEvent;
      switch (req.choice) {
        case 'given':
          if (!caps.viewRecords)
            throw new Refusal(
              'forbidden',
              'Your role does not allow viewing shared records with permission.',
            );
          event = { type: 'given', at };
          break;
        case 'refused':
          event = { type: 'refused', at };
          break;
        case 'emergency':
          if (!caps.emergencyAccess)
            throw new Refusal('forbidden', 'Your role does not allow emergency access.');
          event = { type: 'emergency', at, reasonCode: EMERGENCY_CODE[req.reason] };
          break;
        case 'legal':
          if (!caps.legalOverride)
            throw new Refusal('forbidden', 'Your role does not allow a legal override.');
          event = { type: 'legal', at, reasonCode: req.reasonCode };
          break;
      }
      // A transition the machine does not allow throws PtvTransitionError (answered as a conflict).
      const next = transition(e.ptv, event, durations);
      if (req.choice === 'emergency' || req.choice === 'legal') {
        const check = await session.verifyPin(req.pin);
        if (!check.ok && (check.reason === 'wrong-pin' || check.reason === 'card-blocked')) {
          // Each wrong PIN is audited, and the block with it; on a block the card service has already ended the
          // session (patient data dropped), so only the refusal goes back.
          recordOrFail(audit, {
            kind: 'override-pin-refused',
            actor: actor(user),
            patient: { nhsNumber: nhs },
            override: req.choice,
            outcome: check.reason,
            triesLeft: check.reason === 'wrong-pin' ? check.triesLeft : 0,
          });
        }
        requirePin(check);
        // The session or encounter may have changed while the card was busy.
        const still = session.current();
        if (!still || still.sessionId !== user.sessionId || registry.current(still, nhs) !== e) {
          throw new Refusal(
            'conflict',
            'The session or patient changed while the PIN was being checked. Start again.',
          );
        }
      }
      const who = actor(user);
      const patient = { nhsNumber: nhs };
      if (req.choice === 'given' || req.choice === 'refused') {
        recordOrFail(audit, { kind: 'ptv', actor: who, patient, decision: req.choice });
      } else if (req.choice === 'emergency') {
        recordOrFail(audit, {
          kind: 'emergency-override',
          actor: who,
          patient,
          reasonCode: EMERGENCY_CODE[req.reason],
          reasonText: req.text,
        });
      } else {
        recordOrFail(audit, {
          kind: 'legal-override',
          actor: who,
          patient,
          reasonCode: req.reasonCode,
          reasonText: req.text,
        });
      }
      return toView(registry.update(e, { ptv: next }).ptv, clock.now());
    },

    'record.scr': (req) => {
      const user = requireUser(session);
      const nhs = req.nhsNumber;
      const e = encounterFor(user, nhs);
      const decision = allowedOrThrow(decideScr(facts(user, e)));
      const patient = patientOrNotFound(nhs);
      const prefs = source.getPreferences(nhs).current;
      const filtered = filterScr(source.getItems(nhs), prefs, decision.includeAdditional);
      const view = buildView('scr', patient, accessBanner(e), filtered, SCR_TITLES);
      // One event per view, so the view is audited as a whole or not released at all: 'scr-additional' when the
      // Additional Information sections went out with the core ones (the section list says exactly which).
      recordOrFail(audit, {
        kind: 'record-read',
        actor: actor(user),
        patient: { nhsNumber: nhs },
        record: decision.includeAdditional ? 'scr-additional' : 'scr-core',
        sections: filtered.sections.map((s) => s.key),
        purpose: decision.purpose,
      });
      return view;
    },

    'record.mig': (req) => {
      const user = requireUser(session);
      const nhs = req.nhsNumber;
      const e = encounterFor(user, nhs);
      const decision = allowedOrThrow(decideMig(facts(user, e)));
      const patient = patientOrNotFound(nhs);
      const filtered = filterMig(source.getItems(nhs), source.getPreferences(nhs).current);
      const view = buildView('mig', patient, accessBanner(e), filtered, MIG_TITLES);
      recordOrFail(audit, {
        kind: 'record-read',
        actor: actor(user),
        patient: { nhsNumber: nhs },
        record: 'mig',
        sections: filtered.sections.map((s) => s.key),
        purpose: decision.purpose,
      });
      return view;
    },

    'preferences.get': (req) => {
      const user = requireUser(session);
      const nhs = req.nhsNumber;
      requirePreferencesAccess(user, nhs, 'view');
      // Audited before the answer leaves main: the history holds the patient's own words (red data).
      recordOrFail(audit, { kind: 'preferences-read', actor: actor(user), patient: { nhsNumber: nhs } });
      return source.getPreferences(nhs);
    },

    'preferences.set': (req: Req<'preferences.set'>) => {
      const user = requireUser(session);
      const nhs = req.nhsNumber;
      requirePreferencesAccess(user, nhs, 'record');
      const from = source.getPreferences(nhs).current;
      const to = { scr: req.scr, sensitive: req.sensitive, mig: req.mig };
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
      return source.setPreferences(nhs, {
        to,
        at: new Date(clock.now()).toISOString(),
        byUserId: user.holder.userId,
        byName: user.holder.displayName,
        patientStatement: req.patientStatement,
      });
    },
  };

  return { handlers, close: () => registry.dispose() };
}
