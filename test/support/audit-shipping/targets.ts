/**
 * The two delivery targets most shipping tests need, made but not started: a test PKI, an rsyslog receiver that
 * admits only our client certificate, and a FHIR test server requiring client certificates from the same CA.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FhirTestServer } from './fhir-server';
import { CLIENT_NAME, createTestPki, type TestPki } from './pki';
import { createRsyslogReceiver, type RsyslogProcess } from './rsyslog';

export interface DeliveryTargets {
  pki: TestPki;
  receiver: RsyslogProcess;
  fhir: FhirTestServer;
}

export async function createDeliveryTargets(
  root: string,
  ports: { syslog: number; fhir: number },
): Promise<DeliveryTargets> {
  const pki = await createTestPki(join(root, 'pki'));
  const receiver = createRsyslogReceiver({
    dir: join(root, 'rsyslog'),
    port: ports.syslog,
    caFile: pki.caFile,
    ...pki.server,
    permittedPeer: CLIENT_NAME,
  });
  const fhir = new FhirTestServer({
    port: ports.fhir,
    key: readFileSync(pki.server.keyFile),
    cert: readFileSync(pki.server.certFile),
    clientCa: readFileSync(pki.caFile),
  });
  return { pki, receiver, fhir };
}
