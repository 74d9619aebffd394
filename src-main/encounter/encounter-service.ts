/**
 * The encounter: opening a patient (the facts the decisions need, fetched once), the legitimate relationship
 * and its self-claim, permission to view and its overrides, and the access decision every record read asks for.
 * Every decision is made here in main and audited before it takes effect; the records service only fetches and
 * filters what an `AccessGrant` allows (docs/specs/access-policy.md).
 */
import type {
  AlertDelivery,
  EncounterView,
  LegitimateRelationship,
  PtvView,
} from '../../src-shared/domain/records';
import type { Req } from '../../src-shared/ipc/contract';
import type { AuditActor, AuditEntry, AuditTrail, LocalAuditTrail } from '../audit/types';
import { Refusal } from '../domain/errors';
import {
  capabilities,
  decideMig,
  decideScr,
  legitimateRelationship,
  mayViewRecords,
  migDissentText,
  migGate,
  migGateText,
  type Capabilities,
  type ReadDecision,
  type ReadFacts,
} from '../policy/engine';
import type { Policy } from '../policy/policy-file';
import type { RecordSource, SourceContext } from '../records/source/types';
import { actorOf, recordAllOrFail, recordOrFail, requirePin } from '../domain/guards';
import type { SessionPort, SignedInUser } from '../session/port';
import {
  effective,
  PtvTransitionError,
  toFact,
  toView,
  transition,
  type PtvDurations,
  type PtvEvent,
  type PtvState,
} from './ptv-state';
import { deliveryOf, selfClaimNote, type AlertDeliveryPort } from './alert-delivery';
import { createEncounterRegistry, type Encounter, type EncounterFacts } from './registry';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface EncounterServiceDeps {
  source: RecordSource;
  policy: Policy;
  session: SessionPort;
  /** recordMany, when the trail has it, writes the emergency path's two entries in one transaction. */
  audit: Pick<AuditTrail, 'record'> & Partial<Pick<LocalAuditTrail, 'recordMany'>>;
  /** Where alerts stand on their way out (the local trail); without it the screen never hears "told". */
  delivery?: AlertDeliveryPort;
  clock: Clock;
  durations: PtvDurations;
  workstationId: string;
}

/** What a record read may release, decided for one encounter at one moment. */
export interface AccessGrant {
  encounter: Encounter;
  decision: Extract<ReadDecision, { allowed: true }>;
  access: { basis: 'permission' | 'emergency' | 'legal'; expiresAt: string };
  /** The context the read's requests run in (the encounter's signal and correlation id). */
  ctx: SourceContext;
  actor: AuditActor;
}

export interface EncounterService {
  open(user: SignedInUser, nhsNumber: string): Promise<EncounterView>;
  /** The user's own open encounter (kept across a lock of their session), or null. */
  current(user: SignedInUser): Promise<EncounterView | null>;
  /** Whether this session has an open encounter (after its resumption: the screen reopens it). */
  hasEncounter(sessionId: string): boolean;
  close(): void;
  claimRelationship(user: SignedInUser, req: Req<'encounter.claimRelationship'>): Promise<EncounterView>;
  recordPtv(user: SignedInUser, req: Req<'ptv.record'>): Promise<PtvView>;
  /** The grant to read this record now, or a Refusal saying why not. */
  authorise(user: SignedInUser, nhsNumber: string, what: 'scr' | 'mig'): AccessGrant;
  /** The legitimate relationship with a patient, whether or not an encounter is open (for preferences). */
  relationship(user: SignedInUser, nhsNumber: string, ctx: SourceContext): Promise<LegitimateRelationship>;
  /** Keeps an open encounter's facts in step after its patient's preferences changed. */
  preferencesChanged(user: SignedInUser, nhsNumber: string, preferences: EncounterFacts['preferences']): void;
  /** Where one of the open encounter's alerts (by its audit event id) stands now; a Refusal if it is not one. */
  alertDelivery(user: SignedInUser, id: string): AlertDelivery;
  /** Called whenever an alert of the open encounter moves on (sending, waiting, told). */
  onAlertDelivery(listener: (delivery: AlertDelivery) => void): () => void;
  /** A context for a request outside an encounter (aborted on the next session change). */
  requestContext(user: SignedInUser): SourceContext;
  /** After an await: the grant's encounter must still be the active one, or the answer is dropped (a Refusal). */
  confirmCurrent(grant: AccessGrant): void;
  dispose(): void;
}

