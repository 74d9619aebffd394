/**
 * Issues a clinician card profile: P-256 key, PIV Authentication certificate from the card CA, CHUID, and the
 * care-roles CMS from the role authority. Knobs make deliberately bad cards for tests of the trust checks.
 */
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { isPin, PIN_RULE } from '../../../src-shared/domain/pin';
import type { RoleProfile } from '../../../src-shared/domain/rbac';
import type { CardProfile } from '../virtual/profile';
import { CardProfile as CardProfileSchema } from '../virtual/profile';
import type { CareRolesDocument } from '../verify/roles-document';
import { OID_KP_CLIENT_AUTH, OID_UID } from '../verify/oids';
import { toRfc4514 } from '../verify/dn';
import { EC_ALG, generateEcKeys, randomSerialHex, type CaBundle } from './ca';
import { signCareRoles } from './care-roles-cms';
import { makeAtr } from './atr';

const DAY = 86_400_000;
/** Spec: certificate validity up to 3 years. */
export const MAX_CERT_DAYS = 3 * 365;
/** Care roles are short-lived: a role change re-writes the object. */
export const DEFAULT_ROLES_DAYS = 28;

export interface IssueCardOptions {
  displayName: string;
  /** 12 digits. */
  userId: string;
  /** 6 to 8 digits (src-shared/domain/pin.ts). */
  pin: string;
  roles: RoleProfile[];
  /** Certificate (and CHUID) validity in days, at most 3 years; default 365. */
  validDays?: number;
  /** Care-roles validity in days; default 28 (capped at the certificate's end). */
  rolesValidDays?: number;
  /** Fixed card GUID (32 hex); random otherwise. */
  cardGuid?: string;
  /** CHUID expiry YYYYMMDD; defaults to the certificate's notAfter. */
  chuidExpiry?: string;

  // Forgery knobs for tests.
  certNotBefore?: Date;
  certNotAfter?: Date;
  rolesNotBefore?: Date;
  rolesNotAfter?: Date;
  /** Sign the care roles with this other CA's role authority (and include its certificate). */
  rolesSigner?: CaBundle;
  /** With rolesSigner: include the genuine role-authority certificate instead, so the signature does not verify. */
  rolesSignerCertFromIssuer?: boolean;
  /** Sign the care roles with the card CA instead of the role authority (a chained signer that is not the authority). */
  rolesSignedByCardCa?: boolean;
  /** Values written into the roles binding instead of the true ones. */
  bind?: { cardGuid?: string; userId?: string; authCertSerial?: string; authCertIssuer?: string };
  /** Leave the care-roles object off the card. */
  omitRoles?: boolean;
  /** Replace the roles JSON with these bytes (still properly signed), e.g. for malformed-content tests. */
  rolesContent?: Uint8Array;
  /** Certificate profile overrides: wrong key usage, extended key usage or a CA flag. */
  certKeyUsage?: number;
  certEku?: string[];
  certIsCa?: boolean;
}

/** YYYYMMDD in UTC. */
export function yyyymmdd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}

export async function issueCard(ca: CaBundle, opts: IssueCardOptions): Promise<CardProfile> {
  if (!/^\d{12}$/.test(opts.userId)) throw new Error('userId must be 12 digits');
  if (!isPin(opts.pin)) throw new Error(`pin: ${PIN_RULE}`);
  const validDays = opts.validDays ?? 365;
  if (!(validDays > 0 && validDays <= MAX_CERT_DAYS))
    throw new Error(`validDays must be 1..${MAX_CERT_DAYS}`);

  const now = Date.now();
  const certNotBefore = opts.certNotBefore ?? new Date(now - 60 * 60_000);
  const certNotAfter = opts.certNotAfter ?? new Date(now + validDays * DAY);
  const cardGuid = (opts.cardGuid ?? randomBytes(16).toString('hex')).toLowerCase();

  const keys = await generateEcKeys();
  const serial = randomSerialHex();
  const subject = new x509.Name([{ CN: [opts.displayName] }, { [OID_UID]: [opts.userId] }]);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: ca.cardCa.cert.subjectName,
    notBefore: certNotBefore,
    notAfter: certNotAfter,
    signingAlgorithm: EC_ALG,
    publicKey: keys.publicKey,
    signingKey: ca.cardCa.key,
    extensions: [
      new x509.BasicConstraintsExtension(opts.certIsCa ?? false, undefined, true),
      new x509.KeyUsagesExtension(opts.certKeyUsage ?? x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(opts.certEku ?? [OID_KP_CLIENT_AUTH], false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cardCa.cert),
    ],
  });

  let rolesCmsDer: string | undefined;
  if (!opts.omitRoles) {
    const rolesNotBefore = opts.rolesNotBefore ?? new Date(now - 60 * 60_000);
    const rolesEnd = now + (opts.rolesValidDays ?? DEFAULT_ROLES_DAYS) * DAY;
    const rolesNotAfter = opts.rolesNotAfter ?? new Date(Math.min(rolesEnd, certNotAfter.getTime()));
    const doc: CareRolesDocument = {
      version: 1,
      userId: opts.bind?.userId ?? opts.userId,
      cardGuid: opts.bind?.cardGuid ?? cardGuid,
      authCert: {
        issuer: opts.bind?.authCertIssuer ?? toRfc4514(cert.issuerName),
        serial: opts.bind?.authCertSerial ?? cert.serialNumber,
      },
      notBefore: rolesNotBefore.toISOString(),
      notAfter: rolesNotAfter.toISOString(),
      roles: opts.roles,
    };
    const content = opts.rolesContent ?? Buffer.from(JSON.stringify(doc), 'utf8');
    const other = opts.rolesSigner;
    const signer = opts.rolesSignedByCardCa
      ? { cert: ca.cardCa.cert, key: ca.cardCa.key }
      : other
        ? {
            cert: opts.rolesSignerCertFromIssuer ? ca.roleAuthority.cert : other.roleAuthority.cert,
            key: other.roleAuthority.key,
          }
        : { cert: ca.roleAuthority.cert, key: ca.roleAuthority.key };
    rolesCmsDer = (await signCareRoles(content, signer)).toString('base64');
  }

  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  // Round-trip through node:crypto so the stored key is exactly what the card will load.
  createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return CardProfileSchema.parse({
    version: 1,
    holder: { displayName: opts.displayName, userId: opts.userId },
    cardGuid,
    chuidExpiry: opts.chuidExpiry ?? yyyymmdd(certNotAfter),
    pin: opts.pin,
    authKey: pkcs8.toString('base64'),
    authCertDer: Buffer.from(cert.rawData).toString('base64'),
    ...(rolesCmsDer ? { rolesCmsDer } : {}),
    atr: makeAtr('STETHPIV').toString('hex'),
  });
}
