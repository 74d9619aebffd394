/**
 * The whole demo workstation for attack tests (embedded virtual card, the synthetic population, the real SQLite
 * audit log), with its session changes recorded and the audit log's events read back from the file itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseConfig } from '../../../src-main/config/load';
import { createMemoryLogger } from '../../../src-main/services/logger';
import { buildWorkstation, type Workstation } from '../../../src-main/services/workstation';
import type { SessionView } from '../../../src-shared/domain/session';
import { eventLog, type EventLog } from '../../integration/card/support/events';

export interface DemoWorkstation {
  dir: string;
  ws: Workstation;
  views: EventLog<SessionView>;
  /** Every event in the audit log, oldest first, as its stored JSON text. */
  auditJsonTexts(): string[];
  close(): Promise<void>;
}

export async function startDemoWorkstation(prefix: string, demoPatients = 20): Promise<DemoWorkstation> {
  const dir = mkdtempSync(join(tmpdir(), `steth-${prefix}-`));
  const ws = await buildWorkstation(parseConfig({ mode: 'demo', dataDir: dir, records: { demoPatients } }), {
    host: 'browser-host',
    logger: createMemoryLogger(),
  });
  const views = eventLog<SessionView>((v) => v.state);
  ws.events.on('sessionChanged', (v) => views.push(v));
  return {
    dir,
    ws,
    views,
    auditJsonTexts() {
      const db = new Database(join(dir, 'audit.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT json FROM audit_log ORDER BY seq').all() as { json: string }[]).map(
          (r) => r.json,
        );
      } finally {
        db.close();
      }
    },
    async close() {
      await ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
