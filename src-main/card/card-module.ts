/**
 * Builds the smartcard part of the workstation from configuration: the transport (pcscd or embedded), trust
 * anchors and CRLs (plus the demo CA in demo mode), the card service, the demo reader, and their IPC handlers.
 * The composition root calls createCardModule and spreads `handlers`.
 */
import type { AppConfig } from '../config/schema';
import type { Handlers } from '../ipc/dispatcher';
import { Refusal } from '../domain/errors';
import type { AuditTrail } from '../audit/types';
import type { EventBus } from '../services/event-bus';
import type { Logger } from '../services/logger';
import { createDemoReader, type DemoReader } from './demo/demo-reader';
import { ensureDemoCards } from './demo/issue-demo-cards';
import { createCardService, type CardService } from './session/card-service';
import { createCardTrust, loadTrustMaterial } from './signin/trust';
import type { CardTrustPort } from './signin/types';
import { createEmbeddedTransport, type EmbeddedTransport } from './transport/embedded-transport';
import { createPcscTransport } from './transport/pcsc-transport';
import type { CardTransport } from './transport/types';

type CardChannels =
  | 'session.get'
  | 'session.submitPin'
  | 'session.selectRole'
  | 'session.signOut'
  | 'session.changeRole'
  | 'session.activity'
  | 'demo.state'
  | 'demo.insert'
  | 'demo.remove';

export interface CardModule {
  service: CardService;
  transport: CardTransport;
  /** Present in demo mode with the embedded transport. */
  demo: DemoReader | null;
  /** The card trust anchors in force (PEM), the demo CA's included in demo mode. */
  anchorsPem: readonly string[];
  handlers: Pick<Handlers, CardChannels>;
  close(): Promise<void>;
}

export interface CardModuleDeps {
  events: Pick<EventBus, 'emit'>;
  log: Logger;
  audit: Pick<AuditTrail, 'record'>;
  /** Lets a benchmark observe the card exchanges (timing); the product never sets it. */
  wrapTransport?: (transport: CardTransport) => CardTransport;
}

/** With no anchor configured every card is refused as untrusted, with a message that says why. */
const refuseAll: CardTrustPort = {
  verify: async () => ({
    ok: false,
    reason: 'untrusted-issuer',
    message:
      'No trust anchor is configured on this workstation (card.trustAnchors), so no card can be trusted.',
  }),
  verifyChallenge: () => false,
};

export async function createCardModule(config: AppConfig, deps: CardModuleDeps): Promise<CardModule> {
  const { log } = deps;
  const material = await loadTrustMaterial(config.card.trustAnchors, config.card.crls);
  let embedded: EmbeddedTransport | null = null;
  let transport: CardTransport;
  if (config.card.transport === 'pcsc') {
    transport = createPcscTransport({
      log,
      exchangeTimeoutMs: config.card.exchangeTimeoutMs,
      ...(config.card.readerFilter ? { readerFilter: config.card.readerFilter } : {}),
    });
  } else {
    embedded = createEmbeddedTransport();
    transport = embedded;
  }
  if (deps.wrapTransport) transport = deps.wrapTransport(transport);

  let demo: DemoReader | null = null;
  if (config.mode === 'demo') {
    const set = await ensureDemoCards(config.dataDir);
    material.anchorsPem.push(...set.ca.trustPems);
    if (embedded) demo = createDemoReader(set, embedded);
  }
  const trust = material.anchorsPem.length > 0 ? createCardTrust(material) : refuseAll;
  if (material.anchorsPem.length === 0)
    log.warn('card: no trust anchors configured; every card will be refused');

  const service = createCardService({
    transport,
    trust,
    audit: deps.audit,
    events: deps.events,
    log,
    workstationId: config.workstation.id,
    idleLockMinutes: config.card.idleLockMinutes,
    sessions: {
      max: config.card.sessions.max,
      lockedSignOutMs: config.card.sessions.lockedSignOutHours * 3_600_000,
      pinGraceMs: config.card.sessions.pinGraceMinutes * 60_000,
      onRemoval: config.card.sessions.onRemoval,
    },
  });
  await service.start();

  const demoReader = (): DemoReader => {
    if (config.mode !== 'demo') throw new Refusal('unavailable', 'The demo reader exists only in demo mode.');
    if (!demo)
      throw new Refusal(
        'unavailable',
        'The demo reader needs the embedded card transport (card.transport "embedded").',
      );
    return demo;
  };

  return {
    service,
    transport,
    demo,
    anchorsPem: [...material.anchorsPem],
    handlers: {
      'session.get': () => service.view(),
      'session.submitPin': ({ pin }) => service.submitPin(pin),
      'session.selectRole': ({ urid }) => service.selectRole(urid),
      'session.signOut': () => service.signOut(),
      'session.changeRole': () => service.changeRole(),
      'session.activity': () => {
        service.activity();
        return {};
      },
      'demo.state': () => demoReader().state(),
      'demo.insert': ({ cardId }) => demoReader().insert(cardId),
      'demo.remove': () => demoReader().remove(),
    },
    async close() {
      await service.close();
      await transport.close();
    },
  };
}
