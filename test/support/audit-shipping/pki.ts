/**
 * A private test PKI for the audit shipping tests: a CA, a server certificate, a client certificate, and the wrong
 * ones (a server certificate for another name, a second CA with its own server and client certificates).
 * Written as PEM files with @peculiar/x509 over Node's webcrypto; ECDSA P-256 throughout.
 */
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** The names the certificates carry; the client connects to 127.0.0.1 but checks SERVER_NAME. */
export const SERVER_NAME = 'audit.stethoscope.test';
export const CLIENT_NAME = 'ws-test-01.stethoscope.test';
export const OTHER_SERVER_NAME = 'elsewhere.stethoscope.test';

export interface CertFiles {
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  dir: string;
  caFile: string;
  server: CertFiles;
  client: CertFiles;
  /** Signed by the right CA, but for OTHER_SERVER_NAME. */
  serverWrongName: CertFiles;
  /** A second, untrusted CA and certificates it signed for the right names. */
  otherCaFile: string;
  serverOtherCa: CertFiles;
  clientOtherCa: CertFiles;
}

interface Issuer {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(8, '0');
const validity = () => ({
  notBefore: new Date(Date.now() - 60 * 60 * 1000),
  notAfter: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000),
});

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function makeCa(cn: string): Promise<Issuer> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${cn}, O=Stethoscope Test`,
    ...validity(),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function makeLeaf(
  issuer: Issuer,
  name: string,
  usage: 'server' | 'client',
  ip?: string,
): Promise<{ cert: string; key: string }> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${name}, O=Stethoscope Test`,
    issuer: issuer.cert.subject,
    ...validity(),
    signingKey: issuer.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: name },
        ...(ip ? [{ type: 'ip' as const, value: ip }] : []),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

function writePair(dir: string, base: string, pair: { cert: string; key: string }): CertFiles {
  const certFile = join(dir, `${base}.pem`);
  const keyFile = join(dir, `${base}.key`);
  writeFileSync(certFile, pair.cert + '\n');
  writeFileSync(keyFile, pair.key + '\n', { mode: 0o600 });
  return { certFile, keyFile };
}

/** Creates every certificate under dir (created if missing). */
export async function createTestPki(dir: string): Promise<TestPki> {
  mkdirSync(dir, { recursive: true });
  const ca = await makeCa('Stethoscope Test Audit CA');
  const other = await makeCa('Some Other CA');
  const caFile = join(dir, 'ca.pem');
  const otherCaFile = join(dir, 'other-ca.pem');
  writeFileSync(caFile, ca.cert.toString('pem') + '\n');
  writeFileSync(otherCaFile, other.cert.toString('pem') + '\n');
  return {
    dir,
    caFile,
    otherCaFile,
    // Also valid for 127.0.0.1, so a configuration can name the loopback address directly.
    server: writePair(dir, 'server', await makeLeaf(ca, SERVER_NAME, 'server', '127.0.0.1')),
    client: writePair(dir, 'client', await makeLeaf(ca, CLIENT_NAME, 'client')),
    serverWrongName: writePair(dir, 'server-wrong-name', await makeLeaf(ca, OTHER_SERVER_NAME, 'server')),
    serverOtherCa: writePair(dir, 'server-other-ca', await makeLeaf(other, SERVER_NAME, 'server')),
    clientOtherCa: writePair(dir, 'client-other-ca', await makeLeaf(other, CLIENT_NAME, 'client')),
  };
}