/** Emergency reasons → SCR alert codes. Safeguarding is a user-asserted (self-claimed) emergency: code 4. */
const EMERGENCY_CODE = { 'medical-emergency': 5, safeguarding: 4 } as const;

const CHANGED_MESSAGE = 'The session or patient changed while this was in progress. Start again.';

export function createEncounterService(deps: EncounterServiceDeps): EncounterService {
  const { source, policy, session, audit, clock, durations } = deps;
  const registry = createEncounterRegistry(session);
  const actor = (user: SignedInUser) => actorOf(user, deps.workstationId);
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);
  const ctxOf = (e: Encounter, user: SignedInUser): SourceContext => ({
    signal: e.signal,
    user,
    correlationId: e.id,
  });

  /** After an await: the encounter must still be the active one, or its answer is dropped. */
  const stillCurrent = (user: SignedInUser, e: Encounter): Encounter => {
    const now = session.current();
    const live = now && now.sessionId === user.sessionId ? registry.current(now, e.nhsNumber) : null;
    if (!live || live.id !== e.id || e.signal.aborted) throw new Refusal('conflict', CHANGED_MESSAGE);
    return live;
  };

  /** The facts of the encounter, fetched once (patient, care organisations and preferences in parallel). */
  const withFacts = async (
    user: SignedInUser,
    e: Encounter,
  ): Promise<Encounter & { facts: EncounterFacts }> => {
    if (e.facts) return e as Encounter & { facts: EncounterFacts };
    const ctx = ctxOf(e, user);
    const [patient, care, preferences] = await Promise.all([
      source.getPatient(e.nhsNumber, ctx),
      source.getCareOrganisations(e.nhsNumber, ctx),
      source.getPreferences(e.nhsNumber, ctx),
    ]);
    const live = stillCurrent(user, e);
    if (!patient) {
      registry.close();
      throw new Refusal('not-found', 'No patient was found with that NHS number.');
    }
    return registry.update(live, {
      facts: { patient, care, preferences: preferences.current },
    }) as Encounter & {
      facts: EncounterFacts;
    };
  };

  /** The open encounter for this patient, or a refusal telling the renderer to open it. */
  const encounterFor = (user: SignedInUser, nhs: string): Encounter & { facts: EncounterFacts } => {
    const e = registry.current(user, nhs);
    if (!e || !e.facts)
      throw new Refusal('ptv-required', "Open this patient's record and record permission to view first.");
    return e as Encounter & { facts: EncounterFacts };
  };

  const relationshipOf = (user: SignedInUser, e: Encounter & { facts: EncounterFacts }) =>
    legitimateRelationship(e.facts.care, user.role.orgCode, e.selfClaim !== null);

  const readFacts = (user: SignedInUser, e: Encounter & { facts: EncounterFacts }): ReadFacts => ({
    policy,
    role: user.role,
    relationship: relationshipOf(user, e),
    ptv: toFact(e.ptv, clock.now()),
    preferences: e.facts.preferences,
    registeredWith: e.facts.care.registeredWith,
    today: today(),
  });

  const deliveryFor = (receipt: Encounter['alerts']['override']): AlertDelivery | null =>
    receipt && deps.delivery ? deliveryOf(deps.delivery, receipt) : null;

  /** The permission state for the screen; an override carries where its alert stands. */
  const ptvViewOf = (e: Encounter): PtvView => {
    const v = toView(e.ptv, clock.now());
    if (v.state !== 'granted' || v.basis === 'permission') return v;
    const alert = deliveryFor(e.alerts.override);
    return alert ? { ...v, alert } : v;
  };

  const notesFor = (e: Encounter, f: ReadFacts, caps: Capabilities, ptvState: string): string[] => {
    const notes: string[] = [];
    if (f.relationship === 'none' && mayViewRecords(caps))
      notes.push(
        'No legitimate relationship with this patient is recorded. You can self-claim one; the privacy officer is told.',
      );
    if (f.relationship === 'self-claimed') notes.push(selfClaimNote(deliveryFor(e.alerts.selfClaim)));
    if (f.preferences.scr === 'opted-out')
      notes.push('The patient has opted out of having a Summary Care Record.');
    else if (f.preferences.scr === 'core')
      notes.push('The patient shares the core Summary Care Record only (medication and allergies).');
    if (f.preferences.mig === 'dissent') notes.push(migDissentText(caps.legalOverride));
    const gate = migGate(policy, f.role, f.registeredWith, f.today);
    if (!gate.ok) notes.push(migGateText(gate));
    if (ptvState === 'refused') notes.push('The patient refused permission to view in this encounter.');
    return notes;
  };

  const viewOf = (user: SignedInUser, e: Encounter & { facts: EncounterFacts }): EncounterView => {
    const f = readFacts(user, e);
    const caps = capabilities(policy, user.role);
    const hasLr = f.relationship !== 'none';
    const ptv = effective(e.ptv, clock.now());
    return {
      patient: e.facts.patient,
      relationship: f.relationship,
      ptv: ptvViewOf(e),
      preferences: f.preferences,
      can: {
        askPermission: caps.viewRecords && hasLr,
        emergency: caps.emergencyAccess && hasLr && ptv.state !== 'refused',
        emergencyClaim: caps.emergencyAccess && mayViewRecords(caps) && !hasLr && ptv.state !== 'refused',
        legal: caps.legalOverride && hasLr,
        changePreferences: caps.recordConsentPreference,
        viewScr: decideScr(f).allowed,
        viewMig: decideMig(f).allowed,
      },
      notes: notesFor(e, f, caps, ptv.state),
    };
  };

  /** The PTV event a request asks for, if the role allows it. */
  const ptvEvent = (caps: Capabilities, req: Req<'ptv.record'>, at: number): PtvEvent => {
    switch (req.choice) {
      case 'given':
        if (!caps.viewRecords)
          throw new Refusal('forbidden', 'Your role does not allow viewing shared records with permission.');
        return { type: 'given', at };
      case 'refused':
        return { type: 'refused', at };
      case 'emergency':
        if (!caps.emergencyAccess)
          throw new Refusal('forbidden', 'Your role does not allow emergency access.');
        return { type: 'emergency', at, reasonCode: EMERGENCY_CODE[req.reason] };
      case 'legal':
        if (!caps.legalOverride) throw new Refusal('forbidden', 'Your role does not allow a legal override.');
        return { type: 'legal', at, reasonCode: req.reasonCode };
    }
  };

  /** A transition of the machine; a refused emergency mentions a legal override only to a role that has one. */
  const transitionFor = (state: PtvState, event: PtvEvent, caps: Capabilities): PtvState => {
    try {
      return transition(state, event, durations);
    } catch (err) {
      if (err instanceof PtvTransitionError && event.type === 'emergency' && caps.legalOverride)
        throw new PtvTransitionError(`${err.message} A legal override is still possible.`);
      throw err;
    }
  };

  /** The audit entry of a permission-to-view answer or an override. */
  const ptvEntry = (who: AuditActor, req: Req<'ptv.record'>, encounterId: string): AuditEntry => {
    const patient = { nhsNumber: req.nhsNumber };
    switch (req.choice) {
      case 'given':
      case 'refused':
        return { kind: 'ptv', actor: who, patient, encounterId, decision: req.choice };
      case 'emergency':
        return {
          kind: 'emergency-override',
          actor: who,
          patient,
          encounterId,
          reasonCode: EMERGENCY_CODE[req.reason],
          reasonText: req.text,
        };
      case 'legal':
        return {
          kind: 'legal-override',
          actor: who,
          patient,
          encounterId,
          reasonCode: req.reasonCode,
          reasonText: req.text,
        };
    }
  };

  // Following the open encounter's alerts: each change of state (or of what waits) is told to the listeners once.
  const alertListeners = new Set<(d: AlertDelivery) => void>();
  const lastTold = new Map<string, string>();
  let followed: string | null = null;
  const followAlerts = () => {
    const e = registry.active();
    if (!e || !deps.delivery || alertListeners.size === 0) return;
    if (followed !== e.id) {
      followed = e.id;
      lastTold.clear();
    }
    for (const receipt of [e.alerts.selfClaim, e.alerts.override]) {
      if (!receipt) continue;
      const d = deliveryOf(deps.delivery, receipt);
      const key = `${d.state}:${d.waiting}`;
      if (lastTold.get(d.id) === key) continue;
      lastTold.set(d.id, key);
      for (const l of alertListeners) {
        try {
          l(d);
        } catch {
          // A listener's failure must not stop the others (or the trail's status listeners).
        }
      }
    }
  };
  const stopFollowing = deps.delivery?.onStatus(followAlerts) ?? (() => undefined);

  /** The PIN re-entered for an override: each wrong one (and the block) is audited before the refusal goes back. */
  const confirmOverridePin = async (
    user: SignedInUser,
    e: Encounter,
    req: Extract<Req<'ptv.record'>, { choice: 'emergency' | 'legal' }>,
  ): Promise<void> => {
    const check = await session.verifyPin(req.pin);
    if (!check.ok && (check.reason === 'wrong-pin' || check.reason === 'card-blocked')) {
      // On a block the card service has already ended the session (patient data dropped); only the refusal goes back.
      recordOrFail(audit, {
        kind: 'override-pin-refused',
        actor: actor(user),
        patient: { nhsNumber: e.nhsNumber },
        encounterId: e.id,
        override: req.choice,
        outcome: check.reason,
        triesLeft: check.reason === 'wrong-pin' ? check.triesLeft : 0,
      });
    }
    requirePin(check);
    // The session or encounter may have changed while the card was busy.
    stillCurrent(user, e);
  };

  return {
    hasEncounter: (sessionId) => registry.active()?.sessionId === sessionId,
    async current(user) {
      const e = registry.active();
      if (!e || e.sessionId !== user.sessionId || e.urid !== user.role.urid) return null;
      return viewOf(user, await withFacts(user, e));
    },
    async open(user, nhs) {
      return viewOf(user, await withFacts(user, registry.open(user, nhs)));
    },

    close: () => registry.close(),

    async claimRelationship(user, req) {
      // A claim only makes sense for someone who could then view; otherwise it would be a pointless alert.
      if (!mayViewRecords(capabilities(policy, user.role))) {
        throw new Refusal(
          'forbidden',
          'Your role does not allow viewing shared records, so there is no relationship to claim.',
        );
      }
      const e = await withFacts(user, registry.open(user, req.nhsNumber));
      if (relationshipOf(user, e) !== 'none') return viewOf(user, e);
      const receipt = recordOrFail(audit, {
        kind: 'lr-self-claim',
        actor: actor(user),
        patient: { nhsNumber: req.nhsNumber },
        encounterId: e.id,
        reason: req.reason,
        reasonText: req.text,
      });
      return viewOf(
        user,
        registry.update(e, {
          selfClaim: { reason: req.reason, text: req.text },
          alerts: { ...e.alerts, selfClaim: receipt },
        }) as typeof e,
      );
    },

    async recordPtv(user, req) {
      const e = encounterFor(user, req.nhsNumber);
      const caps = capabilities(policy, user.role);
      // The emergency path: no relationship is recorded and the patient cannot be asked. The self-claim is made in
      // the same step, with the same account, after the one PIN check.
      const claim =
        req.choice === 'emergency' && req.claimRelationship === true && relationshipOf(user, e) === 'none';
      if (claim && !mayViewRecords(caps)) {
        throw new Refusal(
          'forbidden',
          'Your role does not allow viewing shared records, so there is no relationship to claim.',
        );
      }
      if (!claim && relationshipOf(user, e) === 'none') {
        throw new Refusal(
          'forbidden',
          'A legitimate relationship is needed first: self-claim one if you are caring for this patient.',
        );
      }
      const at = clock.now();
      // A transition the machine does not allow throws PtvTransitionError (answered as a conflict).
      const next = transitionFor(e.ptv, ptvEvent(caps, req, at), caps);
      if (req.choice === 'emergency' || req.choice === 'legal') await confirmOverridePin(user, e, req);
      const who = actor(user);
      const entries: AuditEntry[] = [];
      if (claim) {
        entries.push({
          kind: 'lr-self-claim',
          actor: who,
          patient: { nhsNumber: req.nhsNumber },
          encounterId: e.id,
          reason: 'treating-now',
          reasonText: req.text,
        });
      }
      entries.push(ptvEntry(who, req, e.id));
      // Both entries of the emergency path in one transaction: both are written, or neither and nothing is shown.
      const receipts = recordAllOrFail(audit, entries);
      const overrideReceipt =
        req.choice === 'emergency' || req.choice === 'legal' ? receipts.at(-1) : undefined;
      const updated = registry.update(e, {
        ptv: next,
        ...(claim ? { selfClaim: { reason: 'treating-now', text: req.text } } : {}),
        alerts: {
          selfClaim: claim ? (receipts[0] ?? null) : e.alerts.selfClaim,
          override: overrideReceipt ?? e.alerts.override,
        },
      });
      return ptvViewOf(updated);
    },

    alertDelivery(user, id) {
      const e = registry.active();
      const mine = e && e.sessionId === user.sessionId && e.urid === user.role.urid ? e : null;
      const receipt = [mine?.alerts.selfClaim, mine?.alerts.override].find((r) => r?.uuid === id);
      const d = receipt ? deliveryFor(receipt) : null;
      if (!d) throw new Refusal('not-found', 'That alert is not part of the open encounter.');
      return d;
    },

    onAlertDelivery(listener) {
      alertListeners.add(listener);
      return () => alertListeners.delete(listener);
    },

    authorise(user, nhs, what) {
      const e = encounterFor(user, nhs);
      const f = readFacts(user, e);
      const d = what === 'scr' ? decideScr(f) : decideMig(f);
      if (!d.allowed) throw new Refusal(d.kind, d.message);
      const v = toView(e.ptv, clock.now());
      if (v.state !== 'granted')
        throw new Refusal('ptv-required', 'Ask the patient for permission to view first.');
      return {
        encounter: e,
        decision: d,
        access: { basis: v.basis, expiresAt: v.expiresAt },
        ctx: ctxOf(e, user),
        actor: actor(user),
      };
    },

    async relationship(user, nhs, ctx) {
      const open = registry.current(user, nhs);
      if (open?.facts) return relationshipOf(user, open as Encounter & { facts: EncounterFacts });
      const care = await source.getCareOrganisations(nhs, ctx);
      return legitimateRelationship(care, user.role.orgCode, false);
    },

    preferencesChanged(user, nhs, preferences) {
      const e = registry.current(user, nhs);
      if (e?.facts) registry.update(e, { facts: { ...e.facts, preferences } });
    },

    requestContext: (user) => ({
      signal: registry.requestSignal(),
      user,
      correlationId: globalThis.crypto.randomUUID(),
    }),

    confirmCurrent: (grant) => void stillCurrent(grant.ctx.user, grant.encounter),

    dispose() {
      stopFollowing();
      alertListeners.clear();
      registry.dispose();
    },
  };
}
