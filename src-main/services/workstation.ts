/**
 * The composition root: builds the workstation's services from a validated configuration and returns the
 * dispatcher the IPC wrappers call. Plain Node: nothing here imports electron, so the same function serves the
 * Electron shell, the browser host, the CLI and the tests.
 */
import type { AppConfig } from '../config/schema';
import { ConfigError } from '../config/load';
import { describeProblems, startupProblems } from '../config/startup-checks';
import { preparePrivateFolder } from './private-files';
import { createDispatcher, type Dispatcher, type Handlers } from '../ipc/dispatcher';
import { createEventBus, type EventBus } from './event-bus';
import { createLogger, type Logger } from './logger';
import { APP_VERSION } from './version';
import { createWorkstationAudit } from '../audit/workstation-audit';
import { startWorkstationShipping } from '../audit/shipping/workstation-shipping';
import type { LocalAuditTrail, LocalOutbox } from '../audit/types';
import { createCardModule, type CardModuleDeps } from '../card/card-module';
import type { SessionPort, UserTokenPort } from '../session/port';
import { createWorkstationRecords } from '../records/workstation-records';
import { createDemoServices } from '../records/remote/demo-services';
import { createWorkstationReview } from '../review/workstation-review';

export type HostKind = 'electron' | 'browser-host';

export interface WorkstationOptions {
  host: HostKind;
  logger?: Logger;
  /** The card session the records service trusts for who is signed in (tests inject one). */
  session?: SessionPort;
  /** The user's tokens for the record services; tests that inject a session inject its tokens too. */
  tokens?: UserTokenPort;
  /** Lets a benchmark observe the card exchanges (card/card-module.ts). */
  wrapCardTransport?: CardModuleDeps['wrapTransport'];
}

export interface Workstation {
  readonly config: AppConfig;
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  readonly log: Logger;
  /** The local audit trail (record before reveal); shippers attach to `outbox`. */
  readonly audit: LocalAuditTrail;
  readonly outbox: LocalOutbox;
  /** The smartcard session (who is signed in, PIN re-checks, lock notices). */
  readonly session: SessionPort;
  /** The signed-in user's tokens for the record services. */
  readonly tokens: UserTokenPort;
  /** Ends every session held here (shared workstations keep one per card), each audited as a logout. */
  signOutAll(): Promise<void>;
  /** Stops timers, closes databases and card connections. Idempotent. */
  close(): Promise<void>;
}

export async function buildWorkstation(config: AppConfig, options: WorkstationOptions): Promise<Workstation> {
  const log = options.logger ?? createLogger();
  const problems = startupProblems(config);
  if (problems.length > 0)
    throw new ConfigError(`the workstation cannot start:\n${describeProblems(problems)}`);
  preparePrivateFolder(config.dataDir);
  const events = createEventBus();
  const closers: (() => Promise<void> | void)[] = [];
  const audit = createWorkstationAudit(config, events, log);
  closers.push(() => audit.close());
  const card = await createCardModule(config, {
    events,
    log,
    audit: audit.trail,
    ...(options.wrapCardTransport ? { wrapTransport: options.wrapCardTransport } : {}),
  });
  closers.push(() => card.close());
  // Demo mode's remote services, in process: records, audit delivery and review all use this one instance.
  const demo =
    config.mode === 'demo'
      ? createDemoServices({
          patients: config.records.demoPatients,
          anchorsPem: card.anchorsPem,
          log,
          // Imported when the services load (it pulls in the demo catalogue and the event builder).
          onLoaded: async (sandbox) => {
            const { loadDemoHistory } = await import('../review/demo-history');
            await loadDemoHistory(sandbox);
          },
        })
      : undefined;
  if (demo) closers.push(() => demo.close());
  // Remote delivery (ATNA, FHIR) drains the outbox in the background; closed before the trail (closers run reversed).
  const shipping = startWorkstationShipping(
    config,
    audit.trail,
    log,
    demo ? { baseUrl: demo.baseUrl('audit'), send: demo.transport } : undefined,
  );
  closers.push(() => shipping.close());
  // The card service is the session; tests of records may inject their own.
  const session: SessionPort = options.session ?? card.service;
  const tokens = options.tokens ?? card.service;
  const records = await createWorkstationRecords(config, session, audit.trail, log, { tokens }, demo);
  closers.push(() => records.close());
  closers.push(records.onAlertDelivery((d) => events.emit('alertDelivery', d)));
  if (!options.session) card.service.setResumeProbe((id) => records.hasEncounter(id));
  const review = createWorkstationReview(config, { session, tokens, audit: audit.trail, events, log, demo });
  closers.push(() => review.close());

  const handlers: Handlers = {
    'app.info': () => ({
      version: APP_VERSION,
      mode: config.mode,
      workstationId: config.workstation.id,
      host: options.host,
    }),
    ...card.handlers,
    ...records.handlers,
    ...review.handlers,
    'audit.status': () => audit.trail.status(),
  };

  let closed = false;
  return {
    config,
    dispatcher: createDispatcher(handlers, log),
    events,
    log,
    audit: audit.trail,
    outbox: audit.trail.outbox,
    session,
    tokens,
    async signOutAll() {
      await card.service.signOutAll();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of closers.reverse()) await c();
    },
  };
}
