/**
 * The record channels' handlers: each one asks who is signed in, then the encounter (decisions) and the records
 * service (fetch, filter, audit). The only place those services meet the IPC contract's channel names.
 */
import type { RecordChannelName } from '../../src-shared/ipc/channels/records';
import type { AlertDelivery } from '../../src-shared/domain/records';
import type { AuditTrail, LocalAuditTrail } from '../audit/types';
import type { AlertDeliveryPort } from '../encounter/alert-delivery';
import { requireUser } from '../domain/guards';
import { createEncounterService, type Clock } from '../encounter/encounter-service';
import type { Handler } from '../ipc/dispatcher';
import type { Policy } from '../policy/policy-file';
import { createRecordService } from '../records/record-service';
import type { RecordSource } from '../records/source/types';
import type { SessionPort } from '../session/port';

export interface RecordHandlersDeps {
  source: RecordSource;
  policy: Policy;
  session: SessionPort;
  audit: Pick<AuditTrail, 'record'> & Partial<Pick<LocalAuditTrail, 'recordMany'>>;
  /** Where the encounter's privacy officer alerts stand (the local trail's outbox and status). */
  delivery?: AlertDeliveryPort;
  clock: Clock;
  config: {
    encounter: { permissionHours: number; overrideHours: number };
    workstation: { id: string };
  };
}

export type RecordHandlers = { [K in RecordChannelName]: Handler<K> };

export interface RecordChannels {
  handlers: RecordHandlers;
  /** Called whenever an alert of the open encounter moves on; main pushes it to the screen. */
  onAlertDelivery(listener: (delivery: AlertDelivery) => void): () => void;
  /** Stops listening to the session and aborts what is in flight. Does not close the source (its owner does). */
  close(): void;
}

export function createRecordHandlers(deps: RecordHandlersDeps): RecordChannels {
  const { session } = deps;
  const encounters = createEncounterService({
    source: deps.source,
    policy: deps.policy,
    session,
    audit: deps.audit,
    ...(deps.delivery ? { delivery: deps.delivery } : {}),
    clock: deps.clock,
    durations: deps.config.encounter,
    workstationId: deps.config.workstation.id,
  });
  const records = createRecordService({
    source: deps.source,
    policy: deps.policy,
    encounters,
    audit: deps.audit,
    clock: deps.clock,
    workstationId: deps.config.workstation.id,
  });

  const handlers: RecordHandlers = {
    'patients.search': async (req) => ({ results: await records.search(requireUser(session), req) }),
    'encounter.open': (req) => encounters.open(requireUser(session), req.nhsNumber),
    'encounter.close': () => {
      encounters.close();
      return {};
    },
    'encounter.claimRelationship': (req) => encounters.claimRelationship(requireUser(session), req),
    'ptv.record': (req) => encounters.recordPtv(requireUser(session), req),
    'encounter.alertDelivery': (req) => encounters.alertDelivery(requireUser(session), req.id),
    'record.scr': (req) => records.scr(encounters.authorise(requireUser(session), req.nhsNumber, 'scr')),
    'record.mig': (req) => records.mig(encounters.authorise(requireUser(session), req.nhsNumber, 'mig')),
    'preferences.get': (req) => records.preferences(requireUser(session), req.nhsNumber),
    'preferences.set': (req) => records.setPreferences(requireUser(session), req),
  };
  return {
    handlers,
    onAlertDelivery: (listener) => encounters.onAlertDelivery(listener),
    close: () => encounters.dispose(),
  };
}
