/**
 * Demo mode's record source: the very clients live mode uses, against the test services in process
 * (demo-services.ts). The services check the user's card-signed token against the same card trust anchors the
 * workstation trusts (the demo CA's).
 */
import type { UserTokenPort } from '../../session/port';
import type { DemoServices } from './demo-services';
import { remoteSourceOver } from './live-source';
import type { RemoteRecordSource } from './remote-source';

export { DEMO_SERVICES_ORIGIN } from './demo-services';
const TIMEOUT_MS = 10_000;

export function createDemoRecordSource(services: DemoServices, tokens: UserTokenPort): RemoteRecordSource {
  const service = (name: 'demographics' | 'scr' | 'sharedCare') => ({
    baseUrl: services.baseUrl(name),
    timeoutMs: TIMEOUT_MS,
    transport: services.transport,
  });
  return remoteSourceOver(
    { demographics: service('demographics'), scr: service('scr'), sharedCare: service('sharedCare') },
    tokens,
  );
}
