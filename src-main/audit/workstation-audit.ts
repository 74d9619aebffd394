/**
 * Builds the workstation's audit trail from configuration (database default dataDir/audit.sqlite, signing key
 * default dataDir/workstation-key.pem, a transport queue for each configured shipper) and connects its status to
 * the event bus.
 */
import { join } from 'node:path';
import type { AppConfig } from '../config/schema';
import type { EventBus } from '../services/event-bus';
import type { Logger } from '../services/logger';
import { openAuditTrail, type SqliteAuditTrail } from './log/trail';
import type { TransportName } from './types';

export interface WorkstationAudit {
  trail: SqliteAuditTrail;
  /** Stops status events and closes the database. */
  close(): void;
}

function auditDatabasePath(config: AppConfig): string {
  return config.audit.database ?? join(config.dataDir, 'audit.sqlite');
}

function workstationKeyPath(config: AppConfig): string {
  return config.workstation.keyFile ?? join(config.dataDir, 'workstation-key.pem');
}

function configuredTransports(config: AppConfig): TransportName[] {
  const t: TransportName[] = [];
  if (config.audit.atna) t.push('atna');
  // Demo mode without a FHIR repository configured delivers to its in-process one (the demo officer's queue).
  if (config.audit.fhir || config.mode === 'demo') t.push('fhir');
  // Live mode hands privacy alerts to the SCR service too (docs/specs/record-services.md section 5).
  if (config.mode === 'live') t.push('scr');
  return t;
}

export function createWorkstationAudit(config: AppConfig, events: EventBus, log: Logger): WorkstationAudit {
  const trail = openAuditTrail({
    file: auditDatabasePath(config),
    keyFile: workstationKeyPath(config),
    workstationId: config.workstation.id,
    transports: configuredTransports(config),
    onError: (message) => log.error('audit log', { error: message }),
  });
  const stop = trail.onStatus((status) => events.emit('auditStatus', status));
  return {
    trail,
    close() {
      stop();
      trail.close();
    },
  };
}
