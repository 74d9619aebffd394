/**
 * The sandbox's TLS certificates: a private CA, a server certificate for 127.0.0.1 and localhost, and a client
 * certificate for the workstation (mutual TLS), as PEM files in one folder. Made once and reused: an existing,
 * still valid set is kept, so a workstation configured against it keeps working across restarts.
 *
 *   ca.pem, ca.key.pem            the sandbox CA (the workstation's caFile for the services)
 *   server.pem, server.key.pem    the services' certificate (SAN 127.0.0.1, localhost)
 *   client.pem, client.key.pem    the workstation's certificate (CN = workstation id, clientAuth)
 */
import { webcrypto } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { EC_ALG, exportKeyPem, generateEcKeys, randomSerialHex } from '../card/issue/ca';

x509.cryptoProvider.set(webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);

const DAY = 86_400_000;

export interface SandboxPki {
  dir: string;
  caFile: string;
  server: { certFile: string; keyFile: string };
  client: { certFile: string; keyFile: string };
}

function files(dir: string): SandboxPki {
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    server: { certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key.pem') },
    client: { certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client.key.pem') },
  };
}

async function usable(p: SandboxPki, now: Date): Promise<boolean> {
  const all = [p.caFile, p.server.certFile, p.server.keyFile, p.client.certFile, p.client.keyFile];
  try {
    await Promise.all(all.map((f) => access(f)));
    for (const f of [p.caFile, p.server.certFile, p.client.certFile]) {
      const cert = new x509.X509Certificate(await readFile(f, 'utf8'));
      if (cert.notAfter.getTime() - now.getTime() < 7 * DAY) return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function leaf(
  ca: { cert: x509.X509Certificate; key: webcrypto.CryptoKey },
  cn: string,
  usage: 'server' | 'client',
  now: number,
): Promise<{ cert: string; key: string }> {
  const keys = await generateEcKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: `CN=${cn}, O=Stethoscope Sandbox`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 2 * 365 * DAY),
    signingAlgorithm: EC_ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      ...(usage === 'server'
        ? [
            new x509.SubjectAlternativeNameExtension([
              { type: 'ip', value: '127.0.0.1' },
              { type: 'dns', value: 'localhost' },
            ]),
          ]
        : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: (await exportKeyPem(keys.privateKey)) + '\n' };
}

/** The PKI in `dir`, made (or made again, when a part is missing or expires within a week) as needed. */
export async function ensureSandboxPki(
  dir: string,
  workstationId: string,
  now = new Date(),
): Promise<SandboxPki> {
  const p = files(dir);
  if (await usable(p, now)) return p;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const t = now.getTime();
  const caKeys = await generateEcKeys();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: 'CN=Stethoscope Sandbox CA, O=Stethoscope Sandbox',
    notBefore: new Date(t - DAY),
    notAfter: new Date(t + 5 * 365 * DAY),
    signingAlgorithm: EC_ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const ca = { cert: caCert, key: caKeys.privateKey };
  const server = await leaf(ca, 'localhost', 'server', t);
  const client = await leaf(ca, workstationId, 'client', t);
  const secret = { mode: 0o600 };
  await writeFile(p.caFile, caCert.toString('pem') + '\n');
  await writeFile(join(dir, 'ca.key.pem'), (await exportKeyPem(caKeys.privateKey)) + '\n', secret);
  await writeFile(p.server.certFile, server.cert);
  await writeFile(p.server.keyFile, server.key, secret);
  await writeFile(p.client.certFile, client.cert);
  await writeFile(p.client.keyFile, client.key, secret);
  return p;
}
