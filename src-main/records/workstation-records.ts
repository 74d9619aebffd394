/**
 * Builds the records part of the workstation from configuration: the record source (one record path: the clients
 * of the three record services, over HTTPS in live mode, against the test services in process in demo mode), the
 * access policy (default or config.records.policyFile), and the records service on top of the session and the
 * audit trail.
 */
import type { AppConfig } from '../config/schema';
import type { AlertDelivery } from '../../src-shared/domain/records';
import type { LocalAuditTrail } from '../audit/types';
import { deliveryPortOf } from '../encounter/alert-delivery';
import type { Logger } from '../services/logger';
import type { SessionPort, UserTokenPort } from '../session/port';
import { loadPolicy } from '../policy/policy-file';
import { createRecordHandlers, type RecordHandlers } from '../services/record-handlers';
import { createLiveRecordSource } from './remote/live-source';
import { createDemoRecordSource } from './remote/demo-source';
import type { DemoServices } from './remote/demo-services';
import type { RecordSource } from './source/types';
import { warmTokensOnSignIn } from './token-warmup';

export interface WorkstationRecords {
  handlers: RecordHandlers;
  /** Called whenever an alert of the open encounter moves on (for the alertDelivery event). */
  onAlertDelivery(listener: (delivery: AlertDelivery) => void): () => void;
  /** Whether this session has an open encounter (a resumed session's screen reopens it). */
  hasEncounter(sessionId: string): boolean;
  close(): void;
}

export async function createWorkstationRecords(
  config: AppConfig,
  session: SessionPort,
  audit: LocalAuditTrail,
  log: Logger,
  card: { tokens: UserTokenPort },
  /** Demo mode's in-process services (required in demo mode). */
  demo?: DemoServices,
): Promise<WorkstationRecords> {
  const policy = loadPolicy(config.records.policyFile);
  let source: RecordSource;
  /** The record services' base URLs (each one's token audience), in the order a journey first needs them. */
  let audiences: string[];
  if (config.mode === 'live') {
    const { demographics, sharedCare, scr } = config.records.services;
    audiences = [demographics.baseUrl, sharedCare.baseUrl, scr.baseUrl];
    source = createLiveRecordSource(config.records.services, card.tokens);
    log.info('records: remote services', {
      demographics: config.records.services.demographics.baseUrl,
      scr: config.records.services.scr.baseUrl,
      sharedCare: config.records.services.sharedCare.baseUrl,
    });
  } else {
    if (!demo) throw new Error('demo mode needs its in-process services');
    source = createDemoRecordSource(demo, card.tokens);
    audiences = [demo.baseUrl('demographics'), demo.baseUrl('sharedCare'), demo.baseUrl('scr')];
  }
  log.info('records: policy', { policyFile: config.records.policyFile ?? '(default policy)' });
  const service = createRecordHandlers({
    source,
    policy,
    session,
    audit,
    delivery: deliveryPortOf(audit),
    clock: { now: () => Date.now() },
    config,
  });
  const stopWarming = warmTokensOnSignIn(session, card.tokens, policy, audiences);
  return {
    handlers: service.handlers,
    onAlertDelivery: service.onAlertDelivery,
    hasEncounter: service.hasEncounter,
    close() {
      stopWarming();
      service.close();
      source.close();
    },
  };
}
