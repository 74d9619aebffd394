/**
 * Builds the privacy officer's part of the workstation from configuration: the audit repository client and the
 * shared care record client (for the attendance check) over HTTPS in live mode (review.repository and
 * records.services.sharedCare), or against the demo's in-process services; the review service; its channel
 * handlers; and the new-alert notice (alert-notice.ts).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ReviewChannelName } from '../../src-shared/ipc/channels/review';
import type { AppConfig } from '../config/schema';
import type { AuditTrail } from '../audit/types';
import type { Handler } from '../ipc/dispatcher';
import type { HttpTransport } from '../net/http-types';
import { httpsTransportFor } from '../records/remote/live-source';
import type { DemoServices } from '../records/remote/demo-services';
import { createServiceClient } from '../records/remote/service-client';
import { createSharedCareClient } from '../records/remote/shared-care-client';
import type { EventBus } from '../services/event-bus';
import type { Logger } from '../services/logger';
import type { SessionPort, UserTokenPort } from '../session/port';
import { KeyFileError, loadPseudonymKey, type PseudonymKey } from './reports/index';
import { createAuditRepositoryClient } from './repository/audit-client';
import { createReviewService, type ReviewService } from './review-service';
import { createAlertNotice } from './alert-notice';

export type ReviewHandlers = { [K in ReviewChannelName]: Handler<K> };

export interface WorkstationReview {
  handlers: ReviewHandlers;
  service: ReviewService;
  close(): void;
}

const TIMEOUT_MS = 10_000;

/** Demo mode's key: made once in the data folder, readable by its owner only. */
function demoKeyFile(dataDir: string): string {
  const file = join(dataDir, 'demo-pseudonym.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return file;
}

export function createWorkstationReview(
  config: AppConfig,
  deps: {
    session: SessionPort;
    tokens: UserTokenPort;
    audit: Pick<AuditTrail, 'record'>;
    events: EventBus;
    log: Logger;
    demo?: DemoServices;
  },
): WorkstationReview {
  const closers: (() => void)[] = [];
  let audit: { baseUrl: string; transport: HttpTransport; timeoutMs: number } | null = null;
  let sharedCare: { baseUrl: string; transport: HttpTransport; timeoutMs: number } | null = null;
  if (config.mode === 'live') {
    const repo = config.review.repository;
    if (repo) {
      const https = httpsTransportFor(repo);
      closers.push(() => https.close());
      audit = { baseUrl: repo.baseUrl, transport: https.send, timeoutMs: repo.timeoutMs };
    }
    const sc = config.records.services.sharedCare;
    const https = httpsTransportFor(sc);
    closers.push(() => https.close());
    sharedCare = { baseUrl: sc.baseUrl, transport: https.send, timeoutMs: sc.timeoutMs };
    deps.log.info('review: audit repository', { baseUrl: repo?.baseUrl ?? '(none configured)' });
  } else if (deps.demo) {
    audit = { baseUrl: deps.demo.baseUrl('audit'), transport: deps.demo.transport, timeoutMs: TIMEOUT_MS };
    sharedCare = {
      baseUrl: deps.demo.baseUrl('sharedCare'),
      transport: deps.demo.transport,
      timeoutMs: TIMEOUT_MS,
    };
  }
  const keyFile = config.review.pseudonymKeyFile;
  let key: PseudonymKey | null = null;
  const service = createReviewService({
    session: deps.session,
    audit: deps.audit,
    repository: audit
      ? createAuditRepositoryClient(createServiceClient({ service: 'audit', tokens: deps.tokens, ...audit }))
      : null,
    sharedCare: sharedCare
      ? createSharedCareClient(
          createServiceClient({ service: 'sharedCare', tokens: deps.tokens, ...sharedCare }),
        )
      : null,
    pseudonymKey: () =>
      (key ??= loadPseudonymKey(
        keyFile ??
          (config.mode === 'demo'
            ? demoKeyFile(config.dataDir)
            : (() => {
                throw new KeyFileError('review.pseudonymKeyFile is not configured');
              })()),
      )),
    workstationId: config.workstation.id,
    clock: { now: () => Date.now() },
  });
  closers.push(() => service.dispose());

  const notice = createAlertNotice({
    count: () => service.newAlerts(),
    notify: (newAlerts) => deps.events.emit('reviewNotice', { newAlerts }),
    session: deps.session,
    intervalMs: config.review.noticeSeconds * 1000,
    onError: (err) => deps.log.warn('review: new-alert check failed', { error: (err as Error).message }),
  });
  closers.push(() => notice.close());

  const handlers: ReviewHandlers = {
    'review.queue': async (req) => {
      const view = await service.queue(req.filter, req.page);
      // Looking at the queue (unfiltered by status) resets the notice.
      if (!req.filter.status) notice.seen(view.counts.new);
      return view;
    },
    'review.alert': (req) => service.alert(req.id),
    'review.act': (req) => service.act(req.id, req.version, req.change),
    'review.sample': (req) => service.sample(req),
    'review.purposes': () => service.purposes(),
    'review.report': (req) => service.report(req),
    'review.extract': (req) => service.extract(req),
  };
  return {
    handlers,
    service,
    close() {
      for (const c of closers.reverse()) c();
    },
  };
}
