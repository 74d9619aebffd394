/**
 * Builds the records part of the workstation from configuration: the record source (live mode: the three remote
 * services over HTTPS; demo mode: the synthetic population's SQLite file, generated on first start), the access
 * policy (default or config.records.policyFile), and the records service on top of the session and the audit
 * trail. The policy and encounter code are the same for both sources.
 */
import type { AppConfig } from '../config/schema';
import type { AuditTrail } from '../audit/types';
import type { Logger } from '../services/logger';
import type { SessionPort, UserTokenPort } from '../session/port';
import { loadPolicy } from '../policy/policy-file';
import { ensureRecordsDatabase } from './demo-data/ensure';
import { createRecordHandlers, type RecordHandlers } from '../services/record-handlers';
import { openSqliteRecordSource } from './source/sqlite/source';
import { createLiveRecordSource } from './remote/live-source';
import type { RecordSource } from './source/types';

export interface WorkstationRecords {
  handlers: RecordHandlers;
  close(): void;
}

export function createWorkstationRecords(
  config: AppConfig,
  session: SessionPort,
  audit: Pick<AuditTrail, 'record'>,
  log: Logger,
  tokens: UserTokenPort,
): WorkstationRecords {
  const policy = loadPolicy(config.records.policyFile);
  let source: RecordSource;
  if (config.mode === 'live') {
    source = createLiveRecordSource(config.records.services, tokens);
    log.info('records: remote services', {
      demographics: config.records.services.demographics.baseUrl,
      scr: config.records.services.scr.baseUrl,
      sharedCare: config.records.services.sharedCare.baseUrl,
    });
  } else {
    const file = ensureRecordsDatabase(config);
    source = openSqliteRecordSource(file);
    log.info('records: demo source opened', { file });
  }
  log.info('records: policy', { policyFile: config.records.policyFile ?? '(default policy)' });
  const service = createRecordHandlers({
    source,
    policy,
    session,
    audit,
    clock: { now: () => Date.now() },
    config,
  });
  return {
    handlers: service.handlers,
    close() {
      service.close();
      source.close();
    },
  };
}
