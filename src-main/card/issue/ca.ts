/**
 * The demo certificate authority: a root trust anchor, a clinician-card CA and a role authority, kept in a folder.
 *
 * Files in the folder (keys are PKCS#8 PEM, mode 0600):
 *   root.pem, root.key.pem                       trust anchor (configure this as the anchor)
 *   card-ca.pem, card-ca.key.pem                 issues PIV Authentication certificates
 *   role-authority.pem, role-authority.key.pem   signs the care-roles CMS (EKU care-roles signing)
 *   trust.pem                                    root + card CA: what a workstation needs to validate cards
 * A card's certificate chains root -> card CA -> card; hosts need the card CA as an intermediate, hence trust.pem.
 */
import { webcrypto, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { OID_KP_CARE_ROLES_SIGNING } from '../verify/oids';
import { DEMO_CA_ORGANISATION } from '../demo/demo-folders';

// The cast bridges Node's webcrypto type and the DOM one the library declares (identical at run time).
x509.cryptoProvider.set(webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

export const EC_ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Authority {
  cert: x509.X509Certificate;
  key: CryptoKey;
  pem: string;
}

export interface CaBundle {
  dir: string;
  root: Authority;
  cardCa: Authority;
  roleAuthority: Authority;
  /** PEM of the trust anchor (root.pem). */
  anchorPem: string;
  /** PEM texts a workstation should load into createTrustStore: root and card CA. */
  trustPems: string[];
}

const DAY = 86_400_000;
const names = ['root', 'card-ca', 'role-authority'] as const;
type AuthorityName = (typeof names)[number];

/** A positive random serial number (hex), 16 bytes with the top bit clear as RFC 5280 asks. */
export function randomSerialHex(): string {
  const b = randomBytes(16);
  b[0] = ((b[0] as number) & 0x7f) | 0x10;
  return b.toString('hex');
}

export async function generateEcKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_ALG, true, ['sign', 'verify']);
}

export async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('no PEM block in key file');
  return webcrypto.subtle.importKey('pkcs8', der, EC_ALG, true, ['sign']);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Loads the CA in `dir`, creating it (all three authorities) when any part is missing. */
export interface CaOptions {
  /**
   * The organisation (O) its certificates name. Demo mode's CA is "Stethoscope Demo", which live mode never
   * trusts; a CA meant for live-mode trials (the sandbox, tests) names itself otherwise.
   */
  organisation?: string;
}

export async function ensureCa(dir: string, options: CaOptions = {}): Promise<CaBundle> {
  const present = await Promise.all(
    names.flatMap((n) => [exists(join(dir, `${n}.pem`)), exists(join(dir, `${n}.key.pem`))]),
  );
  if (!present.every(Boolean)) await createCa(dir, options.organisation ?? DEMO_CA_ORGANISATION);
  return loadCa(dir);
}

/** Loads an existing CA folder. */
export async function loadCa(dir: string): Promise<CaBundle> {
  const load = async (n: AuthorityName): Promise<Authority> => {
    const pem = await readFile(join(dir, `${n}.pem`), 'utf8');
    const key = await importKeyPem(await readFile(join(dir, `${n}.key.pem`), 'utf8'));
    return { cert: new x509.X509Certificate(pem), key, pem };
  };
  const [root, cardCa, roleAuthority] = [
    await load('root'),
    await load('card-ca'),
    await load('role-authority'),
  ];
  return { dir, root, cardCa, roleAuthority, anchorPem: root.pem, trustPems: [root.pem, cardCa.pem] };
}

async function createCa(dir: string, organisation: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const now = Date.now();
  const notBefore = new Date(now - DAY);

  const rootKeys = await generateEcKeys();
  const rootName = `O=${organisation}, CN=${organisation} Root ${tag}`;
  const rootSki = await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: rootName,
    notBefore,
    notAfter: new Date(now + 20 * 365 * DAY),
    signingAlgorithm: EC_ALG,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      rootSki,
    ],
  });

  const issueSub = async (
    name: string,
    ca: boolean,
    usage: number,
    eku: string[],
  ): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> => {
    const keys = await generateEcKeys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerialHex(),
      subject: name,
      issuer: root.subject,
      notBefore,
      notAfter: new Date(now + 10 * 365 * DAY),
      signingAlgorithm: EC_ALG,
      publicKey: keys.publicKey,
      signingKey: rootKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(ca, ca ? 0 : undefined, true),
        new x509.KeyUsagesExtension(usage, true),
        ...(eku.length ? [new x509.ExtendedKeyUsageExtension(eku, false)] : []),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    });
    return { cert, keys };
  };

  const cardCa = await issueSub(
    `O=${organisation}, CN=${organisation} Clinician Card CA ${tag}`,
    true,
    x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    [],
  );
  const roleAuthority = await issueSub(
    `O=${organisation}, CN=${organisation} Role Authority ${tag}`,
    false,
    x509.KeyUsageFlags.digitalSignature,
    [OID_KP_CARE_ROLES_SIGNING],
  );

  const write = async (n: AuthorityName, cert: x509.X509Certificate, key: CryptoKey) => {
    await writeFile(join(dir, `${n}.pem`), cert.toString('pem') + '\n');
    await writeFile(join(dir, `${n}.key.pem`), (await exportKeyPem(key)) + '\n', { mode: 0o600 });
  };
  await write('root', root, rootKeys.privateKey);
  await write('card-ca', cardCa.cert, cardCa.keys.privateKey);
  await write('role-authority', roleAuthority.cert, roleAuthority.keys.privateKey);
  await writeFile(join(dir, 'trust.pem'), `${root.toString('pem')}\n${cardCa.cert.toString('pem')}\n`);
}
