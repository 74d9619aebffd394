/**
 * Builds the records part of the workstation from configuration: the records database (generated in demo mode on
 * first start), the access policy (default or config.records.policyFile), and the records service on top of the
 * session and the audit trail.
 */
import type { AppConfig } from '../config/schema';
import type { AuditTrail } from '../audit/types';
import type { Logger } from '../services/logger';
import type { SessionPort } from '../session/port';
import { loadPolicy } from '../policy/policy-file';
import { ensureRecordsDatabase } from './demo-data/ensure';
import { createRecordHandlers, type RecordHandlers } from '../services/record-handlers';
import { openSqliteRecordSource } from './source/sqlite/source';

export interface WorkstationRecords {
  handlers: RecordHandlers;
  close(): void;
}

export function createWorkstationRecords(
  config: AppConfig,
  session: SessionPort,
  audit: Pick<AuditTrail, 'record'>,
  log: Logger,
): WorkstationRecords {
  const policy = loadPolicy(config.records.policyFile);
  const file = ensureRecordsDatabase(config);
  const source = openSqliteRecordSource(file);
  log.info('records: source opened', { file, policyFile: config.records.policyFile ?? '(default policy)' });
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
